import { describe, expect, test } from 'bun:test';
import { SlidingCounts } from '../../src/resilience/sliding-counts.ts';

describe('SlidingCounts', () => {
  test('sums what was added within the window', () => {
    const counts = new SlidingCounts(10_000, 10);

    counts.add(0, 1, 0);
    counts.add(4_500, 1, 1);
    counts.add(9_999, 1, 1);

    expect(counts.calls(9_999)).toBe(3);
    expect(counts.marked(9_999)).toBe(2);
  });

  test('drops buckets as they slide out of the window', () => {
    const counts = new SlidingCounts(10_000, 10);
    counts.add(0, 1, 1);
    counts.add(5_000, 1, 0);

    expect(counts.calls(10_000)).toBe(1);
    expect(counts.marked(10_000)).toBe(0);
    expect(counts.calls(15_000)).toBe(0);
  });

  test('forgets everything after a gap longer than the window', () => {
    const counts = new SlidingCounts(1_000, 4);
    counts.add(0, 5, 5);

    expect(counts.calls(1_000_000)).toBe(0);
    counts.add(1_000_000, 1, 0);
    expect(counts.calls(1_000_000)).toBe(1);
  });

  test('keeps counting into the newest bucket when the clock steps back', () => {
    const counts = new SlidingCounts(1_000, 10);
    counts.add(5_000, 1, 0);

    counts.add(4_000, 1, 1);

    expect(counts.calls(5_000)).toBe(2);
    expect(counts.marked(5_000)).toBe(1);
  });

  test('starts empty again after a reset', () => {
    const counts = new SlidingCounts(1_000, 10);
    counts.add(100, 3, 2);

    counts.reset();

    expect(counts.calls(100)).toBe(0);
    expect(counts.marked(100)).toBe(0);
  });
});
