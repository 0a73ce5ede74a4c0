import { describe, expect, test } from 'bun:test';
import type { Config } from '../../src/config/config.ts';
import { type ConfigProblem, loadConfig } from '../../src/config/load.ts';
import {
  configEntries,
  describeConfig,
  EX_CONFIG,
  formatProblems,
} from '../../src/config/report.ts';
import { variables } from '../../src/config/schema.ts';

const jwtSecret = 'JWT-MARKER-0123456789-0123456789-abcdef';
const redisPassword = 'REDIS-MARKER-p4ss';

function problemsFor(env: Record<string, string>): readonly ConfigProblem[] {
  const result = loadConfig(env);
  if (result.ok) throw new Error('expected problems, got a config');

  return result.problems;
}

function configFor(env: Record<string, string>): Readonly<Config> {
  const result = loadConfig(env);
  if (!result.ok) throw new Error(formatProblems(result.problems));

  return result.config;
}

describe('formatProblems', () => {
  test('lists every problem under a summary line, with hints indented below', () => {
    const text = formatProblems(problemsFor({ PORT: 'http', REDIS_TIMEOUT: '30' }));

    expect(text).toBe(
      [
        'breakwater: invalid configuration (3 problems)',
        '  PORT=http: expected an integer from 0 to 65535',
        '  JWT_SECRET is not set: expected a secret of at least 32 bytes (UTF-8)',
        '    generate one with: openssl rand -base64 48',
        '  REDIS_TIMEOUT=30: expected a duration from 1ms to 576h',
        '    "30" has no unit; write 30s for seconds or 30ms for milliseconds',
      ].join('\n'),
    );
  });

  test('says "1 problem" for a single one', () => {
    const text = formatProblems(problemsFor({ JWT_SECRET: jwtSecret, PORT: 'http' }));

    expect(text.split('\n')[0]).toBe('breakwater: invalid configuration (1 problem)');
  });
});

describe('secrets in reports', () => {
  test('never appear in problems, even when the secret itself is the problem', () => {
    const shortSecret = 'JWT-MARKER-short';
    const problems = problemsFor({
      JWT_SECRET: shortSecret,
      REDIS_URL: `redis://user:${redisPassword}@cache:6379/nope`,
      PORT: 'http',
    });
    const shown = `${formatProblems(problems)}\n${JSON.stringify(problems)}`;

    const variablesNamed = problems.map((problem) => problem.variable);

    expect(variablesNamed).toEqual(['PORT', 'REDIS_URL', 'JWT_SECRET']);
    expect(shown).not.toContain(shortSecret);
    expect(shown).not.toContain('MARKER');
    expect(shown).toContain('redis://user:****@cache:6379/nope');
    expect(shown).toContain('JWT_SECRET=**** (16 bytes)');
  });

  test('stay hidden when the Redis URL is too broken to parse', () => {
    const broken = `redis://user:${redisPassword}/x@cache:6379`;
    const problems = problemsFor({ JWT_SECRET: jwtSecret, REDIS_URL: broken });

    expect(problems.map((problem) => problem.variable)).toEqual(['REDIS_URL']);
    expect(formatProblems(problems)).not.toContain('MARKER');
  });

  test('never appear in the effective config', () => {
    const config = configFor({
      JWT_SECRET: jwtSecret,
      REDIS_URL: `rediss://:${redisPassword}@cache:6380/1`,
    });
    const shown = `${describeConfig(config)}\n${JSON.stringify(configEntries(config))}`;

    expect(shown).not.toContain('MARKER');
    expect(shown).toContain(`JWT_SECRET=**** (${jwtSecret.length} bytes)`);
    expect(shown).toContain('REDIS_URL=rediss://:****@cache:6380/1');
  });
});

describe('describeConfig', () => {
  test('writes the effective value of every variable that reaches the config', () => {
    const config = configFor({
      JWT_SECRET: jwtSecret,
      REDIS_HOST: 'cache',
      MAX_BODY_SIZE: '512kb',
      REQUEST_TIMEOUT: '1500ms',
    });
    const lines = describeConfig(config).split('\n');

    expect(lines).toContain('REDIS_URL=redis://cache:6379');
    expect(lines).toContain('MAX_BODY_SIZE=512kb');
    expect(lines).toContain('REQUEST_TIMEOUT=1500ms');
    expect(lines).toContain('PORT=8080');
    expect(lines.map((line) => line.split('=')[0])).toEqual(
      variables.filter((spec) => spec.configKey !== undefined).map((spec) => spec.name),
    );
  });

  test('writes off for a service without Redis', () => {
    const config = configFor({ JWT_SECRET: jwtSecret, REDIS_URL: 'off' });

    expect(configEntries(config)).toContainEqual({ variable: 'REDIS_URL', value: 'off' });
  });

  test('writes values that load back into the same config, secret aside', () => {
    const config = configFor({ JWT_SECRET: jwtSecret, CACHE_TTL: '90s', LOG_LEVEL: 'warn' });
    const entries = configEntries(config).map((entry) => [entry.variable, entry.value]);
    const env = Object.fromEntries(entries);

    expect(configFor({ ...env, JWT_SECRET: jwtSecret })).toEqual(config);
  });
});

describe('EX_CONFIG', () => {
  test('is the sysexits status for a configuration error', () => {
    expect(EX_CONFIG).toBe(78);
  });
});
