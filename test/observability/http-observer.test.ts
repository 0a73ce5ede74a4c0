import { describe, expect, test } from 'bun:test';
import { Elysia } from 'elysia';
import { startDeadline } from '../../src/http/deadline-signal.ts';
import { contextOf } from '../../src/http/request-context.ts';
import { requestLifecycle } from '../../src/http/request-lifecycle.ts';
import { createHttpObserver } from '../../src/observability/http-observer.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { createFetchHandler } from '../../src/server/fetch-handler.ts';
import { LOOPBACK } from '../support/free-port.ts';
import { FakeScheduler, flushMicrotasks } from '../resilience/fake-scheduler.ts';
import { afterResponseHooks, captureLog } from './captured-log.ts';
import { parseExposition, valueOf } from './exposition.ts';

const timeoutMs = 1_000;

/** The request lifecycle and the observer around a few routes that answer in unusual ways. */
function observedApp() {
  const log = captureLog();
  const metrics = createMetrics({ defaultMetrics: false });
  let releaseSlow: () => void = () => {};
  const slowGate = new Promise<void>((resolve) => {
    releaseSlow = resolve;
  });
  const routes = () => app.routes;
  const app = new Elysia({ normalize: false })
    .use(
      requestLifecycle({
        logger: log.logger,
        maxBodySizeBytes: 1024,
        requestTimeoutMs: timeoutMs,
        trustProxy: 0,
      }),
    )
    .use(createHttpObserver({ logger: log.logger, metrics, routes }).plugin)
    .get('/boom', () => {
      throw new Error('the disk is on fire');
    })
    .get('/unavailable', () => new Response('later', { status: 503 }))
    .post('/things/', ({ set }) => {
      set.status = 201;

      return { created: true };
    })
    // Ignores its deadline: only the server's race can answer this one on time.
    .get('/slow/:id', async () => {
      await slowGate;

      return { late: true };
    });

  const handle = (method: string, path: string, init: RequestInit = {}) =>
    app.handle(new Request(`http://localhost${path}`, { method, ...init }));

  return { app, log, metrics, handle, releaseSlow };
}

describe('httpObserver', () => {
  test('logs a 5xx at error level with the error message', async () => {
    const { log, handle } = observedApp();
    const response = await handle('GET', '/boom');
    await afterResponseHooks();
    const requestLines = log.records().filter((record) => 'route' in record);

    expect(response.status).toBe(500);
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({
      level: 'error',
      msg: 'request failed',
      route: '/boom',
      status: 500,
      error: 'the disk is on fire',
    });
  });

  test('takes the status of a Response a handler returns, and of `set.status` otherwise', async () => {
    const { log, metrics, handle } = observedApp();
    await handle('GET', '/unavailable');
    await handle('POST', '/things');
    await afterResponseHooks();
    const exposition = parseExposition(await metrics.render());

    expect(log.records().map(({ route, status }) => ({ route, status }))).toEqual([
      { route: '/unavailable', status: 503 },
      { route: '/things', status: 201 },
    ]);
    expect(valueOf(exposition, 'http_requests_total', { route: '/things', status: '201' })).toBe(1);
    const unavailable = { route: '/unavailable', status: '503' };
    expect(valueOf(exposition, 'http_requests_total', unavailable)).toBe(1);
  });

  test('finds the route template of a request refused before routing', async () => {
    const { log, handle } = observedApp();
    const response = await handle('POST', '/things', {
      body: '{}',
      headers: { 'content-type': 'application/json', 'content-length': '4096' },
    });
    await handle('DELETE', '/things');
    await afterResponseHooks();

    expect(response.status).toBe(413);
    expect(log.records().map(({ route, status }) => ({ route, status }))).toEqual([
      { route: '/things', status: 413 },
      { route: 'unmatched', status: 404 },
    ]);
  });

  test('reports the 504 the client got when the deadline passed before the app answered', async () => {
    const { app, log, metrics, releaseSlow } = observedApp();
    const scheduler = new FakeScheduler();
    const request = new Request('http://localhost/slow/42');
    // The server starts the deadline before the app sees the request and answers 504 itself
    // when it passes; the app's late answer goes nowhere.
    startDeadline(request, timeoutMs, scheduler);
    const lateAnswer = app.handle(request);
    await scheduler.advance(timeoutMs);
    releaseSlow();
    const late = await lateAnswer;
    await afterResponseHooks();
    const exposition = parseExposition(await metrics.render());

    expect(late.status).toBe(200);
    expect(log.records()).toHaveLength(1);
    expect(log.records()[0]).toMatchObject({ route: '/slow/:id', status: 504, level: 'error' });
    const timedOut = { route: '/slow/:id', status: '504' };
    expect(valueOf(exposition, 'http_requests_total', timedOut)).toBe(1);
  });

  test('reports 499 for a client that went away before the app answered', async () => {
    const { app, log, releaseSlow } = observedApp();
    const client = new AbortController();
    const request = new Request('http://localhost/slow/7', { signal: client.signal });
    startDeadline(request, timeoutMs, new FakeScheduler());
    const lateAnswer = app.handle(request);
    await flushMicrotasks();
    client.abort();
    releaseSlow();
    await lateAnswer;
    await afterResponseHooks();

    expect(log.records()).toHaveLength(1);
    expect(log.records()[0]).toMatchObject({ route: '/slow/:id', status: 499, level: 'info' });
  });
});

describe('behind the server', () => {
  test('a 504 is recorded when it is sent, even if the app never answers, and only once', async () => {
    const log = captureLog();
    const metrics = createMetrics({ defaultMetrics: false });
    let releaseLate: () => void = () => {};
    const late = new Promise<void>((resolve) => {
      releaseLate = resolve;
    });
    const routes = () => app.routes;
    const observer = createHttpObserver({ logger: log.logger, metrics, routes });
    const app = new Elysia()
      .use(requestLifecycle({ logger: log.logger, maxBodySizeBytes: 1024, requestTimeoutMs: 100, trustProxy: 0 }))
      .use(observer.plugin)
      .get('/never/:id', async () => {
        await new Promise<never>(() => {});
      })
      .get('/late/:id', async ({ request }) => {
        // What a route's guard does once it accepted the token.
        contextOf(request).userId = 'user-9';
        await late;

        return 'late';
      });
    const server = Bun.serve({
      hostname: LOOPBACK,
      port: 0,
      fetch: createFetchHandler(app, {
        requestTimeoutMs: 100,
        onAnsweredEarly: observer.answeredByServer,
      }),
    });
    try {
      const never = await fetch(`http://${LOOPBACK}:${server.port}/never/1`);
      const lateResponse = await fetch(`http://${LOOPBACK}:${server.port}/late/2`);
      releaseLate();
      await Bun.sleep(20);
      await afterResponseHooks();
      const exposition = parseExposition(await metrics.render());

      expect([never.status, lateResponse.status]).toEqual([504, 504]);
      expect(log.records().map(({ route, status, level }) => ({ route, status, level }))).toEqual([
        { route: '/never/:id', status: 504, level: 'error' },
        { route: '/late/:id', status: 504, level: 'error' },
      ]);
      expect(log.records()[0]?.requestId).toBe(never.headers.get('x-request-id') ?? 'missing');
      expect(log.records()[1]?.userId).toBe('user-9');
      expect(valueOf(exposition, 'request_timeouts_total')).toBe(2);
      expect(valueOf(exposition, 'http_requests_total', { route: '/late/:id', status: '504' })).toBe(1);
    } finally {
      await server.stop(true);
    }
  });
});
