import type { Clock } from '../shared/clock.ts';

/** One key's fixed window: the hits counted in it, and when it ends (ms since the epoch). */
export interface Window {
  readonly count: number;
  readonly resetAt: number;
}

interface MutableWindow {
  count: number;
  resetAt: number;
}

const minSweepInterval = 1024;

/**
 * Fixed-window counters in this process. They count while Redis is unavailable, and follow
 * what Redis counted while it answers, so the fallback goes on from Redis's count instead of
 * starting the window over.
 *
 * Both calls return the key's own window, updated in place: no allocation per hit once the
 * key has had a window. Expired windows are swept after as many calls as the map held at the
 * last sweep (1024 at least): the map stays within twice the keys of about one window, at an
 * amortized constant cost per call.
 */
export class MemoryWindows {
  private readonly windows = new Map<string, MutableWindow>();
  private callsSinceSweep = 0;
  private callsBeforeSweep = minSweepInterval;

  constructor(private readonly clock: Clock) {}

  /** Counts one hit here, in the key's current window or a new one of `windowMs`. */
  hit(key: string, windowMs: number): Window {
    const now = this.clock.now();
    const window = this.windowAt(key, now, now + windowMs);
    window.count++;

    return window;
  }

  /**
   * Takes on the count and window Redis answered for a hit, unless this process counted more
   * in its current window (hits counted here while Redis was away): then that count goes on.
   */
  follow(key: string, redisCount: number, redisResetMs: number): Window {
    const now = this.clock.now();
    const resetAt = now + redisResetMs;
    const window = this.windowAt(key, now, resetAt);
    if (window.count + 1 > redisCount) {
      window.count++;
    } else {
      window.count = redisCount;
      window.resetAt = resetAt;
    }

    return window;
  }

  get size(): number {
    return this.windows.size;
  }

  /** The key's current window, or a new one ending at `resetAt` (reusing an expired one). */
  private windowAt(key: string, now: number, resetAt: number): MutableWindow {
    if (++this.callsSinceSweep >= this.callsBeforeSweep) this.sweep(now);
    const window = this.windows.get(key);
    if (window === undefined) {
      const opened = { count: 0, resetAt };
      this.windows.set(key, opened);

      return opened;
    }

    if (window.resetAt <= now) {
      window.count = 0;
      window.resetAt = resetAt;
    }

    return window;
  }

  private sweep(now: number): void {
    this.callsSinceSweep = 0;
    for (const [key, window] of this.windows) {
      if (window.resetAt <= now) this.windows.delete(key);
    }

    this.callsBeforeSweep = Math.max(minSweepInterval, this.windows.size);
  }
}
