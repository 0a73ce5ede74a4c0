import { createPasswordHasher } from '../auth/passwords.ts';
import { version } from '../cli/commands.ts';
import { createSettledMarker } from '../cache/settled-marker.ts';
import type { Config } from '../config/config.ts';
import { migrate } from '../db/migrate.ts';
import { openDatabase, type OpenDatabase } from '../db/open.ts';
import { createEntryRepository } from '../entries/repository.ts';
import { createEntryService } from '../entries/service.ts';
import { createApp, type App } from '../http/app.ts';
import type { Logger } from '../observability/logger.ts';
import { createHttpObserver, type HttpObserver } from '../observability/http-observer.ts';
import { createMetrics, type Metrics } from '../observability/metrics.ts';
import { startResilienceLog } from '../observability/resilience-log.ts';
import { createWebhookLog } from '../observability/webhook-log.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
import { RateLimiter } from '../rate-limit/rate-limiter.ts';
import { createResilienceEvents, type ResilienceEvents } from '../resilience/event-hub.ts';
import { systemTimers } from '../resilience/timers.ts';
import { createUserRepository } from '../users/repository.ts';
import { createDeliveryRepository } from '../webhooks/delivery-repository.ts';
import { defaultDeliveryPolicy, type DeliveryPolicy } from '../webhooks/delivery-policy.ts';
import { WebhookDispatcher } from '../webhooks/dispatcher.ts';
import { createWebhookOutbox } from '../webhooks/outbox.ts';
import { createWebhookService } from '../webhooks/service.ts';
import { createWebhookRepository } from '../webhooks/webhook-repository.ts';
import { wireRedis, type RedisObservers, type RedisWiring } from './redis-wiring.ts';

export interface Services {
  app: App;
  /** Also records the responses the server sends without the app (see `serve.ts`). */
  httpObserver: HttpObserver;
  database: OpenDatabase;
  redis: RedisWiring;
  events: ResilienceEvents;
  metrics: Metrics;
  webhookDispatcher: WebhookDispatcher;
  /** Marks the service not ready; resolves once the webhook deliveries in flight are done. */
  beginShutdown(): Promise<void>;
  close(): Promise<void>;
}

export interface ServiceOptions {
  clock?: Clock;
  /** argon2id work factors; tests lower them. */
  passwordCost?: { memoryCostKib: number; timeCost: number };
  /** Webhook attempt limits and retry delays; tests shorten them. */
  deliveryPolicy?: DeliveryPolicy;
  /** Draws the jitter of webhook retry delays, in [0, 1); tests fix it. */
  random?: () => number;
}

/** Longest wait for Redis to close at shutdown; close() hangs on a frozen server. */
const redisCloseLimitMs = 2000;

const hashingConcurrency = Math.max(1, navigator.hardwareConcurrency);

/** Wires the service together: the one place that knows every concrete implementation. */
export function createServices(config: Config, logger: Logger, options: ServiceOptions = {}): Services {
  const clock = options.clock ?? systemClock;
  const database = openDatabase(config.dbPath);
  const applied = migrate(database.db);
  if (applied > 0) logger.info({ applied, dbPath: config.dbPath }, 'database migrated');

  let shuttingDown = false;
  const events = createResilienceEvents();
  const metrics = createMetrics();
  const resilienceLog = startResilienceLog({ events, logger, metrics });
  const observers: RedisObservers = {
    onConnection: resilienceLog.onRedisConnectionEvent,
    onCommand: metrics.redisCommand,
    onCache: metrics.cacheRequest,
  };
  // Taken whether or not Redis is on: a run without it invalidates nothing there.
  const settledMarker = createSettledMarker(database.db);
  const redis = wireRedis(config, events, observers, settledMarker.take());
  const deliveryPolicy = options.deliveryPolicy ?? defaultDeliveryPolicy;
  const webhookStore = createWebhookRepository(database.db);
  const deliveryStore = createDeliveryRepository(database.db);
  const webhookDispatcher = new WebhookDispatcher({
    webhooks: webhookStore,
    deliveries: deliveryStore,
    poolSize: config.workerPoolSize,
    ...deliveryPolicy,
    userAgent: `breakwater/${version}`,
    ...createWebhookLog(logger, metrics),
    scheduler: { now: () => clock.now(), schedule: systemTimers.schedule },
    random: options.random,
  });
  const entries = createEntryService({
    repository: createEntryRepository(database.db),
    cache: redis.cache,
    clock,
    events: createWebhookOutbox({
      webhooks: webhookStore,
      deliveries: deliveryStore,
      clock,
      onRecorded: () => webhookDispatcher.wake(),
    }),
    inTransaction: database.inTransaction,
  });
  const webhooks = createWebhookService({
    webhooks: webhookStore,
    deliveries: deliveryStore,
    clock,
    maxWebhooksPerUser: deliveryPolicy.maxWebhooksPerUser,
  });
  const httpObserver = createHttpObserver({ logger, metrics, routes: () => app.routes });
  const app = createApp({
    logger,
    httpObserver,
    metrics,
    sqlite: database.sqlite,
    entries,
    webhooks,
    users: createUserRepository(database.db),
    passwords: createPasswordHasher({ concurrency: hashingConcurrency, ...options.passwordCost }),
    clock,
    jwtSecret: config.jwtSecret,
    jwtTtlMs: config.jwtTtlMs,
    maxBodySizeBytes: config.maxBodySizeBytes,
    requestTimeoutMs: config.requestTimeoutMs,
    isShuttingDown: () => shuttingDown,
    readinessChecks: { redis: redis.check },
    trustProxy: config.trustProxy,
    rateLimit: {
      limiter: new RateLimiter(redis.redis, clock, ({ allowed, store }) =>
        metrics.rateLimitDecision(allowed ? 'allowed' : 'limited', store),
      ),
      general: { name: 'default', limit: config.rateLimitRequests, windowMs: config.rateLimitWindowMs },
      auth: { name: 'auth', limit: config.authRateLimitRequests, windowMs: config.authRateLimitWindowMs },
    },
  });
  // Deliveries an earlier run left pending, or cut off in the middle of an attempt.
  webhookDispatcher.wake();

  return {
    app,
    httpObserver,
    database,
    redis,
    events,
    metrics,
    webhookDispatcher,
    beginShutdown: () => {
      shuttingDown = true;

      return webhookDispatcher.stop();
    },
    async close() {
      // Elysia writes each request's log line from a setImmediate after the response, and Bun
      // may not run those during shutdown before the process exits: let them run first.
      await new Promise((resolve) => setImmediate(resolve));
      // Deliveries still running were cut off by the shutdown timeout: their leases hand them
      // to the next run, so they are ended before SQLite closes under them.
      webhookDispatcher.abort();
      await webhookDispatcher.stop();
      const settledRun = await redis.settle();
      if (settledRun !== undefined) settledMarker.put(settledRun);
      await redis.close(redisCloseLimitMs);
      resilienceLog.stop();
      database.close();
    },
  };
}
