import { describe, expect, test } from 'bun:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../src/config/config.ts';
import { type ConfigProblem, type LoadResult, loadConfig } from '../../src/config/load.ts';

const secret = 'a-signing-key-of-exactly-32-byte';

function loaded(env: Record<string, string | undefined>): Readonly<Config> {
  const result = loadConfig({ JWT_SECRET: secret, ...env });
  if (!result.ok) throw new Error(`unexpected problems: ${JSON.stringify(result.problems)}`);

  return result.config;
}

function problemsOf(result: LoadResult): readonly ConfigProblem[] {
  if (result.ok) throw new Error('expected problems, got a config');

  return result.problems;
}

describe('loadConfig', () => {
  test('applies every default when only JWT_SECRET is set', () => {
    const expected: Config = {
      port: 8080,
      host: '0.0.0.0',
      dbPath: './data/breakwater.db',
      redisUrl: 'redis://localhost:6379',
      jwtSecret: secret,
      jwtTtlMs: 3_600_000,
      logLevel: 'info',
      logFormat: 'json',
      requestTimeoutMs: 10_000,
      shutdownTimeoutMs: 10_000,
      rateLimitRequests: 100,
      rateLimitWindowMs: 60_000,
      authRateLimitRequests: 10,
      authRateLimitWindowMs: 60_000,
      trustProxy: 0,
      maxBodySizeBytes: 1024 * 1024,
      cacheTtlMs: 300_000,
      redisTimeoutMs: 250,
      redisBreakerThreshold: 5,
      redisBreakerCooldownMs: 30_000,
      redisConnectAttempts: 3,
      redisConnectDelayMs: 500,
      workerPoolSize: 4,
    };

    expect(loaded({})).toEqual(expected);
  });

  test('converts every kind of value it is given', () => {
    const config = loaded({
      PORT: '0',
      HOST: '127.0.0.1',
      JWT_TTL: '15m',
      LOG_LEVEL: 'DEBUG',
      LOG_FORMAT: 'pretty',
      REQUEST_TIMEOUT: '1.5s',
      MAX_BODY_SIZE: '512kb',
      TRUST_PROXY: '2',
      REDIS_BREAKER_THRESHOLD: '0',
      REDIS_CONNECT_DELAY: '0ms',
    });

    expect(config).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      jwtTtlMs: 900_000,
      logLevel: 'debug',
      logFormat: 'pretty',
      requestTimeoutMs: 1500,
      maxBodySizeBytes: 524_288,
      trustProxy: 2,
      redisBreakerThreshold: 0,
      redisConnectDelayMs: 0,
    });
  });

  test('treats an empty or blank value as unset and trims the others', () => {
    const config = loaded({ PORT: '', HOST: '   ', CACHE_TTL: ' 2m ' });

    expect([config.port, config.host, config.cacheTtlMs]).toEqual([8080, '0.0.0.0', 120_000]);
  });

  test('reads only the env object it is given', () => {
    const before = process.env.PORT;
    process.env.PORT = '1234';
    try {
      expect(loaded({}).port).toBe(8080);
    } finally {
      if (before === undefined) delete process.env.PORT;
      else process.env.PORT = before;
    }
  });

  test('returns a frozen config', () => {
    const config = loaded({}) as Config;

    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      config.port = 1;
    }).toThrow(TypeError);
  });

  test('refuses a bare number where a unit is needed and suggests the fix', () => {
    const [problem] = problemsOf(loadConfig({ JWT_SECRET: secret, REQUEST_TIMEOUT: '30' }));

    expect(problem).toEqual({
      variable: 'REQUEST_TIMEOUT',
      value: '30',
      expected: 'a duration from 1ms to 576h',
      hint: '"30" has no unit; write 30s for seconds or 30ms for milliseconds',
    });
  });

  test('reports every problem at once, in schema order', () => {
    const problems = problemsOf(
      loadConfig({
        PORT: '70000',
        LOG_LEVEL: 'verbose',
        RATE_LIMIT_REQUESTS: '0',
        CACHE_TTL: '5',
        REDIS_PORT: 'redis',
      }),
    );

    expect(problems.map((problem) => problem.variable)).toEqual([
      'PORT',
      'REDIS_PORT',
      'JWT_SECRET',
      'LOG_LEVEL',
      'RATE_LIMIT_REQUESTS',
      'CACHE_TTL',
    ]);
    expect(problems.map((problem) => problem.expected)).toEqual([
      'an integer from 0 to 65535',
      'an integer from 1 to 65535',
      'a secret of at least 32 bytes (UTF-8)',
      'one of debug, info, warn, error',
      'an integer of at least 1',
      'a duration from 1ms to 576h',
    ]);
  });

  test.each([
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['PORT', '0x50'],
    ['TRUST_PROXY', '-1'],
    ['REDIS_BREAKER_THRESHOLD', 'five'],
    ['REDIS_CONNECT_ATTEMPTS', '0'],
    ['WORKER_POOL_SIZE', '0'],
    ['AUTH_RATE_LIMIT_REQUESTS', '1e2'],
    ['LOG_FORMAT', 'text'],
    ['JWT_TTL', '500ms'],
    ['RATE_LIMIT_WINDOW', '999ms'],
    ['SHUTDOWN_TIMEOUT', '0s'],
    ['REDIS_TIMEOUT', '577h'],
    ['MAX_BODY_SIZE', '0b'],
  ])('refuses %s=%s', (variable, value) => {
    const problems = problemsOf(loadConfig({ JWT_SECRET: secret, [variable]: value }));

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ variable, value });
  });

  test('refuses a REQUEST_TIMEOUT above 250s, which Bun idleTimeout could not outlast', () => {
    expect(loaded({ REQUEST_TIMEOUT: '250s' }).requestTimeoutMs).toBe(250_000);

    const problems = problemsOf(loadConfig({ JWT_SECRET: secret, REQUEST_TIMEOUT: '251s' }));

    expect(problems).toEqual([
      {
        variable: 'REQUEST_TIMEOUT',
        value: '251s',
        expected: 'a duration of at most 250s',
        hint: "Bun's idleTimeout must stay above REQUEST_TIMEOUT, and Bun caps it at 255s",
      },
    ]);
  });
});

