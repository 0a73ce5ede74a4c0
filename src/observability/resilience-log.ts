import type { RedisConnectionEvent } from '../redis/connection-state.ts';
import type { ResilienceEvents } from '../resilience/event-hub.ts';
import type { ResilienceEvent, RetryGiveUpReason } from '../resilience/events.ts';
import { describeError } from './describe-error.ts';
import type { Logger } from './logger.ts';
import type { BreakerState, Metrics } from './metrics.ts';

export interface ResilienceLogDeps {
  events: ResilienceEvents;
  logger: Logger;
  metrics: Metrics;
}

export interface ResilienceLog {
  /** Pass as `onEvent` to `createRedisClient`. */
  onRedisConnectionEvent(event: RedisConnectionEvent): void;
  /** Stops listening to the resilience events. */
  stop(): void;
}

// Give-ups that happen on every call while a dependency is known to be away (a breaker
// rejection is not retryable) or that the caller asked for: logging them louder than debug
// would write a line per request during an outage.
const routineGiveUps: ReadonlySet<RetryGiveUpReason> = new Set(['not_retryable', 'aborted']);

/**
 * The one place that turns resilience and Redis connection events into log lines and
 * metrics. Each change of state is one line; per-call events are debug lines at most.
 */
export function startResilienceLog({ events, logger, metrics }: ResilienceLogDeps): ResilienceLog {
  const stop = events.subscribe((event) => recordResilienceEvent(event, logger, metrics));
  let connectedBefore = false;

  return {
    onRedisConnectionEvent(event) {
      switch (event.type) {
        case 'connected':
          metrics.redisConnected(true);
          logger.info(connectedBefore ? 'redis connection restored' : 'redis connected');
          connectedBefore = true;
          break;
        case 'lost':
          metrics.redisConnected(false);
          logger.warn(
            describeError(event.error),
            connectedBefore ? 'redis connection lost' : 'redis unreachable',
          );
          break;
        case 'reconnecting':
          logger.debug('redis reconnecting');
          break;
        default:
          unreachable(event);
      }
    },
    stop,
  };
}

export function recordResilienceEvent(event: ResilienceEvent, logger: Logger, metrics: Metrics) {
  switch (event.type) {
    case 'breaker.opened': {
      const from: BreakerState = event.reason.startsWith('probe_') ? 'half_open' : 'closed';
      metrics.breakerTransition(from, 'open');
      const { name, reason, consecutiveFailures, windowCalls, windowFailures, cooldownMs } = event;
      const fields = { breaker: name, reason, consecutiveFailures, windowCalls, windowFailures };
      logger.warn(
        { ...fields, cooldownMs, ...describeError(event.error) },
        'circuit breaker opened',
      );
      break;
    }
    case 'breaker.half_open':
      metrics.breakerTransition('open', 'half_open');
      logger.info({ breaker: event.name }, 'circuit breaker half-open: letting one probe through');
      break;
    case 'breaker.closed':
      metrics.breakerTransition('half_open', 'closed');
      logger.info({ breaker: event.name, openForMs: event.openForMs }, 'circuit breaker closed');
      break;
    case 'breaker.rejected':
      // One per rejected call; the callers count them as `rejected` commands.
      break;
    case 'breaker.failure':
      logger.debug(
        {
          breaker: event.name,
          consecutiveFailures: event.consecutiveFailures,
          ...describeError(event.error),
        },
        'circuit breaker counted a failure',
      );
      break;
    case 'breaker.stale_result':
      logger.debug(
        { breaker: event.name, outcome: event.outcome, generation: event.generation },
        'circuit breaker ignored a result from an earlier state',
      );
      break;
    case 'retry.scheduled':
      metrics.retry();
      logger.debug(
        {
          policy: event.name,
          attempt: event.attempt,
          delayMs: Math.round(event.delayMs),
          ...describeError(event.error),
        },
        'retry scheduled',
      );
      break;
    case 'retry.gave_up': {
      const fields = { policy: event.name, attempts: event.attempts, reason: event.reason };
      const level = routineGiveUps.has(event.reason) ? 'debug' : 'warn';
      logger[level]({ ...fields, ...describeError(event.error) }, 'retries gave up');
      break;
    }
    case 'attempt.timed_out':
      logger.debug({ operation: event.name, timeoutMs: event.timeoutMs }, 'attempt timed out');
      break;
    default:
      unreachable(event);
  }
}

function unreachable(event: never): never {
  throw new Error(`unhandled event ${JSON.stringify(event)}`);
}
