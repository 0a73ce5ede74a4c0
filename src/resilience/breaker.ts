import {
  resolveBreakerOptions,
  type BreakerOptions,
  type ResolvedBreakerOptions,
} from './breaker-options.ts';
import { BreakerReporter } from './breaker-reporter.ts';
import { BreakerOpenError, type RejectingState } from './errors.ts';
import type { Listener, Unsubscribe } from './event-hub.ts';
import type { BreakerOpenReason, ResilienceEvent } from './events.ts';
import type {
  BreakerPermit,
  BreakerSnapshot,
  BreakerStateName,
  BreakerTotals,
} from './breaker-types.ts';
import type { Operation } from './operation.ts';
import { callSafely, runWithPermit } from './permit-run.ts';
import { ignore, preRejected } from './pre-rejected.ts';
import { SlidingCounts } from './sliding-counts.ts';

type State =
  | { readonly kind: 'disabled' }
  | { readonly kind: 'closed'; readonly permit: BreakerPermit }
  | { readonly kind: 'open'; readonly openedAt: number }
  | {
      readonly kind: 'half_open';
      readonly permit: BreakerPermit;
      readonly openedAt: number;
      probeStartedAt: number | undefined;
    };

type TrippedState = State & { kind: 'open' | 'half_open' };

const disabledPermit: BreakerPermit = { generation: 0, succeed: ignore, fail: ignore };

/**
 * Closed, open, half-open. Opens after `failureThreshold` consecutive failures (or on a
 * failure rate over a sliding window); while open, rejects at once with a pre-allocated
 * error; after the cooldown, lets exactly one probe through and rejects everyone else.
 * It owns no timers: the cooldown is checked lazily against the injected clock when a
 * call arrives, so there is nothing to cancel or leak, and nothing is held across a call.
 */
export class CircuitBreaker {
  readonly name: string;
  private readonly options: ResolvedBreakerOptions;
  private readonly reporter: BreakerReporter;
  private state: State;
  private generation = 0;
  private consecutiveFailures = 0;
  private lastOpenedAt: number | undefined;
  private readonly window: SlidingCounts | undefined;
  private readonly totals: BreakerTotals = {
    successes: 0,
    failures: 0,
    ignored: 0,
    rejections: 0,
    stale: 0,
    openings: 0,
  };

  // Allocated once, so that rejecting costs neither a stack trace nor a promise.
  private readonly openError: BreakerOpenError;
  private readonly halfOpenError: BreakerOpenError;
  private readonly openRejection: Promise<never>;
  private readonly halfOpenRejection: Promise<never>;

  constructor(options: BreakerOptions) {
    this.options = resolveBreakerOptions(options);
    this.name = this.options.name;
    this.reporter = new BreakerReporter(this.name, this.options.events);
    const rate = this.options.failureRate;
    this.window = rate && new SlidingCounts(rate.windowMs, rate.buckets);
    this.openError = Object.freeze(new BreakerOpenError(this.name, 'open'));
    this.halfOpenError = Object.freeze(new BreakerOpenError(this.name, 'half_open'));
    this.openRejection = preRejected(this.openError);
    this.halfOpenRejection = preRejected(this.halfOpenError);
    this.state = this.options.disabled
      ? { kind: 'disabled' }
      : { kind: 'closed', permit: this.issuePermit() };
  }

  get stateName(): BreakerStateName {
    return this.state.kind;
  }

  subscribe(listener: Listener<ResilienceEvent>): Unsubscribe {
    return this.options.events.subscribe(listener);
  }

  /**
   * Runs `operation` if the breaker admits it, passing `signal` through. The outcome is
   * counted unless `signal` had aborted (see the failure predicate). The returned promise
   * is the operation's own while closed; a rejection is shared and pre-allocated.
   */
  execute<T>(operation: Operation<T>, signal?: AbortSignal): Promise<T> {
    const state = this.state;
    if (state.kind === 'closed') return runWithPermit(state.permit, operation, signal);
    if (state.kind === 'disabled') return callSafely(operation, signal);

    const admitted = this.admitWhileTripped(state);
    if (admitted instanceof BreakerOpenError) {
      return admitted === this.openError ? this.openRejection : this.halfOpenRejection;
    }

    return runWithPermit(admitted, operation, signal);
  }

  /**
   * The shared, pre-rejected promise when the breaker refuses calls right now, counted and
   * reported as a rejection; undefined when a call would be admitted or would be the probe
   * (or when an overdue probe must first be declared failed, which `acquire` does). Claims
   * no probe and changes no breaker state, so callers can ask before doing any other work
   * and hand the refusal back without an async frame or a fresh rejected promise.
   */
  refusal(): Promise<never> | undefined {
    const state = this.state;
    if (state.kind !== 'open' && state.kind !== 'half_open') return undefined;

    const refused = this.refusingState(state, this.options.clock.now());
    if (refused === undefined) return undefined;

    this.reject(refused);

    return refused === 'open' ? this.openRejection : this.halfOpenRejection;
  }

  /**
   * For callers that run the operation themselves: a permit to report the outcome to, or
   * the error to reject with. Every permit must be reported exactly once.
   */
  acquire(): BreakerPermit | BreakerOpenError {
    const state = this.state;
    switch (state.kind) {
      case 'closed':
        return state.permit;
      case 'disabled':
        return disabledPermit;
      case 'open':
      case 'half_open':
        return this.admitWhileTripped(state);
      default:
        return unreachable(state);
    }
  }

