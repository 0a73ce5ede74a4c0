import { checkBackoff, type BackoffOptions } from './backoff.ts';
import { BreakerOpenError, DeadlineExceededError } from './errors.ts';
import { createResilienceEvents, type ResilienceEvents } from './event-hub.ts';
import { checkCount, checkName } from './option-checks.ts';
import type { RetryBudget } from './retry-budget.ts';
import { createSleeper, type Sleeper } from './sleep.ts';
import { systemScheduler, type Scheduler } from './timers.ts';
import type { Clock } from '../shared/clock.ts';

export interface RetryOptions extends BackoffOptions {
  name: string;
  /** Attempts in all, the first one included; 1 means never retry. */
  attempts: number;
  /** Defaults to: everything except an open breaker, a passed deadline and an abort. */
  isRetryable?: (error: unknown) => boolean;
  /** Shared by every caller of one dependency, to keep an outage from becoming a storm. */
  budget?: RetryBudget;
  events?: ResilienceEvents;
  /** The clock the caller's deadlines are on, and the timers the default sleep uses. */
  scheduler?: Scheduler;
  sleep?: Sleeper;
  /** Uniform in [0, 1); replaceable for tests. */
  random?: () => number;
}

export interface ResolvedRetryOptions extends BackoffOptions {
  name: string;
  attempts: number;
  isRetryable: (error: unknown) => boolean;
  budget: RetryBudget | undefined;
  events: ResilienceEvents;
  clock: Clock;
  sleep: Sleeper;
  random: () => number;
}

export function defaultIsRetryable(error: unknown): boolean {
  return !(
    error instanceof BreakerOpenError ||
    error instanceof DeadlineExceededError ||
    (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))
  );
}

export function resolveRetryOptions(options: RetryOptions): ResolvedRetryOptions {
  checkName('name', options.name);
  checkCount('attempts', options.attempts, 1);
  checkBackoff(options);
  const scheduler = options.scheduler ?? systemScheduler;

  return {
    name: options.name,
    attempts: options.attempts,
    firstDelayMs: options.firstDelayMs,
    growthFactor: options.growthFactor,
    maxDelayMs: options.maxDelayMs,
    isRetryable: options.isRetryable ?? defaultIsRetryable,
    budget: options.budget,
    events: options.events ?? createResilienceEvents(),
    clock: scheduler,
    sleep: options.sleep ?? createSleeper(scheduler),
    random: options.random ?? Math.random,
  };
}
