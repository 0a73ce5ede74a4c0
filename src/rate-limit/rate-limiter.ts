import type { GuardedRedis } from '../redis/guarded-redis.ts';
import type { Deadline } from '../resilience/deadline.ts';
import type { Clock } from '../shared/clock.ts';
import { MemoryWindows } from './memory-window.ts';

export interface RateLimitPolicy {
  name: string;
  limit: number;
  windowMs: number;
}

export type RateLimitStore = 'redis' | 'memory';

export interface RateLimitDecision {
  allowed: boolean;
  policy: RateLimitPolicy;
  remaining: number;
  resetMs: number;
  store: RateLimitStore;
}

/** What the limiter needs of Redis. */
export type RateLimitRedis = Pick<GuardedRedis, 'countHit' | 'refuses'>;

/**
 * Fixed-window limits counted atomically in Redis (one round trip), or in this process
 * with the same limits while Redis is unavailable: never an error, never wide open.
 */
export class RateLimiter {
  private readonly memory: MemoryWindows;

  constructor(
    private readonly redis: RateLimitRedis | undefined,
    private readonly clock: Clock,
    private readonly onDecision?: (decision: RateLimitDecision) => void,
  ) {
    this.memory = new MemoryWindows(clock);
  }

  async hit(policy: RateLimitPolicy, client: string, deadline: Deadline): Promise<RateLimitDecision> {
    const key = `bw:rl:${policy.name}:${client}`;
    // Not even asked while the breaker refuses: the in-process count answers in this turn.
    const usable = this.redis !== undefined && !this.redis.refuses('EVALSHA');
    const inRedis = usable
      ? await this.redis?.countHit(key, policy.windowMs, deadline).catch(() => undefined)
      : undefined;
    const store: RateLimitStore = inRedis ? 'redis' : 'memory';
    // Redis's count is kept here too, so a fallback in the same window does not start over.
    const window = inRedis
      ? this.memory.follow(key, inRedis.count, inRedis.resetMs)
      : this.memory.hit(key, policy.windowMs);

    const decision: RateLimitDecision = {
      allowed: window.count <= policy.limit,
      policy,
      remaining: Math.max(0, policy.limit - window.count),
      resetMs: Math.max(0, window.resetAt - this.clock.now()),
      store,
    };
    this.onDecision?.(decision);

    return decision;
  }
}