describe('loadConfig and JWT_SECRET', () => {
  test('refuses to load without it', () => {
    expect(problemsOf(loadConfig({}))).toEqual([
      {
        variable: 'JWT_SECRET',
        value: null,
        expected: 'a secret of at least 32 bytes (UTF-8)',
        hint: 'generate one with: openssl rand -base64 48',
      },
    ]);
  });

  test('counts its length in UTF-8 bytes, not characters', () => {
    const elevenCharacters = 'ééééééééééé'; // 22 bytes
    const sixteenCharacters = 'éééééééééééééééé'; // 32 bytes

    expect(problemsOf(loadConfig({ JWT_SECRET: elevenCharacters }))[0]).toMatchObject({
      variable: 'JWT_SECRET',
      value: '**** (22 bytes)',
    });
    const [tooShort] = problemsOf(loadConfig({ JWT_SECRET: 'x'.repeat(31) }));

    expect(tooShort?.value).toBe('**** (31 bytes)');
    expect(loaded({ JWT_SECRET: sixteenCharacters }).jwtSecret).toBe(sixteenCharacters);
  });

  test('keeps its surrounding spaces, byte for byte', () => {
    const spaced = ` ${secret} `;

    expect(loaded({ JWT_SECRET: spaced }).jwtSecret).toBe(spaced);
  });
});

describe('loadConfig and Redis', () => {
  test('gives a null redisUrl for REDIS_URL=off', () => {
    expect(loaded({ REDIS_URL: 'off' }).redisUrl).toBeNull();
    expect(loaded({ REDIS_URL: 'OFF' }).redisUrl).toBeNull();
  });

  test('accepts redis:// and rediss:// URLs with credentials and a database', () => {
    const url = 'rediss://user:pa%40ss@cache.internal:6380/2';

    expect(loaded({ REDIS_URL: url }).redisUrl).toBe(url);
  });

  test.each([
    'http://localhost:6379',
    'localhost:6379',
    'redis://',
    'redis://localhost:6379/cache',
    'redis://localhost:99999',
  ])('refuses REDIS_URL=%s', (url) => {
    const problems = problemsOf(loadConfig({ JWT_SECRET: secret, REDIS_URL: url }));

    expect(problems.map((problem) => problem.variable)).toEqual(['REDIS_URL']);
  });

  test('builds the URL from REDIS_HOST and REDIS_PORT when REDIS_URL is not set', () => {
    expect(loaded({ REDIS_HOST: 'cache', REDIS_PORT: '6380' }).redisUrl).toBe('redis://cache:6380');
    expect(loaded({ REDIS_HOST: 'cache' }).redisUrl).toBe('redis://cache:6379');
    expect(loaded({ REDIS_PORT: '6380' }).redisUrl).toBe('redis://localhost:6380');
    expect(loaded({ REDIS_HOST: '::1' }).redisUrl).toBe('redis://[::1]:6379');
  });

  test('lets an explicit REDIS_URL win over REDIS_HOST and REDIS_PORT', () => {
    const config = loaded({
      REDIS_URL: 'redis://primary:6379',
      REDIS_HOST: 'old',
      REDIS_PORT: '1',
    });

    expect(config.redisUrl).toBe('redis://primary:6379');
    expect(loaded({ REDIS_URL: 'off', REDIS_HOST: 'old' }).redisUrl).toBeNull();
  });

  test('ignores a link-style REDIS_PORT when REDIS_URL is set', () => {
    const config = loaded({ REDIS_URL: 'redis://primary:6379', REDIS_PORT: 'tcp://10.0.0.9:6379' });

    expect(config.redisUrl).toBe('redis://primary:6379');
  });

  test('reports bad REDIS_HOST and REDIS_PORT under their own names', () => {
    const problems = problemsOf(
      loadConfig({ JWT_SECRET: secret, REDIS_HOST: 'a b', REDIS_PORT: 'tcp://10.0.0.9:6379' }),
    );

    expect(problems).toEqual([
      { variable: 'REDIS_HOST', value: 'a b', expected: 'a host name or IP address' },
      {
        variable: 'REDIS_PORT',
        value: 'tcp://10.0.0.9:6379',
        expected: 'an integer from 1 to 65535',
        hint: 'this looks like a variable set by Kubernetes or Docker links; set REDIS_URL instead',
      },
    ]);
  });
});

