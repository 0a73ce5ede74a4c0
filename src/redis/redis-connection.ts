import type { Config } from '../config/config.ts';
import { createRedisClient, type RedisClient } from './client.ts';
import { closeWithin, type CloseOutcome } from './close-within.ts';
import type { RedisConnectionEvent } from './connection-state.ts';

export interface RedisConnection {
  client: RedisClient;
  /** Resolves true once connected, false when the boot attempts ran out (still reconnecting). */
  ready: Promise<boolean>;
  close(timeLimitMs: number): Promise<CloseOutcome>;
}

type RedisSettings = Pick<
  Config,
  'redisTimeoutMs' | 'redisConnectAttempts' | 'redisConnectDelayMs'
> & { redisUrl: string };

const connectTimeoutFloorMs = 1000;

/**
 * Starts connecting and gives the boot REDIS_CONNECT_ATTEMPTS tries, with delays doubling
 * from REDIS_CONNECT_DELAY. The client never stops reconnecting afterwards, so a service
 * that booted degraded picks Redis up whenever it comes.
 */
export function connectRedis(
  settings: RedisSettings,
  onEvent: (event: RedisConnectionEvent) => void,
): RedisConnection {
  let failedAttempts = 0;
  let giveUp: (value: boolean) => void = () => {};
  const connectTimeoutMs = Math.max(connectTimeoutFloorMs, settings.redisTimeoutMs * 4);
  const client = createRedisClient({
    url: settings.redisUrl,
    commandTimeoutMs: settings.redisTimeoutMs,
    connectTimeoutMs,
    reconnectFirstDelayMs: Math.max(1, settings.redisConnectDelayMs),
    onEvent,
    onError: () => {
      if (!client.isReady && ++failedAttempts >= settings.redisConnectAttempts) giveUp(false);
    },
  });
  // connect() settles only on success; failed attempts surface as events meanwhile.
  const connected = client.connect().then(
    () => true,
    () => false,
  );

  let budgetMs = settings.redisConnectAttempts * connectTimeoutMs;
  for (let attempt = 1; attempt < settings.redisConnectAttempts; attempt++) {
    budgetMs += settings.redisConnectDelayMs * 2 ** (attempt - 1);
  }

  let timer: Timer | undefined;
  const ready = Promise.race([
    connected,
    new Promise<boolean>((resolve) => {
      giveUp = resolve;
      timer = setTimeout(() => resolve(false), budgetMs);
    }),
  ]).finally(() => clearTimeout(timer));

  return { client, ready, close: (timeLimitMs) => closeWithin(client, timeLimitMs) };
}
