import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Server } from 'bun';
import { Elysia } from 'elysia';
import pino from 'pino';
import { idleTimeoutSeconds } from '../../src/config/idle-timeout.ts';
import { deadlineOf } from '../../src/http/deadline-signal.ts';
import { requestLifecycle } from '../../src/http/request-lifecycle.ts';
import type { Deadline } from '../../src/resilience/deadline.ts';
import { DeadlineExceededError } from '../../src/resilience/errors.ts';
import { createFetchHandler } from '../../src/server/fetch-handler.ts';
import { LOOPBACK } from '../support/free-port.ts';

const requestTimeoutMs = 300;
const latenessAllowedMs = 50;
// A busy 2-core machine (other test runs, compilers) once delayed one answer by 155 ms: each
// answer must still come long before the ignoring handler's 2 s, and the best of a few must
// be within latenessAllowedMs, which noise from other processes cannot make late.
const noisyLatenessMs = 1_000;
const latenessAttempts = 3;
const silentLogger = pino({ level: 'silent' });

interface Observed {
  deadline: Deadline;
  /** Settles with the signal's reason when it aborts. */
  aborted: Promise<unknown>;
}

/** Routes that hand the test what they saw, so it can check the handler's side. */
function slowApp(observed: (seen: Observed) => void) {
  const watch = (request: Request): Observed => {
    const deadline = deadlineOf(request);
    const aborted = new Promise<unknown>((resolve) => {
      deadline.signal.addEventListener('abort', () => resolve(deadline.signal.reason), {
        once: true,
      });
    });
    const seen = { deadline, aborted };
    observed(seen);

    return seen;
  };

  return new Elysia()
    .get('/ignores-its-signal', async ({ request }) => {
      watch(request);
      await Bun.sleep(2_000);

      return 'too late';
    })
    .get('/honours-its-signal', async ({ request }) => {
      throw await watch(request).aborted;
    })
    .get('/fast', ({ request }) => {
      watch(request);

      return 'quick';
    });
}

interface Harness {
  server: Server<undefined>;
  base: string;
  timeouts(): number;
  /** What the next request's handler sees. */
  nextSeen(): Promise<Observed>;
}

function startServer(timeoutMs: number): Harness {
  const waiting: ((seen: Observed) => void)[] = [];
  let timeouts = 0;
  const app = slowApp((seen) => waiting.shift()?.(seen));
  const server = Bun.serve({
    hostname: LOOPBACK,
    port: 0,
    idleTimeout: idleTimeoutSeconds(timeoutMs),
    fetch: createFetchHandler(app, {
      requestTimeoutMs: timeoutMs,
      onAnsweredEarly: (_request, status) => {
        if (status === 504) timeouts++;
      },
    }),
  });

  return {
    server,
    base: `http://${LOOPBACK}:${server.port}`,
    timeouts: () => timeouts,
    nextSeen: () => new Promise((resolve) => waiting.push(resolve)),
  };
}

async function timedFetch(url: string): Promise<{ response: Response; elapsedMs: number }> {
  const startedAt = performance.now();
  const response = await fetch(url);
  const elapsedMs = performance.now() - startedAt;

  return { response, elapsedMs };
}

