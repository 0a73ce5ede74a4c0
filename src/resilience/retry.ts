import { fullJitterDelayMs } from './backoff.ts';
import type { Deadline } from './deadline.ts';
import type { RetryGiveUpReason } from './events.ts';
import type { Operation } from './operation.ts';
import {
  resolveRetryOptions,
  type ResolvedRetryOptions,
  type RetryOptions,
} from './retry-options.ts';

/**
 * One attempt of a retried call. `arg` lets a caller pass its operation through without
 * allocating a closure per call.
 */
export type Attempt<T, A> = (arg: A, deadline: Deadline | undefined) => Promise<T>;

const runOperation = <T>(operation: Operation<T>, deadline: Deadline | undefined) =>
  operation(deadline?.signal);

/**
 * Retries with capped exponential backoff and full jitter. It stops at once when the
 * deadline's signal aborts (also mid-sleep), gives up without sleeping when the next delay
 * would not end before the deadline, and retries only while the shared budget allows.
 * A first attempt that succeeds costs one promise reaction and nothing else.
 */
export class RetryPolicy {
  readonly name: string;
  private readonly options: ResolvedRetryOptions;

  constructor(options: RetryOptions) {
    this.options = resolveRetryOptions(options);
    this.name = this.options.name;
  }

  /** Runs `operation` with the deadline's signal, retrying as configured. */
  execute<T>(operation: Operation<T>, deadline?: Deadline): Promise<T> {
    return this.executeWith(runOperation, operation, deadline);
  }

  executeWith<T, A>(attempt: Attempt<T, A>, arg: A, deadline?: Deadline): Promise<T> {
    if (deadline?.signal.aborted) return this.giveUpAsync(0, 'aborted', deadline.signal.reason);

    this.options.budget?.recordCall();
    let first: Promise<T>;
    try {
      first = attempt(arg, deadline);
    } catch (error) {
      return this.retryAfterFailure(attempt, arg, deadline, error);
    }

    // The one allocation a successful call makes here. On Bun 1.4.5 a closure plus one
    // reaction measured well under half the cost of an async frame with try/await.
    return first.then(undefined, (error: unknown) =>
      this.retryAfterFailure(attempt, arg, deadline, error),
    );
  }

  private async retryAfterFailure<T, A>(
    attempt: Attempt<T, A>,
    arg: A,
    deadline: Deadline | undefined,
    firstError: unknown,
  ): Promise<T> {
    let lastError = firstError;
    for (let attemptsMade = 1; ; attemptsMade++) {
      const plan = this.plan(attemptsMade, lastError, deadline);
      if (typeof plan === 'string') {
        const aborted = plan === 'aborted' && deadline !== undefined;
        this.giveUp(attemptsMade, plan, aborted ? deadline.signal.reason : lastError);
      }

      await this.sleepBeforeRetry(plan, attemptsMade, lastError, deadline);
      try {
        return await attempt(arg, deadline);
      } catch (error) {
        lastError = error;
      }
    }
  }

  /** The delay before the next attempt, or why there is none. */
  private plan(
    attemptsMade: number,
    error: unknown,
    deadline: Deadline | undefined,
  ): number | RetryGiveUpReason {
    const options = this.options;
    if (deadline?.signal.aborted) return 'aborted';
    if (!this.isRetryable(error)) return 'not_retryable';
    if (attemptsMade >= options.attempts) return 'attempts_exhausted';

    const delayMs = fullJitterDelayMs(options, attemptsMade - 1, options.random);
    if (deadline !== undefined && options.clock.now() + delayMs >= deadline.expiresAt) {
      return 'deadline';
    }

    if (options.budget !== undefined && !options.budget.tryRetry()) return 'budget_exhausted';

    return delayMs;
  }

  private async sleepBeforeRetry(
    delayMs: number,
    attemptsMade: number,
    error: unknown,
    deadline: Deadline | undefined,
  ): Promise<void> {
    const options = this.options;
    if (options.events.hasListeners) {
      options.events.emit({
        type: 'retry.scheduled',
        name: this.name,
        attempt: attemptsMade,
        delayMs,
        error,
      });
    }

    if (delayMs <= 0) return;

    try {
      await options.sleep(delayMs, deadline?.signal);
    } catch (reason) {
      this.giveUp(attemptsMade, 'aborted', reason);
    }
  }

  private isRetryable(error: unknown): boolean {
    try {
      return this.options.isRetryable(error);
    } catch {
      return false;
    }
  }

  private async giveUpAsync(attempts: number, reason: RetryGiveUpReason, error: unknown) {
    return this.giveUp(attempts, reason, error);
  }

  private giveUp(attempts: number, reason: RetryGiveUpReason, error: unknown): never {
    if (this.options.events.hasListeners) {
      this.options.events.emit({ type: 'retry.gave_up', name: this.name, attempts, reason, error });
    }

    throw error;
  }
}
