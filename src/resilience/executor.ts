import { raceWithSignal } from './abort-race.ts';
import { CircuitBreaker } from './breaker.ts';
import { attemptSignal, remainingMs, type Deadline } from './deadline.ts';
import { AttemptTimeoutError, BreakerOpenError, DeadlineExceededError } from './errors.ts';
import { createResilienceEvents, type ResilienceEvents } from './event-hub.ts';
import { checkMs, checkName } from './option-checks.ts';
import type { Operation } from './operation.ts';
import type { RetryPolicy } from './retry.ts';
import { systemScheduler, type Scheduler } from './timers.ts';

export interface ExecutorOptions {
  name: string;
  /** Without one, every attempt runs (a disabled breaker stands in). */
  breaker?: CircuitBreaker;
  /** Used only for calls marked idempotent. */
  retry?: RetryPolicy;
  /** Time limit of one attempt; Infinity (the default) leaves only the deadline. */
  attemptTimeoutMs?: number;
  /** Must be on the same clock as the deadlines callers pass. */
  scheduler?: Scheduler;
  events?: ResilienceEvents;
}

export interface CallOptions {
  deadline?: Deadline;
  /**
   * True only for operations that are safe to repeat (reads): a write whose reply was lost
   * may have been applied, so it is never retried.
   */
  idempotent?: boolean;
}

const noCallOptions: CallOptions = {};

/**
 * deadline → retry (idempotent calls only) → breaker → per-attempt time limit. The
 * operation receives the attempt's signal; the attempt rejects on time even when the
 * operation ignores that signal. Without a deadline or an attempt limit, no signal and no
 * timer is created.
 */
export class ResilientExecutor {
  readonly name: string;
  private readonly breaker: CircuitBreaker;
  private readonly retry: RetryPolicy | undefined;
  private readonly attemptTimeoutMs: number;
  private readonly untimed: boolean;
  private readonly scheduler: Scheduler;
  private readonly events: ResilienceEvents;

  constructor(options: ExecutorOptions) {
    checkName('name', options.name);
    const attemptTimeoutMs = options.attemptTimeoutMs ?? Number.POSITIVE_INFINITY;
    checkMs('attemptTimeoutMs', attemptTimeoutMs, 1, true);
    this.name = options.name;
    this.breaker = options.breaker ?? passThrough(options.name);
    this.retry = options.retry;
    this.attemptTimeoutMs = attemptTimeoutMs;
    this.untimed = attemptTimeoutMs === Number.POSITIVE_INFINITY;
    this.scheduler = options.scheduler ?? systemScheduler;
    this.events = options.events ?? createResilienceEvents();
  }

  execute<T>(operation: Operation<T>, options: CallOptions = noCallOptions): Promise<T> {
    // Refused calls are answered before any retry, timer or async frame is set up, with a
    // promise that was rejected (and handled) once, when the breaker was built.
    const refusal = this.breaker.refusal();
    if (refusal !== undefined) return refusal;

    if (options.idempotent === true && this.retry !== undefined) {
      return this.retry.executeWith(this.runAttempt, operation, options.deadline);
    }

    return this.runAttempt(operation, options.deadline);
  }

  // A bound field, so the retry loop can call it with the operation as its argument.
  private readonly runAttempt = <T>(operation: Operation<T>, deadline: Deadline | undefined) => {
    if (deadline === undefined && this.untimed) return this.breaker.execute(operation);

    return this.runTimedAttempt(operation, deadline);
  };

  private async runTimedAttempt<T>(operation: Operation<T>, deadline: Deadline | undefined) {
    if (deadline !== undefined) {
      if (deadline.signal.aborted) throw deadline.signal.reason;
      if (remainingMs(deadline, this.scheduler) <= 0) throw new DeadlineExceededError();
    }

    const permit = this.breaker.acquire();
    if (permit instanceof BreakerOpenError) throw permit;

    const attempt = attemptSignal(deadline, this.attemptTimeoutMs, this.scheduler);
    try {
      // A synchronous throw lands in the catch below like a rejection.
      const value = await raceWithSignal(operation(attempt.signal), attempt.signal);
      permit.succeed();

      return value;
    } catch (error) {
      if (error instanceof AttemptTimeoutError && error === attempt.signal.reason) {
        this.reportTimeout(error);
      }

      permit.fail(error, deadline?.signal.aborted ?? false);
      throw error;
    } finally {
      attempt.dispose();
    }
  }

  private reportTimeout(error: AttemptTimeoutError): void {
    if (!this.events.hasListeners) return;

    this.events.emit({ type: 'attempt.timed_out', name: this.name, timeoutMs: error.timeoutMs });
  }
}

function passThrough(name: string): CircuitBreaker {
  return new CircuitBreaker({ name, failureThreshold: 0, cooldownMs: 0 });
}