describe('createFetchHandler', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = startServer(requestTimeoutMs);
    // Opens the keep-alive connection and warms the code paths, so timings measure the deadline.
    await (await fetch(`${harness.base}/fast`)).text();
  });
  afterAll(() => harness.server.stop(true));

  test('answers a handler that ignores its signal with a 504 problem on time', async () => {
    const timeoutsBefore = harness.timeouts();
    const { response, elapsedMs } = await timedFetch(`${harness.base}/ignores-its-signal`);
    const body = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(504);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(body).toMatchObject({
      type: 'urn:breakwater:problem:deadline_exceeded',
      title: 'Deadline exceeded',
      status: 504,
    });
    expect(body.requestId).toBe(response.headers.get('x-request-id') ?? 'missing');
    expect(elapsedMs).toBeGreaterThanOrEqual(requestTimeoutMs - 1);
    expect(elapsedMs).toBeLessThan(requestTimeoutMs + noisyLatenessMs);
    expect(harness.timeouts()).toBe(timeoutsBefore + 1);
  });

  test(`answers within ${latenessAllowedMs} ms of the deadline`, async () => {
    const elapsed: number[] = [];
    while (elapsed.length < latenessAttempts) {
      const { response, elapsedMs } = await timedFetch(`${harness.base}/ignores-its-signal`);
      await response.arrayBuffer();
      expect(response.status).toBe(504);
      elapsed.push(elapsedMs);
      if (elapsedMs < requestTimeoutMs + latenessAllowedMs) break;
    }

    expect(Math.min(...elapsed)).toBeLessThan(requestTimeoutMs + latenessAllowedMs);
    expect(Math.max(...elapsed)).toBeLessThan(requestTimeoutMs + noisyLatenessMs);
  });

  test('aborts the signal of a handler that honours it, with DeadlineExceededError', async () => {
    const seen = harness.nextSeen();
    const { response, elapsedMs } = await timedFetch(`${harness.base}/honours-its-signal`);
    const { deadline, aborted } = await seen;
    const reason = await aborted;

    expect(response.status).toBe(504);
    expect(elapsedMs).toBeLessThan(requestTimeoutMs + noisyLatenessMs);
    expect(reason).toBeInstanceOf(DeadlineExceededError);
    expect(deadline.signal.aborted).toBe(true);
  });

  test('gives handlers the deadline with the time it expires', async () => {
    const seen = harness.nextSeen();
    const before = Date.now();
    const response = await fetch(`${harness.base}/fast`);
    const after = Date.now();
    const { deadline } = await seen;

    expect(await response.text()).toBe('quick');
    expect(deadline.expiresAt).toBeGreaterThanOrEqual(before + requestTimeoutMs);
    expect(deadline.expiresAt).toBeLessThanOrEqual(after + requestTimeoutMs);
  });

  test('clears the deadline of a finished request: its signal never aborts', async () => {
    const seen = harness.nextSeen();
    const timeoutsBefore = harness.timeouts();
    expect(await (await fetch(`${harness.base}/fast`)).text()).toBe('quick');
    const { deadline } = await seen;
    await Bun.sleep(requestTimeoutMs + 100);

    expect(deadline.signal.aborted).toBe(false);
    expect(harness.timeouts()).toBe(timeoutsBefore);
  });
});

describe('createFetchHandler with a client that goes away', () => {
  // Long enough that only the client's abort can end the request during the test.
  const longTimeoutMs = 20_000;
  let harness: Harness;
  beforeAll(() => {
    harness = startServer(longTimeoutMs);
  });
  afterAll(() => harness.server.stop(true));

  test("aborts the handler's signal when the client aborts its fetch", async () => {
    const client = new AbortController();
    const seen = harness.nextSeen();
    const pending = fetch(`${harness.base}/honours-its-signal`, { signal: client.signal });
    const { deadline, aborted } = await seen;
    client.abort();

    await expect(pending).rejects.toThrow();
    const noAbort = Symbol('no abort within 5 s');
    const reason = await Promise.race([aborted, Bun.sleep(5_000).then(() => noAbort)]);

    expect(reason).not.toBe(noAbort);
    expect(reason).not.toBeInstanceOf(DeadlineExceededError);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.expiresAt - Date.now()).toBeGreaterThan(longTimeoutMs / 2);
    expect(harness.timeouts()).toBe(0);
  });
});

describe('request lifecycle in-process', () => {
  test('starts a deadline too, and maps its expiry to a 504 problem', async () => {
    let deadline: Deadline | undefined;
    const app = new Elysia({ normalize: false })
      .use(
        requestLifecycle({
          logger: silentLogger,
          maxBodySizeBytes: 1024,
          requestTimeoutMs: 50,
          trustProxy: 0,
        }),
      )
      .get('/waits', async ({ request }) => {
        deadline = deadlineOf(request);
        const { signal } = deadline;
        await new Promise((_, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason));
        });
      });

    const response = await app.handle(new Request('http://localhost/waits'));
    const body = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(504);
    expect(body.type).toBe('urn:breakwater:problem:deadline_exceeded');
    expect(deadline?.signal.reason).toBeInstanceOf(DeadlineExceededError);
  });
});
