import { describe, expect, test } from 'bun:test';
import { InvalidResilienceOptionError } from '../../src/resilience/errors.ts';
import { RetryBudget } from '../../src/resilience/retry-budget.ts';
import { FakeScheduler } from './fake-scheduler.ts';

function budgetOf(ratio: number, minRetriesPerSecond: number) {
  const clock = new FakeScheduler();
  const budget = new RetryBudget({ ratio, windowMs: 10_000, minRetriesPerSecond, clock });

  return { clock, budget };
}

function retriesGranted(budget: RetryBudget, asked: number): number {
  let granted = 0;
  for (let i = 0; i < asked; i++) if (budget.tryRetry()) granted++;

  return granted;
}

describe('RetryBudget', () => {
  test('allows retries up to the ratio of recent calls', () => {
    const { budget } = budgetOf(0.1, 0);
    for (let i = 0; i < 100; i++) budget.recordCall();

    expect(retriesGranted(budget, 50)).toBe(10);
  });

  test('allows the per-second floor when there is no traffic', () => {
    const { budget } = budgetOf(0.1, 1);

    expect(retriesGranted(budget, 50)).toBe(10);
  });

  test('keeps an outage to a tenth more load, however many callers retry', () => {
    const { budget } = budgetOf(0.1, 0);
    let attempts = 0;
    for (let caller = 0; caller < 1_000; caller++) {
      budget.recordCall();
      attempts++;
      // Every caller would like two retries.
      attempts += retriesGranted(budget, 2);
    }

    expect(attempts).toBeLessThanOrEqual(1_100);
    expect(attempts).toBeGreaterThanOrEqual(1_099);
  });

  test('earns retries back as old ones slide out of the window', async () => {
    const { budget, clock } = budgetOf(0.1, 0);
    for (let i = 0; i < 20; i++) budget.recordCall();
    expect(retriesGranted(budget, 5)).toBe(2);

    await clock.advance(10_000);
    for (let i = 0; i < 20; i++) budget.recordCall();

    expect(retriesGranted(budget, 5)).toBe(2);
    expect(budget.snapshot()).toEqual({ calls: 20, retries: 2, allowance: 2 });
  });

  test('refuses invalid options when it is built', () => {
    const clock = new FakeScheduler();
    const valid = { ratio: 0.1, windowMs: 10_000, minRetriesPerSecond: 1, clock };

    expect(() => new RetryBudget({ ...valid, ratio: 0 })).toThrow(InvalidResilienceOptionError);
    expect(() => new RetryBudget({ ...valid, ratio: 2 })).toThrow(/ratio/);
    expect(() => new RetryBudget({ ...valid, windowMs: 0 })).toThrow(/windowMs/);
    expect(() => new RetryBudget({ ...valid, minRetriesPerSecond: -1 })).toThrow(/minRetries/);
  });
});
