import type { Clock } from '../shared/clock.ts';

interface Window {
  count: number;
  resetAt: number;
}

const sweepEvery = 1024;

/** Fixed-window counters in this process: the fallback while Redis is unavailable. */
export class MemoryWindows {
  private readonly windows = new Map<string, Window>();
  private hitsSinceSweep = 0;

  constructor(private readonly clock: Clock) {}

  hit(key: string, windowMs: number): { count: number; resetMs: number } {
    const now = this.clock.now();
    if (++this.hitsSinceSweep >= sweepEvery) this.sweep(now);

    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
    }

    window.count++;

    return { count: window.count, resetMs: window.resetAt - now };
  }

  private sweep(now: number): void {
    this.hitsSinceSweep = 0;
    for (const [key, window] of this.windows) {
      if (window.resetAt <= now) this.windows.delete(key);
    }
  }
}
