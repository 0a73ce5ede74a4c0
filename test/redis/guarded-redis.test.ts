import { describe, expect, test } from 'bun:test';
import { TimeoutReadError } from 'redis';
import type { RedisClient } from '../../src/redis/client.ts';
import { GuardedRedis, type RedisCommandOutcome } from '../../src/redis/guarded-redis.ts';
import { createDeadline } from '../../src/resilience/deadline.ts';
import { createResilienceEvents } from '../../src/resilience/event-hub.ts';

// A stand-in for node-redis: the one way to make its own command timer, rather than the
// attempt's, be what rejects a command, every time.
function clientTimingOut() {
  let calls = 0;
  const commands = {
    get: async () => {
      calls++;
      throw new TimeoutReadError(250);
    },
  };
  const client = { withAbortSignal: () => commands, isReady: true } as unknown as RedisClient;

  return { client, calls: () => calls };
}

describe('GuardedRedis', () => {
  test("the client's own command timeout counts as a timeout: no retry, no second wait", async () => {
    const { client, calls } = clientTimingOut();
    const outcomes: RedisCommandOutcome[] = [];
    const redis = new GuardedRedis({
      client,
      events: createResilienceEvents(),
      attemptTimeoutMs: 250,
      breakerThreshold: 100,
      breakerCooldownMs: 1_000,
      onCommand: (_command, outcome) => outcomes.push(outcome),
    });
    const deadline = createDeadline({ timeoutMs: 5_000 });

    await expect(redis.get('a', deadline)).rejects.toBeInstanceOf(TimeoutReadError);
    await expect(redis.get('b', deadline)).rejects.toThrow('an earlier Redis command');

    expect(calls()).toBe(1);
    expect(outcomes).toEqual(['timeout', 'skipped']);
    deadline.dispose();
  });
});
