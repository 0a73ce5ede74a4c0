import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createFetchHandler } from '../../src/server/fetch-handler.ts';
import { startRedisRig, type RedisTestRig } from '../support/redis-app.ts';

const requestTimeoutMs = 400;

let rig: RedisTestRig;
let server: ReturnType<typeof Bun.serve>;
let token: string;
let entryId: string;

beforeAll(async () => {
  // The way a service behaves without a breaker: every Redis call waits for its full limit.
  rig = await startRedisRig({
    REDIS_BREAKER_THRESHOLD: '0',
    REDIS_TIMEOUT: '5s',
    REQUEST_TIMEOUT: `${requestTimeoutMs}ms`,
  });
  server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: createFetchHandler(rig.app.services.app, { requestTimeoutMs }),
  });
  token = await rig.app.signIn();
  entryId = (await rig.app.createEntry(token, 't')).id;
});
afterAll(async () => {
  server.stop(true);
  await rig.stop();
});

async function timedGet(): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${server.url.href}entries/${entryId}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await response.arrayBuffer();

  return { status: response.status, ms: performance.now() - started };
}

describe('the request deadline with Redis frozen and the breaker disabled', () => {
  test('no response comes later than REQUEST_TIMEOUT plus 100 ms', async () => {
    rig.redis.freeze();
    try {
      const sequential = [];
      for (let index = 0; index < 3; index++) sequential.push(await timedGet());
      const concurrent = await Promise.all(Array.from({ length: 10 }, () => timedGet()));

      for (const { status, ms } of [...sequential, ...concurrent]) {
        expect([200, 504]).toContain(status);
        expect(ms).toBeLessThan(requestTimeoutMs + 100);
      }
    } finally {
      rig.redis.resume();
    }
  });
});
