import type { Config } from '../config/config.ts';
import { RedisEntryCache, type CacheResult } from '../cache/redis-entry-cache.ts';
import { noEntryCache, type EntryCache } from '../entries/cache.ts';
import type { HealthCheck } from '../health/routes.ts';
import type { RedisConnectionEvent } from '../redis/connection-state.ts';
import {
  GuardedRedis,
  type RedisCommandName,
  type RedisCommandOutcome,
} from '../redis/guarded-redis.ts';
import { connectRedis } from '../redis/redis-connection.ts';
import type { ResilienceEvents } from '../resilience/event-hub.ts';

export interface RedisObservers {
  onConnection(event: RedisConnectionEvent): void;
  onCommand(command: RedisCommandName, outcome: RedisCommandOutcome): void;
  onCache(result: CacheResult): void;
}

export interface RedisWiring {
  redis: GuardedRedis | undefined;
  cache: EntryCache;
  /** Resolves once Redis answered at boot, or the boot attempts ran out (or Redis is off). */
  ready: Promise<boolean>;
  check(): HealthCheck;
  /**
   * Applies the invalidations still pending, within the cache's settle limit; resolves with
   * the run id of the Redis that then holds all of them, or undefined when some are missing.
   */
  settle(): Promise<string | undefined>;
  close(timeLimitMs: number): Promise<void>;
}

/** Redis and what depends on it, or their stand-ins when REDIS_URL is off. */
export function wireRedis(
  config: Config,
  events: ResilienceEvents,
  observers: RedisObservers,
  /** What the last run's clean shutdown recorded; see `RedisEntryCache`. */
  settledInRedisRun: string | undefined,
): RedisWiring {
  const { redisUrl } = config;
  if (redisUrl === null) {
    return {
      redis: undefined,
      cache: noEntryCache,
      ready: Promise.resolve(false),
      check: () => ({ status: 'pass', mode: 'off' }),
      settle: async () => undefined,
      close: async () => {},
    };
  }

  const connection = connectRedis({ ...config, redisUrl }, observers.onConnection);
  const redis = new GuardedRedis({
    client: connection.client,
    events,
    attemptTimeoutMs: config.redisTimeoutMs,
    breakerThreshold: config.redisBreakerThreshold,
    breakerCooldownMs: config.redisBreakerCooldownMs,
    onCommand: observers.onCommand,
  });
  const cache = new RedisEntryCache({
    redis,
    ttlMs: config.cacheTtlMs,
    settleTimeoutMs: config.redisTimeoutMs * 2,
    settledInRedisRun,
    onResult: observers.onCache,
  });
  // `ready` comes before any command can use the new connection.
  connection.client.on('ready', () => cache.connectionOpened());

  return {
    redis,
    cache,
    ready: connection.ready,
    check() {
      const health = redis.health();
      const breaker = health.breaker.state;
      const healthy = health.connected && (breaker === 'closed' || breaker === 'disabled');
      const detail = {
        connected: health.connected,
        breaker,
        uncertainCacheKeys: cache.uncertainKeys,
        ...(health.lastError && { lastError: health.lastError }),
      };

      return { status: healthy ? 'pass' : 'warn', ...detail };
    },
    async settle() {
      await cache.settle();

      return cache.settledRun;
    },
    async close(timeLimitMs) {
      await connection.close(timeLimitMs);
    },
  };
}
