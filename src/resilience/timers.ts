import { systemClock, type Clock } from '../shared/clock.ts';

export type CancelTimer = () => void;

/** Where the resilience code asks for a callback later; tests inject a fake one. */
export interface Timers {
  schedule(callback: () => void, delayMs: number): CancelTimer;
}

/** A clock that can also wake code up: what deadlines, sleeps and attempt limits need. */
export interface Scheduler extends Clock, Timers {}

// setTimeout fires at once for delays beyond a signed 32-bit number of milliseconds.
const longestTimerMs = 2 ** 31 - 1;

export const systemTimers: Timers = {
  schedule(callback, delayMs) {
    if (delayMs < longestTimerMs) {
      const single = setTimeout(callback, Math.max(delayMs, 0));

      return () => clearTimeout(single);
    }

    let timer: ReturnType<typeof setTimeout>;
    const wakeAt = Date.now() + delayMs;
    const arm = (waitMs: number): void => {
      timer = setTimeout(
        () => (waitMs < longestTimerMs ? callback() : arm(wakeAt - Date.now())),
        Math.min(Math.max(waitMs, 0), longestTimerMs),
      );
    };
    arm(delayMs);

    return () => clearTimeout(timer);
  },
};

export const systemScheduler: Scheduler = {
  now: () => systemClock.now(),
  schedule: systemTimers.schedule,
};
