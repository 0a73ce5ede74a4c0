import { describe, expect, test } from 'bun:test';
import { RateLimiter, type RateLimitRedis } from '../../src/rate-limit/rate-limiter.ts';
import { cancellationOnly } from '../../src/resilience/deadline.ts';
import { fakeClock } from '../support/fake-clock.ts';

/** A Redis that counts like the rate-limit script until it is taken away. */
function fakeRedis(clock: { now(): number }) {
  const counts = new Map<string, { count: number; resetAt: number }>();
  let away = false;
  const redis: RateLimitRedis = {
    refuses: () => false,
    async countHit(key, windowMs) {
      if (away) throw new Error('connect ECONNREFUSED');
      const now = clock.now();
      let window = counts.get(key);
      if (!window || window.resetAt <= now) {
        window = { count: 0, resetAt: now + windowMs };
        counts.set(key, window);
      }

      window.count++;

      return { count: window.count, resetMs: window.resetAt - now };
    },
  };

  return { redis, goAway: () => (away = true) };
}

const policy = { name: 'default', limit: 5, windowMs: 60_000 };
const deadline = cancellationOnly(new AbortController().signal);

async function hits(limiter: RateLimiter, count: number) {
  const decisions = [];
  for (let index = 0; index < count; index++) {
    decisions.push(await limiter.hit(policy, 'a', deadline));
  }

  return decisions;
}

describe('RateLimiter', () => {
  test('allows no more than the limit in one window across a Redis outage', async () => {
    const clock = fakeClock();
    const { redis, goAway } = fakeRedis(clock);
    const limiter = new RateLimiter(redis, clock);
    const decisions = await hits(limiter, 5);

    goAway();
    clock.advance(1_000);
    decisions.push(...(await hits(limiter, 5)));

    expect(decisions.map((decision) => decision.allowed)).toEqual([
      ...Array(5).fill(true),
      ...Array(5).fill(false),
    ]);
    expect(decisions.map((decision) => decision.store)).toEqual([
      ...Array(5).fill('redis'),
      ...Array(5).fill('memory'),
    ]);
    expect(decisions[5]).toMatchObject({ remaining: 0, resetMs: 59_000 });
  });

  test('allows a full limit again once the window Redis reported has ended', async () => {
    const clock = fakeClock();
    const { redis, goAway } = fakeRedis(clock);
    const limiter = new RateLimiter(redis, clock);
    await hits(limiter, 5);

    goAway();
    clock.advance(60_000);

    expect(await limiter.hit(policy, 'a', deadline)).toMatchObject({ allowed: true, remaining: 4 });
  });
});
