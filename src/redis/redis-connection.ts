import type { Config } from '../config/config.ts';
import { createRedisClient, type RedisClient } from './client.ts';
import { closeWithin, type CloseOutcome } from './close-within.ts';
import type { RedisConnectionEvent } from './connection-state.ts';
import { bootDelayMs, createBootReconnectDelay, createReconnectDelay } from './reconnect-delay.ts';

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
const backgroundMaxDelayMs = 2000;

/**
 * Starts connecting and gives the boot REDIS_CONNECT_ATTEMPTS tries, REDIS_CONNECT_DELAY
 * apart and doubling. The client never stops reconnecting afterwards, with jittered delays
 * from REDIS_CONNECT_DELAY up to 2 s (or that delay if longer), so a service that booted
 * degraded picks Redis up whenever it comes.
 */
export function connectRedis(
  settings: RedisSettings,
  onEvent: (event: RedisConnectionEvent) => void,
): RedisConnection {
  const { redisConnectAttempts: attempts, redisConnectDelayMs: firstDelayMs } = settings;
  let resolveReady: (connected: boolean) => void = () => {};
  const ready = new Promise<boolean>((resolve) => (resolveReady = resolve));
  let timer: Timer | undefined;
  const bootDelay = createBootReconnectDelay({
    attempts,
    firstDelayMs,
    afterBoot: createReconnectDelay({
      firstDelayMs: Math.max(1, firstDelayMs),
      maxDelayMs: Math.max(backgroundMaxDelayMs, firstDelayMs),
    }),
    onAttemptsSpent: () => settle(false),
  });
  // Synchronous, so no attempt after the boot can be taken for one of its own.
  const settle = (connected: boolean) => {
    bootDelay.end();
    clearTimeout(timer);
    resolveReady(connected);
  };

  const connectTimeoutMs = Math.max(connectTimeoutFloorMs, settings.redisTimeoutMs * 4);
  const client = createRedisClient({
    url: settings.redisUrl,
    commandTimeoutMs: settings.redisTimeoutMs,
    connectTimeoutMs,
    reconnectDelay: bootDelay.delayMs,
    onEvent,
  });
  // connect() settles only on success; failed attempts surface as strategy calls meanwhile.
  client.connect().then(
    () => settle(true),
    () => settle(false),
  );

  // A backstop for an attempt that neither connects nor fails, one connect timeout longer than
  // the boot's attempts and delays, so that a last attempt that times out still fails itself.
  let budgetMs = (attempts + 1) * connectTimeoutMs;
  for (let failed = 1; failed < attempts; failed++) budgetMs += bootDelayMs(firstDelayMs, failed);
  timer = setTimeout(() => settle(false), budgetMs);

  return { client, ready, close: (timeLimitMs) => closeWithin(client, timeLimitMs) };
}
