import { checkFactor, checkMs } from './option-checks.ts';

export interface BackoffOptions {
  firstDelayMs: number;
  /** Each retry's ceiling is the previous one times this, 1 or more. */
  growthFactor: number;
  maxDelayMs: number;
}

export function checkBackoff(options: BackoffOptions): void {
  checkMs('firstDelayMs', options.firstDelayMs);
  checkFactor('growthFactor', options.growthFactor, 1);
  checkMs('maxDelayMs', options.maxDelayMs, options.firstDelayMs);
}

/** The largest delay before retry number `retryIndex` (0 for the first retry). */
export function delayCeilingMs(options: BackoffOptions, retryIndex: number): number {
  // The growth overflows to Infinity for large indexes: the cap absorbs that, but 0 × Infinity
  // would be NaN.
  if (options.firstDelayMs === 0) return 0;

  return Math.min(options.maxDelayMs, options.firstDelayMs * options.growthFactor ** retryIndex);
}

/** Full jitter: uniform in [0, ceiling], so a crowd of callers spreads out instead of syncing. */
export function fullJitterDelayMs(
  options: BackoffOptions,
  retryIndex: number,
  random: () => number,
): number {
  const draw = random();
  // Keeps a faulty source (NaN, negatives, 1 or more) from leaving [0, ceiling].
  const fraction = draw > 0 ? Math.min(draw, 1) : 0;

  return fraction * delayCeilingMs(options, retryIndex);
}
