import { delayCeilingMs } from '../resilience/backoff.ts';

export type ReconnectDelayOptions = {
  firstDelayMs: number;
  maxDelayMs: number;
  /** Returns a number in [0, 1); `Math.random` unless a test fixes it. */
  random?: () => number;
};

/**
 * The delay before reconnect attempt `retries` (0 for the first): exponential growth from
 * `firstDelayMs`, capped at `maxDelayMs`, with "equal jitter" (between half and all of the
 * step), so a fleet that lost Redis together does not come back in lockstep, and no attempt
 * follows another at once. It never gives up: node-redis stops reconnecting for good when
 * its strategy returns `false` or an `Error`.
 */
export function createReconnectDelay(options: ReconnectDelayOptions): (retries: number) => number {
  const { firstDelayMs, maxDelayMs, random = Math.random } = options;
  if (!Number.isInteger(firstDelayMs) || firstDelayMs < 1) {
    throw new RangeError(`firstDelayMs must be a positive integer, got ${firstDelayMs}`);
  }

  if (!Number.isInteger(maxDelayMs) || maxDelayMs < firstDelayMs) {
    throw new RangeError(`maxDelayMs must be an integer >= firstDelayMs, got ${maxDelayMs}`);
  }

  const growth = { firstDelayMs, growthFactor: 2, maxDelayMs };

  return (retries) => {
    const step = delayCeilingMs(growth, Math.max(0, Math.floor(retries)));

    return Math.round(step / 2 + random() * (step / 2));
  };
}
