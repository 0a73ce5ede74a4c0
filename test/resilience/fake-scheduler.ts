import type { CancelTimer, Scheduler } from '../../src/resilience/timers.ts';

interface PendingTimer {
  at: number;
  order: number;
  callback: () => void;
}

/** Lets queued promise reactions run; enough rounds for the deepest chain in this code. */
export async function flushMicrotasks(rounds = 50): Promise<void> {
  for (let round = 0; round < rounds; round++) await Promise.resolve();
}

/**
 * A clock and timers that move only when a test says so. Timers fire in time order, and
 * promise reactions run between two timers, as they would on a real event loop.
 */
export class FakeScheduler implements Scheduler {
  private current: number;
  private timers: PendingTimer[] = [];
  private nextOrder = 0;

  constructor(startMs = 1_700_000_000_000) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  schedule(callback: () => void, delayMs: number): CancelTimer {
    const timer = { at: this.current + Math.max(0, delayMs), order: this.nextOrder++, callback };
    this.timers.push(timer);

    return () => {
      this.timers = this.timers.filter((pending) => pending !== timer);
    };
  }

  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const due = this.nextDue(target);
      if (due === undefined) break;

      this.timers = this.timers.filter((pending) => pending !== due);
      this.current = due.at;
      due.callback();
      await flushMicrotasks();
    }

    this.current = target;
    await flushMicrotasks();
  }

  private nextDue(target: number): PendingTimer | undefined {
    let earliest: PendingTimer | undefined;
    for (const timer of this.timers) {
      if (timer.at > target) continue;
      const sooner =
        earliest === undefined ||
        timer.at < earliest.at ||
        (timer.at === earliest.at && timer.order < earliest.order);
      if (sooner) earliest = timer;
    }

    return earliest;
  }
}

/** Where a test watches a promise without awaiting it. */
export function track<T>(promise: Promise<T>) {
  const state: { status: 'pending' | 'fulfilled' | 'rejected'; value?: T; error?: unknown } = {
    status: 'pending',
  };
  promise.then(
    (value) => {
      state.status = 'fulfilled';
      state.value = value;
    },
    (error: unknown) => {
      state.status = 'rejected';
      state.error = error;
    },
  );

  return state;
}
