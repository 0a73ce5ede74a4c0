import { systemScheduler, type Scheduler } from '../resilience/timers.ts';

export type Settled<T> =
  | { outcome: 'fulfilled'; value: T }
  | { outcome: 'rejected'; error: unknown }
  | { outcome: 'timed-out' };

/** How `work` ended within `limitMs`, or that it had not; `work` itself is left running. */
export async function settleWithin<T>(
  work: Promise<T>,
  limitMs: number,
  scheduler: Scheduler = systemScheduler,
): Promise<Settled<T>> {
  let cancelTimer: (() => void) | undefined;
  const timedOut = new Promise<Settled<T>>((resolve) => {
    cancelTimer = scheduler.schedule(() => resolve({ outcome: 'timed-out' }), limitMs);
  });
  const settled = work.then(
    (value): Settled<T> => ({ outcome: 'fulfilled', value }),
    (error: unknown): Settled<T> => ({ outcome: 'rejected', error }),
  );

  try {
    return await Promise.race([settled, timedOut]);
  } finally {
    cancelTimer?.();
  }
}
