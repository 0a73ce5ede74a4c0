import { checkCount, checkMs, checkRatio } from './option-checks.ts';
import { SlidingCounts } from './sliding-counts.ts';
import { systemClock, type Clock } from '../shared/clock.ts';

export interface RetryBudgetOptions {
  /** Retries allowed per call recorded in the window, e.g. 0.1 for 10%. */
  ratio: number;
  windowMs: number;
  /** Retries allowed per second of window whatever the traffic, so a quiet service can retry. */
  minRetriesPerSecond: number;
  clock?: Clock;
}

export interface RetryBudgetSnapshot {
  calls: number;
  retries: number;
  allowance: number;
}

const windowBuckets = 10;

/**
 * Retries shared by every caller of a dependency: they stay under `ratio` of recent calls
 * (plus a small floor), so an outage multiplies load by at most 1 + ratio instead of by
 * the number of attempts.
 */
export class RetryBudget {
  private readonly counts: SlidingCounts;
  private readonly floor: number;
  private readonly clock: Clock;

  constructor(private readonly options: RetryBudgetOptions) {
    checkRatio('ratio', options.ratio);
    checkMs('windowMs', options.windowMs, 1);
    checkCount('minRetriesPerSecond', options.minRetriesPerSecond, 0);
    this.counts = new SlidingCounts(options.windowMs, windowBuckets);
    this.floor = (options.minRetriesPerSecond * options.windowMs) / 1000;
    this.clock = options.clock ?? systemClock;
  }

  recordCall(): void {
    this.counts.add(this.clock.now(), 1, 0);
  }

  /** Takes one retry from the budget when it is available. */
  tryRetry(): boolean {
    const now = this.clock.now();
    if (this.counts.marked(now) + 1 > this.allowance(now)) return false;

    this.counts.add(now, 0, 1);

    return true;
  }

  snapshot(): RetryBudgetSnapshot {
    const now = this.clock.now();

    return {
      calls: this.counts.calls(now),
      retries: this.counts.marked(now),
      allowance: this.allowance(now),
    };
  }

  private allowance(now: number): number {
    return this.floor + this.options.ratio * this.counts.calls(now);
  }
}
