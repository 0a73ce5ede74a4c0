import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { LOOPBACK } from '../support/free-port.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { createFetchHandler } from '../../src/server/fetch-handler.ts';
import { afterResponseHooks, parseRecords, type LogRecord } from './captured-log.ts';

let app: TestApp;
beforeAll(() => {
  app = startTestApp();
});
afterAll(() => app.close());

/** The request lines written while `act` ran. */
async function requestLines(act: () => Promise<unknown>): Promise<LogRecord[]> {
  await afterResponseHooks();
  const from = app.logLines.length;
  await act();
  await afterResponseHooks();

  return parseRecords(app.logLines.slice(from)).filter((record) => 'route' in record);
}

function subjectOf(token: string): string {
  const [, payload = ''] = token.split('.');

  return (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub: string }).sub;
}

describe('request log', () => {
  test('writes one info line per request with route template, status, timing and ids', async () => {
    const token = await app.signIn();
    const { id } = await app.createEntry(token, 't');
    let response: Response | undefined;
    const lines = await requestLines(async () => {
      response = await app.request('GET', `/entries/${id}`, { token });
    });

    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatchObject({
      level: 'info',
      msg: 'request',
      method: 'GET',
      route: '/entries/:id',
      status: 200,
      requestId: response?.headers.get('x-request-id') ?? 'missing',
      userId: subjectOf(token),
      clientAddress: 'unknown',
    });
    expect(line?.durationMs).toBeNumber();
    expect(line?.durationMs as number).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(line)).not.toContain(id);
  });

  test('logs unknown routes and early 413 and 415 rejections, one line each', async () => {
    const token = await app.signIn();
    const lines = await requestLines(async () => {
      await app.request('GET', '/no/such/route');
      await app.request('POST', '/entries', {
        token,
        rawBody: '{}',
        headers: { 'content-length': String(app.config.maxBodySizeBytes + 1) },
      });
      await app.request('POST', '/entries', {
        token,
        rawBody: 'title=t',
        headers: { 'content-type': 'text/plain' },
      });
    });

    expect(lines.map(({ route, status, level }) => ({ route, status, level }))).toEqual([
      { route: 'unmatched', status: 404, level: 'info' },
      { route: '/entries', status: 413, level: 'info' },
      { route: '/entries', status: 415, level: 'info' },
    ]);
  });

  test('never writes a login password or a bearer token, even at debug level', async () => {
    const password = 'Pa55word-that-must-stay-secret';
    const credentials = { email: `secret-${Bun.randomUUIDv7()}@example.com`, password };
    await afterResponseHooks();
    const from = app.logLines.length;
    await app.request('POST', '/auth/register', { body: credentials });
    const login = await app.request('POST', '/auth/login', { body: credentials });
    const { token } = (await login.json()) as { token: string };
    await app.request('GET', '/entries', { token });
    await app.request('GET', '/entries', { token: `${token}tampered` });
    await app.request('POST', '/auth/login', { body: { ...credentials, password: `${password}!` } });
    await afterResponseHooks();
    const written = app.logLines.slice(from).join('');

    expect(app.config.logLevel).toBe('debug');
    expect(parseRecords(app.logLines.slice(from)).length).toBeGreaterThanOrEqual(5);
    expect(written).not.toContain(password);
    expect(written).not.toContain(token);
    expect(written).not.toContain(token.split('.')[2] ?? token);
  });
});

describe('request log behind a trusted proxy', () => {
  test('names the client the proxy saw, as the rate limiter does', async () => {
    const proxied = startTestApp({ TRUST_PROXY: '1' });
    await proxied.request('GET', '/health/live', {
      headers: { 'x-forwarded-for': '198.51.100.20, 203.0.113.7' },
    });
    await afterResponseHooks();
    const lines = parseRecords(proxied.logLines).filter((record) => 'route' in record);
    await proxied.close();

    expect(lines).toEqual([expect.objectContaining({ clientAddress: '203.0.113.7' })]);
  });
});

describe('request log of rate-limited requests', () => {
  test('names the route a request was refused for before routing', async () => {
    const limited = startTestApp({ AUTH_RATE_LIMIT_REQUESTS: '1' });
    const credentials = { email: 'limited@example.com', password: 'correct horse battery' };
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      statuses.push((await limited.request('POST', '/auth/login', { body: credentials })).status);
    }
    await afterResponseHooks();
    const lines = parseRecords(limited.logLines).filter((record) => 'route' in record);
    await limited.close();

    expect(statuses).toEqual([401, 429]);
    expect(lines.map(({ route, status }) => ({ route, status }))).toEqual([
      { route: '/auth/login', status: 401 },
      { route: '/auth/login', status: 429 },
    ]);
  });
});

describe('request log behind the server', () => {
  test('names the client address the connection came from', async () => {
    const server = Bun.serve({
      hostname: LOOPBACK,
      port: 0,
      fetch: createFetchHandler(app.services.app, {
        requestTimeoutMs: app.config.requestTimeoutMs,
      }),
    });
    try {
      const lines = await requestLines(async () => {
        const response = await fetch(new URL('/health/live', server.url));
        await response.text();
      });

      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        route: '/health/live',
        status: 200,
        clientAddress: LOOPBACK,
      });
    } finally {
      await server.stop(true);
    }
  });
});
