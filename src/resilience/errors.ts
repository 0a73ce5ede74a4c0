/** The caller's deadline passed before the work was done. */
export class DeadlineExceededError extends Error {
  readonly code = 'deadline_exceeded';

  /** `timeoutMs` is the deadline's whole budget, when the code that noticed knows it. */
  constructor(
    readonly timeoutMs?: number,
    options?: ErrorOptions,
  ) {
    super(
      timeoutMs === undefined ? 'deadline exceeded' : `deadline of ${timeoutMs}ms exceeded`,
      options,
    );
    this.name = 'DeadlineExceededError';
  }
}

/** One attempt ran past its own time limit; the caller's deadline may still have time left. */
export class AttemptTimeoutError extends Error {
  readonly code = 'attempt_timed_out';

  constructor(
    readonly timeoutMs: number,
    options?: ErrorOptions,
  ) {
    super(`attempt timed out after ${timeoutMs}ms`, options);
    this.name = 'AttemptTimeoutError';
  }
}

export type RejectingState = 'open' | 'half_open';

/**
 * A breaker refused a call without running it. Each breaker allocates one instance per
 * rejecting state when it is built and rejects with it every time, so a rejection costs
 * no allocation and no stack capture; the instances are frozen for that reason.
 */
export class BreakerOpenError extends Error {
  readonly code = 'breaker_open';

  constructor(
    readonly breaker: string,
    readonly state: RejectingState,
  ) {
    super(
      state === 'open'
        ? `circuit breaker "${breaker}" is open`
        : `circuit breaker "${breaker}" is half-open and its probe is in flight`,
    );
    this.name = 'BreakerOpenError';
  }
}

/** A resilience factory was called with options it cannot work with. */
export class InvalidResilienceOptionError extends Error {
  readonly code = 'invalid_resilience_option';

  constructor(
    readonly option: string,
    readonly expected: string,
    readonly actual: unknown,
  ) {
    super(`${option} must be ${expected}, got ${String(actual)}`);
    this.name = 'InvalidResilienceOptionError';
  }
}