describe('loadConfig and the REDIS_URL node-redis would read', () => {
  test.each(['redis://:p%ZZ@127.0.0.1:1', 'redis://us%C3er:pw@cache:6379'])(
    'refuses %s, whose credentials do not percent-decode, with the password masked',
    (url) => {
      const [problem] = problemsOf(loadConfig({ JWT_SECRET: secret, REDIS_URL: url }));

      expect(problem).toMatchObject({
        variable: 'REDIS_URL',
        hint: 'the user name or password does not percent-decode; write a % in them as %25',
      });
      expect(JSON.stringify(problem)).not.toContain('pw');
      expect(JSON.stringify(problem)).not.toContain('p%ZZ');
    },
  );

  test('accepts a password whose percent signs are encoded', () => {
    const url = 'redis://:p%25ZZ@127.0.0.1:1';

    expect(loaded({ REDIS_URL: url }).redisUrl).toBe(url);
  });

  test.each([
    ['redis://h:6379?password=hunter2', 'redis://h:6379?password=****'],
    ['redis://h:6379/0?db=1&hunter2', 'redis://h:6379/0?db=****&****'],
    ['redis://:pw@h:6379#hunter2', 'redis://:****@h:6379#****'],
    ['redis://h?password=a@b', 'redis://h?password=****@b'],
  ])('refuses %s, whose query or fragment node-redis ignores, masking its values', (url, shown) => {
    const problems = problemsOf(loadConfig({ JWT_SECRET: secret, REDIS_URL: url }));

    expect(problems).toEqual([
      {
        variable: 'REDIS_URL',
        value: shown,
        expected: 'off, or a redis:// or rediss:// URL such as redis://localhost:6379',
        hint: 'node-redis ignores a query string or fragment; '
          + 'put a password in the userinfo part: redis://:password@host:6379',
      },
    ]);
  });
});

describe('loadConfig and HOST', () => {
  const listenHosts = ['127.0.0.1', '0.0.0.0', '::', '::1', 'fe80::1', 'localhost', 'a-1', 'b.c.'];

  test.each(listenHosts)('accepts the listen address %s', (host) => {
    expect(loaded({ HOST: host }).host).toBe(host);
  });

  test.each([
    'not a host!!',
    'under_score',
    '-leading.example',
    'trailing-.example',
    'a..b',
    '999.1.1.1',
    '[::1]',
    `${'a'.repeat(64)}.example`,
  ])('refuses HOST=%s', (host) => {
    expect(problemsOf(loadConfig({ JWT_SECRET: secret, HOST: host }))).toEqual([
      {
        variable: 'HOST',
        value: host,
        expected: 'an IPv4 or IPv6 address, or a host name (RFC 1123), such as 0.0.0.0 or ::',
      },
    ]);
  });
});

describe('loadConfig and DB_PATH', () => {
  test('refuses a DB_PATH that names an existing folder', () => {
    const folder = tmpdir();
    const example = join(folder, 'breakwater.db');

    expect(problemsOf(loadConfig({ JWT_SECRET: secret, DB_PATH: folder }))).toEqual([
      {
        variable: 'DB_PATH',
        value: folder,
        expected: 'the path of an SQLite file',
        hint: `${folder} is a folder; name a file inside it, such as ${example}`,
      },
    ]);
  });

  test('accepts a file that does not exist yet, and :memory:', () => {
    const path = join(tmpdir(), 'breakwater-not-there', 'journal.db');

    expect(loaded({ DB_PATH: path }).dbPath).toBe(path);
    expect(loaded({ DB_PATH: ':memory:' }).dbPath).toBe(':memory:');
  });
});
