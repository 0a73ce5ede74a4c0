import type { LogFormat, LogLevel } from './schema.ts';

/** The settings the service runs with: converted, validated and frozen once at boot. */
export interface Config {
  port: number;
  host: string;
  dbPath: string;
  /** null when REDIS_URL=off: no cache, an in-process rate limiter. */
  redisUrl: string | null;
  jwtSecret: string;
  jwtTtlMs: number;
  logLevel: LogLevel;
  logFormat: LogFormat;
  requestTimeoutMs: number;
  shutdownTimeoutMs: number;
  rateLimitRequests: number;
  rateLimitWindowMs: number;
  authRateLimitRequests: number;
  authRateLimitWindowMs: number;
  trustProxy: number;
  maxBodySizeBytes: number;
  cacheTtlMs: number;
  redisTimeoutMs: number;
  redisBreakerThreshold: number;
  redisBreakerCooldownMs: number;
  redisConnectAttempts: number;
  redisConnectDelayMs: number;
  workerPoolSize: number;
}
