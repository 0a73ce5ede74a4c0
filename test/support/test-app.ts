import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../src/config/config.ts';
import type { Entry } from '../../src/entries/entry.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createServices, type ServiceOptions, type Services } from '../../src/server/services.ts';
import { captureLog } from '../observability/captured-log.ts';

export const testSecret = 'test-secret-that-is-long-enough-0123456789';

export function testConfig(env: Record<string, string> = {}): Config {
  const loaded = loadConfig({
    JWT_SECRET: testSecret,
    REDIS_URL: 'off',
    LOG_LEVEL: 'debug',
    // Suites send many requests from one address; rate-limit tests set their own limits.
    RATE_LIMIT_REQUESTS: '100000',
    AUTH_RATE_LIMIT_REQUESTS: '100000',
    ...env,
  });
  if (!loaded.ok) throw new Error(`test config is invalid: ${JSON.stringify(loaded.problems)}`);

  return loaded.config;
}

export interface TestApp {
  services: Services;
  config: Config;
  logLines: string[];
  request(method: string, path: string, options?: RequestOptions): Promise<Response>;
  /** Registers and logs in a fresh user; returns its bearer token. */
  signIn(email?: string): Promise<string>;
  /** Writes an entry as the token's user; fails the test unless it is created. */
  createEntry(token: string, title: string, body?: string): Promise<Entry>;
  close(): Promise<void>;
}

export interface RequestOptions {
  body?: unknown;
  rawBody?: string;
  token?: string;
  headers?: Record<string, string>;
}

let userCount = 0;

/** The whole service in-process on a fresh SQLite file, with cheap password hashing. */
export function startTestApp(
  env: Record<string, string> = {},
  options: Omit<ServiceOptions, 'passwordCost'> = {},
): TestApp {
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-test-'));
  const config = testConfig({ DB_PATH: join(folder, 'data', 'test.db'), ...env });
  const { logger, lines: logLines } = captureLog(config.logLevel, config.logFormat);
  const services = createServices(config, logger, {
    ...options,
    passwordCost: { memoryCostKib: 1024, timeCost: 1 },
  });

  const request: TestApp['request'] = (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';

    return services.app.handle(new Request(`http://localhost${path}`, { method, headers, body }));
  };

  return {
    services,
    config,
    logLines,
    request,
    async signIn(email = `user${++userCount}-${Bun.randomUUIDv7()}@example.com`) {
      const credentials = { email, password: 'correct horse battery' };
      await request('POST', '/auth/register', { body: credentials });
      const login = await request('POST', '/auth/login', { body: credentials });
      const { token } = (await login.json()) as { token: string };

      return token;
    },
    async createEntry(token, title, body = 'b') {
      const response = await request('POST', '/entries', { token, body: { title, body } });
      if (response.status !== 201) throw new Error(`entry not created: ${response.status}`);

      return (await response.json()) as Entry;
    },
    async close() {
      await services.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
