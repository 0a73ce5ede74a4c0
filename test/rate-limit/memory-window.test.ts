import { describe, expect, test } from 'bun:test';
import { MemoryWindows } from '../../src/rate-limit/memory-window.ts';
import { fakeClock } from '../support/fake-clock.ts';

describe('MemoryWindows', () => {
  test('counts hits in a window and starts a new one when it ends', () => {
    const clock = fakeClock();
    const windows = new MemoryWindows(clock);

    expect(windows.hit('key', 1_000).count).toBe(1);
    clock.advance(999);
    expect(windows.hit('key', 1_000).count).toBe(2);
    clock.advance(1);
    expect(windows.hit('key', 1_000)).toEqual({ count: 1, resetAt: clock.now() + 1_000 });
  });

  test('goes on from the count and window Redis answered', () => {
    const clock = fakeClock();
    const windows = new MemoryWindows(clock);
    for (let count = 1; count <= 5; count++) windows.follow('key', count, 40_000);

    clock.advance(10_000);
    const window = windows.hit('key', 60_000);

    expect(window).toEqual({ count: 6, resetAt: clock.now() + 30_000 });
  });

  test('keeps counting the hits Redis never saw when Redis comes back with less', () => {
    const clock = fakeClock();
    const windows = new MemoryWindows(clock);
    windows.follow('key', 3, 60_000);
    windows.hit('key', 60_000);
    windows.hit('key', 60_000);

    // Redis restarted empty: its count starts over, this process's does not.
    expect(windows.follow('key', 1, 60_000).count).toBe(6);
  });

  test('takes Redis count when other instances counted more', () => {
    const clock = fakeClock();
    const windows = new MemoryWindows(clock);
    windows.follow('key', 1, 60_000);

    expect(windows.follow('key', 9, 50_000)).toEqual({ count: 9, resetAt: clock.now() + 50_000 });
  });

  test('forgets ended windows, so the keys stay bounded', () => {
    const clock = fakeClock();
    const windows = new MemoryWindows(clock);
    for (let index = 0; index < 5_000; index++) windows.follow(`old-${index}`, 1, 1_000);

    clock.advance(1_000);
    for (let index = 0; index < 5_000; index++) windows.hit(`new-${index}`, 1_000);

    expect(windows.size).toBeLessThanOrEqual(5_000 + 1_024);
  });
});
