import { AttemptTimeoutError, DeadlineExceededError } from './errors.ts';
import { checkMs } from './option-checks.ts';
import { systemScheduler, type Scheduler } from './timers.ts';
import type { Clock } from '../shared/clock.ts';

/**
 * A point in time after which the caller no longer wants the result, carried with the
 * signal that aborts when it passes (or when the caller gives up for another reason).
 * `expiresAt` is in milliseconds on the timeline of the clock that made the deadline;
 * it is `Infinity` for a signal that only cancels.
 */
export interface Deadline {
  readonly signal: AbortSignal;
  readonly expiresAt: number;
}

/** A deadline, or an attempt's signal, that holds a timer until it is disposed. */
export interface DisposableSignal extends Disposable {
  readonly signal: AbortSignal;
  dispose(): void;
}

export interface OwnedDeadline extends Deadline, DisposableSignal {}

export interface DeadlineOptions {
  timeoutMs: number;
  /** Its abort (a client going away) aborts the deadline too, with the parent's reason. */
  parent?: AbortSignal;
}

/** Starts a deadline `timeoutMs` from now. Dispose it when the work is over. */
export function createDeadline(
  options: DeadlineOptions,
  scheduler: Scheduler = systemScheduler,
): OwnedDeadline {
  checkMs('timeoutMs', options.timeoutMs);

  const deadline = new TimedDeadline(options.parent, scheduler.now() + options.timeoutMs);
  const reason = () => new DeadlineExceededError(options.timeoutMs);
  deadline.armTimer(scheduler, options.timeoutMs, reason);

  return deadline;
}

/** A deadline without a time limit: only `signal` can end it. */
export function cancellationOnly(signal: AbortSignal): Deadline {
  return { signal, expiresAt: Number.POSITIVE_INFINITY };
}

/** Milliseconds left before the deadline; 0 once it has passed or its signal aborted. */
export function remainingMs(deadline: Deadline, clock: Clock = systemScheduler): number {
  if (deadline.signal.aborted) return 0;

  return Math.max(0, deadline.expiresAt - clock.now());
}

const neverAborts = new AbortController().signal;
const alreadyDone: DisposableSignal = withDispose(neverAborts);

/**
 * The signal for one attempt: it aborts after min(limitMs, time left before the deadline)
 * with an AttemptTimeoutError (or DeadlineExceededError when the deadline is what ran
 * out), and at once when the deadline's own signal aborts, with that signal's reason.
 * Dispose it in `finally`: that clears the timer and the listener on the deadline.
 */
export function attemptSignal(
  deadline: Deadline | undefined,
  limitMs: number,
  scheduler: Scheduler = systemScheduler,
): DisposableSignal {
  const parent = deadline?.signal;
  if (parent?.aborted) return withDispose(parent);

  const remaining =
    deadline === undefined ? Number.POSITIVE_INFINITY : remainingMs(deadline, scheduler);
  const boundMs = Math.min(limitMs, remaining);
  if (boundMs === Number.POSITIVE_INFINITY) {
    return parent === undefined ? alreadyDone : withDispose(parent);
  }


  const attempt = new LinkedAbort(parent);
  attempt.armTimer(scheduler, boundMs, () =>
    limitMs <= remaining ? new AttemptTimeoutError(limitMs) : new DeadlineExceededError(),
  );

  return attempt;
}

function withDispose(signal: AbortSignal): DisposableSignal {
  const dispose = (): void => {};

  return { signal, dispose, [Symbol.dispose]: dispose };
}

/** An abort controller that follows a parent signal and, once armed, a timer. */
class LinkedAbort implements DisposableSignal {
  private readonly controller = new AbortController();
  private cancelTimer: (() => void) | undefined;
  private readonly followParent = (): void => this.controller.abort(this.parent?.reason);

  constructor(private readonly parent: AbortSignal | undefined) {
    if (parent === undefined) return;
    if (parent.aborted) this.controller.abort(parent.reason);
    else parent.addEventListener('abort', this.followParent, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  armTimer(scheduler: Scheduler, delayMs: number, reason: () => Error): void {
    if (this.controller.signal.aborted) return;
    if (delayMs <= 0) {
      this.controller.abort(reason());
      return;
    }

    this.cancelTimer = scheduler.schedule(() => this.controller.abort(reason()), delayMs);
  }

  dispose(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.parent?.removeEventListener('abort', this.followParent);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

class TimedDeadline extends LinkedAbort implements OwnedDeadline {
  constructor(
    parent: AbortSignal | undefined,
    readonly expiresAt: number,
  ) {
    super(parent);
  }
}
