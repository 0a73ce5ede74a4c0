import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CacheResult } from '../cache/redis-entry-cache.ts';
import type { RateLimitStore } from '../rate-limit/rate-limiter.ts';
import type { RedisCommandOutcome } from '../redis/guarded-redis.ts';
import type { BreakerStateName } from '../resilience/breaker-types.ts';
import type { AttemptOutcome } from '../webhooks/dispatcher.ts';

export type RateLimitVerdict = 'allowed' | 'limited';
export type BreakerState = Exclude<BreakerStateName, 'disabled'>;

export interface HttpRequestObservation {
  method: string;
  /** The matched route template (`/entries/:id`), never the raw path. */
  route: string;
  status: number;
  durationSeconds: number;
}

/**
 * The service's metrics, each behind a method so callers cannot pick a label that would
 * grow without bound. Label values never carry ids, keys or anything a user typed.
 */
export interface Metrics {
  /** The Content-Type of `render()`'s output. */
  readonly contentType: string;
  render(): Promise<string>;
  httpRequest(observation: HttpRequestObservation): void;
  cacheRequest(result: CacheResult): void;
  /** `command` is the command's name (`GET`), never its arguments. */
  redisCommand(command: string, outcome: RedisCommandOutcome): void;
  rateLimitDecision(decision: RateLimitVerdict, store: RateLimitStore): void;
  requestTimeout(): void;
  retry(): void;
  breakerTransition(from: BreakerState, to: BreakerState): void;
  redisConnected(connected: boolean): void;
  webhookAttempt(outcome: AttemptOutcome, durationSeconds: number): void;
  webhookStoreError(): void;
}

export interface MetricsOptions {
  /** Process and runtime metrics (CPU, memory, event loop); on unless turned off. */
  defaultMetrics?: boolean;
}

const durationBucketsSeconds = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
const heapSpaceMetrics = [
  'nodejs_heap_space_size_total_bytes',
  'nodejs_heap_space_size_used_bytes',
  'nodejs_heap_space_size_available_bytes',
];
const breakerStateValues: Record<BreakerState, number> = { closed: 0, open: 1, half_open: 2 };
const cacheResults: readonly CacheResult[] = ['hit', 'miss', 'bypass', 'error'];
const rateLimitDecisions: readonly RateLimitVerdict[] = ['allowed', 'limited'];
const rateLimitStores: readonly RateLimitStore[] = ['redis', 'memory'];
const webhookOutcomes: readonly AttemptOutcome[] = ['delivered', 'retrying', 'failed'];

/** One registry per call, so several service instances in one process never share series. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.defaultMetrics ?? true) {
    collectDefaultMetrics({ register: registry });
    // On Bun, reading the heap per space walks the heap: 2.5 to 3.5 ms of blocked event loop
    // per scrape with a small heap, more as it grows. The heap totals stay.
    for (const name of heapSpaceMetrics) registry.removeSingleMetric(name);
  }

  const httpLabels = ['method', 'route', 'status'] as const;
  const httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: httpLabels,
    registers,
  });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to producing its response',
    labelNames: httpLabels,
    buckets: durationBucketsSeconds,
    registers,
  });
  const breakerState = new Gauge({
    name: 'redis_breaker_state',
    help: 'State of the Redis circuit breaker: 0 closed, 1 open, 2 half-open',
    registers,
  });
  const breakerTransitions = new Counter({
    name: 'redis_breaker_transitions_total',
    help: 'Changes of state of the Redis circuit breaker',
    labelNames: ['from', 'to'] as const,
    registers,
  });
  const redisCommands = new Counter({
    name: 'redis_commands_total',
    help: 'Redis commands by name and outcome',
    labelNames: ['command', 'outcome'] as const,
    registers,
  });
  const redisConnected = new Gauge({
    name: 'redis_connected',
    help: '1 while the Redis client holds a ready connection, else 0',
    registers,
  });
  const cacheRequests = new Counter({
    name: 'cache_requests_total',
    help: 'Entry cache lookups by result',
    labelNames: ['result'] as const,
    registers,
  });
  const rateLimitDecisionsTotal = new Counter({
    name: 'rate_limit_decisions_total',
    help: 'Rate-limit decisions by decision and the store that made them',
    labelNames: ['decision', 'store'] as const,
    registers,
  });
  const requestTimeouts = new Counter({
    name: 'request_timeouts_total',
    help: 'Requests answered 504 because their deadline passed',
    registers,
  });
  const retries = new Counter({
    name: 'retries_total',
    help: 'Retries scheduled after a failed attempt',
    registers,
  });

  const webhookAttempts = new Counter({
    name: 'webhook_delivery_attempts_total',
    help: 'Webhook delivery attempts by outcome: delivered, retrying (failed, tried again later) or failed (no attempt left)',
    labelNames: ['outcome'] as const,
    registers,
  });
  const webhookDuration = new Histogram({
    name: 'webhook_delivery_attempt_duration_seconds',
    help: 'Time from sending a webhook delivery to its answer or failure',
    buckets: durationBucketsSeconds,
    registers,
  });

  const webhookStoreErrors = new Counter({
    name: 'webhook_dispatcher_store_errors_total',
    help: 'Times the webhook dispatcher found SQLite failing and paused',
    registers,
  });

  // Series that exist from the start, so a rate over them is defined before the first event.
  for (const result of cacheResults) cacheRequests.inc({ result }, 0);
  for (const decision of rateLimitDecisions) {
    for (const store of rateLimitStores) rateLimitDecisionsTotal.inc({ decision, store }, 0);
  }
  for (const outcome of webhookOutcomes) webhookAttempts.inc({ outcome }, 0);

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    httpRequest({ method, route, status, durationSeconds }) {
      const labels = { method, route, status: String(status) };
      httpRequests.inc(labels);
      httpDuration.observe(labels, durationSeconds);
    },
    cacheRequest: (result) => cacheRequests.inc({ result }),
    redisCommand: (command, outcome) => redisCommands.inc({ command, outcome }),
    rateLimitDecision: (decision, store) => rateLimitDecisionsTotal.inc({ decision, store }),
    requestTimeout: () => requestTimeouts.inc(),
    retry: () => retries.inc(),
    breakerTransition(from, to) {
      breakerTransitions.inc({ from, to });
      breakerState.set(breakerStateValues[to]);
    },
    redisConnected: (connected) => redisConnected.set(connected ? 1 : 0),
    webhookAttempt(outcome, durationSeconds) {
      webhookAttempts.inc({ outcome });
      webhookDuration.observe(durationSeconds);
    },
    webhookStoreError: () => webhookStoreErrors.inc(),
  };
}
