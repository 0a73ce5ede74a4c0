import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test';
import { connectRedis, type RedisConnection } from '../../src/redis/redis-connection';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { pollUntil } from '../support/poll-until';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server';

// Timers on a busy machine fire late, never early; accepts are seen within one poll.
const POLL_MS = 2;
const LATE_SLACK_MS = 150;

/** When each connection reached the proxy, relative to the start, until `until` settles. */
async function acceptTimes(proxy: FaultProxy, until: Promise<unknown>): Promise<number[]> {
  const startedAt = performance.now();
  const times: number[] = [];
  const record = () => {
    while (times.length < proxy.connectionsAccepted) times.push(performance.now() - startedAt);
  };
  let settled = false;
  until.finally(() => (settled = true));
  while (!settled) {
    record();
    await Bun.sleep(POLL_MS);
  }

  record();

  return times;
}

const gaps = (times: number[]) => times.slice(1).map((time, index) => time - times[index]!);

describe('connectRedis at boot', () => {
  let server: RedisServerHandle;
  let proxy: FaultProxy;
  let connection: RedisConnection | undefined;

  const connect = (attempts: number, delayMs: number) => {
    connection = connectRedis(
      {
        redisUrl: `redis://${proxy.host}:${proxy.port}`,
        redisTimeoutMs: 200,
        redisConnectAttempts: attempts,
        redisConnectDelayMs: delayMs,
      },
      () => {},
    );

    return connection;
  };

  beforeAll(async () => {
    server = await startRedisServer();
  });

  afterEach(() => {
    connection?.client.destroy();
    connection = undefined;
    proxy.close();
  });

  afterAll(async () => {
    await server.stop();
  });

  test('doubles REDIS_CONNECT_DELAY after each failed attempt, then starts degraded', async () => {
    proxy = startFaultProxy({ targetPort: server.port });
    proxy.reset();

    const { ready } = connect(4, 200);
    const times = await acceptTimes(proxy, ready);

    expect(await ready).toBe(false);
    expect(times).toHaveLength(4);
    gaps(times).forEach((gap, index) => {
      const expected = 200 * 2 ** index;
      expect(gap).toBeGreaterThanOrEqual(expected - POLL_MS);
      expect(gap).toBeLessThan(expected + LATE_SLACK_MS);
    });
  });

  test('keeps reconnecting in the background after the boot gave up', async () => {
    proxy = startFaultProxy({ targetPort: server.port });
    proxy.reset();
    const { client, ready } = connect(2, 50);
    expect(await ready).toBe(false);

    proxy.pass();
    await pollUntil('the background reconnection', () => client.isReady, { limitMs: 5_000 });

    expect(await client.ping()).toBe('PONG');
  });

  test('counts a failed attempt once, however many errors it raises', async () => {
    proxy = startFaultProxy({ targetPort: server.port });
    proxy.reset();
    const { client, ready } = connect(3, 50);
    let echoing = false;
    client.on('error', () => {
      if (echoing) return;
      echoing = true;
      client.emit('error', new Error('a second error of the same attempt'));
      echoing = false;
    });

    const times = await acceptTimes(proxy, ready);

    expect(await ready).toBe(false);
    expect(times).toHaveLength(3);
  });

  test('resolves ready as soon as Redis answers, at a later attempt', async () => {
    proxy = startFaultProxy({ targetPort: server.port });
    proxy.reset();
    const { client, ready } = connect(3, 300);
    await pollUntil('the first attempt', () => proxy.connectionsAccepted >= 1, { limitMs: 2_000 });

    proxy.pass();

    expect(await ready).toBe(true);
    expect(await client.ping()).toBe('PONG');
  });
});