  snapshot(): BreakerSnapshot {
    const state = this.state;
    const now = this.options.clock.now();
    const cooldownEndsAt =
      state.kind === 'open' ? state.openedAt + this.options.cooldownMs : Number.NEGATIVE_INFINITY;

    return {
      name: this.name,
      state: state.kind,
      generation: this.generation,
      consecutiveFailures: this.consecutiveFailures,
      windowCalls: this.window?.calls(now) ?? 0,
      windowFailures: this.window?.marked(now) ?? 0,
      openedAt: this.lastOpenedAt,
      cooldownRemainingMs: Math.max(0, cooldownEndsAt - now),
      probeInFlight: state.kind === 'half_open' && state.probeStartedAt !== undefined,
      totals: { ...this.totals },
    };
  }

  private admitWhileTripped(state: TrippedState): BreakerPermit | BreakerOpenError {
    const now = this.options.clock.now();
    const refused = this.refusingState(state, now);
    if (refused !== undefined) return this.reject(refused);
    if (state.kind === 'open') return this.enterHalfOpen(state.openedAt, now);

    if (state.probeStartedAt === undefined) {
      state.probeStartedAt = now;

      return state.permit;
    }

    // The probe outlived its time limit: count it as failed and start a new cooldown.
    this.open('probe_timed_out', undefined, now);

    return this.reject('open');
  }

  /** Whether a call arriving at `now` is refused as things stand, before any transition. */
  private refusingState(state: TrippedState, now: number): RejectingState | undefined {
    if (state.kind === 'open') {
      return now - state.openedAt < this.options.cooldownMs ? 'open' : undefined;
    }
    if (state.probeStartedAt === undefined) return undefined;

    return now - state.probeStartedAt < this.options.probeTimeoutMs ? 'half_open' : undefined;
  }

  private reject(state: RejectingState): BreakerOpenError {
    this.totals.rejections++;
    this.reporter.rejected(state);

    return state === 'open' ? this.openError : this.halfOpenError;
  }

  private recordSuccess(generation: number): void {
    if (generation !== this.generation) return this.recordStale(generation, 'success');

    const state = this.state;
    this.totals.successes++;
    switch (state.kind) {
      case 'closed':
        this.consecutiveFailures = 0;
        this.window?.add(this.options.clock.now(), 1, 0);
        return;
      case 'half_open':
        return this.close(state.openedAt);
      case 'open':
      case 'disabled':
        // No permit carries the generation of these states.
        return;
      default:
        return unreachable(state);
    }
  }

  private recordError(generation: number, error: unknown, callerAborted: boolean): void {
    if (generation !== this.generation) return this.recordStale(generation, 'failure');

    const state = this.state;
    if (!this.counts(error, callerAborted)) {
      this.totals.ignored++;
      // The probe told us nothing about the dependency: let the next caller probe.
      if (state.kind === 'half_open') state.probeStartedAt = undefined;
      return;
    }

    this.totals.failures++;
    switch (state.kind) {
      case 'closed':
        return this.recordClosedFailure(error);
      case 'half_open':
        this.reporter.failure(this.generation, this.consecutiveFailures, error);
        return this.open('probe_failed', error);
      case 'open':
      case 'disabled':
        return;
      default:
        return unreachable(state);
    }
  }

  private recordClosedFailure(error: unknown): void {
    this.consecutiveFailures++;
    const now = this.options.clock.now();
    this.window?.add(now, 1, 1);
    this.reporter.failure(this.generation, this.consecutiveFailures, error);
    if (this.consecutiveFailures >= this.options.failureThreshold) {
      this.open('consecutive_failures', error, now);
    } else if (this.failureRateExceeded(now)) {
      this.open('failure_rate', error, now);
    }
  }

  private counts(error: unknown, callerAborted: boolean): boolean {
    try {
      return this.options.isFailure(error, callerAborted);
    } catch {
      // A predicate that throws cannot be trusted to classify; count the failure.
      return true;
    }
  }

  private failureRateExceeded(now: number): boolean {
    const rate = this.options.failureRate;
    if (rate === undefined || this.window === undefined) return false;

    const calls = this.window.calls(now);

    return calls >= rate.minimumCalls && this.window.marked(now) >= rate.threshold * calls;
  }

  private open(reason: BreakerOpenReason, error: unknown, now = this.options.clock.now()): void {
    const counts = {
      consecutiveFailures: this.consecutiveFailures,
      windowCalls: this.window?.calls(now) ?? 0,
      windowFailures: this.window?.marked(now) ?? 0,
    };
    this.generation++;
    this.state = { kind: 'open', openedAt: now };
    this.lastOpenedAt = now;
    this.totals.openings++;
    this.reporter.opened(this.generation, reason, counts, this.options.cooldownMs, error);
  }

  private enterHalfOpen(openedAt: number, now: number): BreakerPermit {
    this.generation++;
    const permit = this.issuePermit();
    // The caller that noticed the cooldown was over is the probe: claim the slot before
    // emitting, so a listener that calls back in is rejected like everyone else.
    this.state = { kind: 'half_open', permit, openedAt, probeStartedAt: now };
    this.reporter.halfOpen(this.generation);

    return permit;
  }

  private close(openedAt: number): void {
    this.generation++;
    this.consecutiveFailures = 0;
    this.window?.reset();
    const now = this.options.clock.now();
    this.state = { kind: 'closed', permit: this.issuePermit() };
    this.reporter.closed(this.generation, now - openedAt);
  }

  private recordStale(generation: number, outcome: 'success' | 'failure'): void {
    this.totals.stale++;
    this.reporter.staleResult(generation, this.generation, outcome);
  }

  private issuePermit(): BreakerPermit {
    const generation = this.generation;

    return {
      generation,
      succeed: () => this.recordSuccess(generation),
      fail: (error, callerAborted = false) => this.recordError(generation, error, callerAborted),
    };
  }
}

function unreachable(state: never): never {
  throw new Error(`unknown breaker state ${JSON.stringify(state)}`);
}
