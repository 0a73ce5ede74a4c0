export type BreakerStateName = 'disabled' | 'closed' | 'open' | 'half_open';

/**
 * The right to run one call and report its outcome. A permit belongs to the generation
 * of the state that issued it; once the breaker has moved on, its reports are ignored.
 */
/** `succeed` and `fail` are bound: they can be handed to `then` as they are. */
export interface BreakerPermit {
  readonly generation: number;
  readonly succeed: () => void;
  readonly fail: (error: unknown, callerAborted?: boolean) => void;
}

export interface BreakerSnapshot {
  name: string;
  state: BreakerStateName;
  generation: number;
  consecutiveFailures: number;
  windowCalls: number;
  windowFailures: number;
  /** Clock time of the last opening; undefined while it never opened. */
  openedAt: number | undefined;
  /** Time until an open breaker lets a probe through; 0 in other states. */
  cooldownRemainingMs: number;
  probeInFlight: boolean;
  totals: BreakerTotals;
}

export interface BreakerTotals {
  successes: number;
  failures: number;
  /** Errors the failure predicate did not count (a caller's own abort, by default). */
  ignored: number;
  rejections: number;
  /** Outcomes that arrived after the state had changed, and changed nothing. */
  stale: number;
  openings: number;
}
