import { DeadlineExceededError } from './errors.ts';
import { createResilienceEvents, type ResilienceEvents } from './event-hub.ts';
import { checkCount, checkMs, checkName, checkRatio } from './option-checks.ts';
import { systemClock, type Clock } from '../shared/clock.ts';

/**
 * Decides whether an error says something about the dependency. `callerAborted` is true
 * when the signal the caller passed had aborted by the time the error arrived.
 */
export type FailurePredicate = (error: unknown, callerAborted: boolean) => boolean;

export interface FailureRateOptions {
  /** Ratio of failed calls in the window, in (0, 1], at which the breaker opens. */
  threshold: number;
  windowMs: number;
  /** Fewer calls than this in the window never open the breaker by rate. */
  minimumCalls: number;
  /** Resolution of the window; 10 by default. */
  buckets?: number;
}

export interface BreakerOptions {
  name: string;
  /**
   * Consecutive failures that open the breaker. 0 disables the breaker (every call passes
   * through, for comparison runs); Infinity leaves only the failure-rate rule.
   */
  failureThreshold: number;
  cooldownMs: number;
  failureRate?: FailureRateOptions;
  /** A probe still running after this long counts as failed. Defaults to cooldownMs. */
  probeTimeoutMs?: number;
  /** Defaults to: every error counts, except a caller's own abort or deadline. */
  isFailure?: FailurePredicate;
  clock?: Clock;
  events?: ResilienceEvents;
}

export interface ResolvedBreakerOptions {
  name: string;
  disabled: boolean;
  failureThreshold: number;
  cooldownMs: number;
  failureRate: Required<FailureRateOptions> | undefined;
  probeTimeoutMs: number;
  isFailure: FailurePredicate;
  clock: Clock;
  events: ResilienceEvents;
}

const defaultIsFailure: FailurePredicate = (error, callerAborted) =>
  !callerAborted && !(error instanceof DeadlineExceededError);

const defaultWindowBuckets = 10;

export function resolveBreakerOptions(options: BreakerOptions): ResolvedBreakerOptions {
  checkName('name', options.name);
  checkCount('failureThreshold', options.failureThreshold, 0, true);
  checkMs('cooldownMs', options.cooldownMs);
  const probeTimeoutMs = options.probeTimeoutMs ?? options.cooldownMs;
  checkMs('probeTimeoutMs', probeTimeoutMs, 0, true);

  return {
    name: options.name,
    disabled: options.failureThreshold === 0,
    failureThreshold: options.failureThreshold,
    cooldownMs: options.cooldownMs,
    failureRate: options.failureRate && resolveFailureRate(options.failureRate),
    probeTimeoutMs,
    isFailure: options.isFailure ?? defaultIsFailure,
    clock: options.clock ?? systemClock,
    events: options.events ?? createResilienceEvents(),
  };
}

function resolveFailureRate(rate: FailureRateOptions): Required<FailureRateOptions> {
  checkRatio('failureRate.threshold', rate.threshold);
  checkMs('failureRate.windowMs', rate.windowMs, 1);
  checkCount('failureRate.minimumCalls', rate.minimumCalls, 1);
  const buckets = rate.buckets ?? defaultWindowBuckets;
  checkCount('failureRate.buckets', buckets, 1);

  return { ...rate, buckets };
}
