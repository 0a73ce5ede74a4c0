import { afterEach, beforeEach, describe, expect, spyOn, test } from 'bun:test';
import { createDeadline, cancellationOnly } from '../../src/resilience/deadline.ts';
import {
  BreakerOpenError,
  DeadlineExceededError,
  InvalidResilienceOptionError,
} from '../../src/resilience/errors.ts';
import { createResilienceEvents } from '../../src/resilience/event-hub.ts';
import type { ResilienceEvent } from '../../src/resilience/events.ts';
import { RetryBudget } from '../../src/resilience/retry-budget.ts';
import type { RetryOptions } from '../../src/resilience/retry-options.ts';
import { RetryPolicy } from '../../src/resilience/retry.ts';
import { FakeScheduler, flushMicrotasks, track } from './fake-scheduler.ts';

const boom = new Error('connection reset');

function setup(overrides: Partial<RetryOptions> = {}) {
  const scheduler = new FakeScheduler();
  const events = createResilienceEvents();
  const seen: ResilienceEvent[] = [];
  events.subscribe((event) => seen.push(event));
  const sleeps: number[] = [];
  const retry = new RetryPolicy({
    name: 'redis',
    attempts: 4,
    firstDelayMs: 100,
    growthFactor: 2,
    maxDelayMs: 1_000,
    random: () => 0.5,
    scheduler,
    events,
    sleep: async (delayMs) => {
      sleeps.push(delayMs);
      await scheduler.advance(delayMs);
    },
    ...overrides,
  });

  return { retry, scheduler, seen, sleeps };
}

/** An operation that fails `failures` times, then returns 'ok'. */
function flaky(failures: number, error: unknown = boom) {
  let calls = 0;
  const operation = async () => {
    calls++;
    if (calls <= failures) throw error;
    return 'ok';
  };

  return { operation, calls: () => calls };
}

describe('RetryPolicy', () => {
  test('returns the first success without sleeping', async () => {
    const { retry, sleeps, seen } = setup();

    expect(await retry.execute(flaky(0).operation)).toBe('ok');

    expect(sleeps).toEqual([]);
    expect(seen).toEqual([]);
  });

  test('retries until the operation succeeds', async () => {
    const { retry } = setup();
    const op = flaky(3);

    expect(await retry.execute(op.operation)).toBe('ok');
    expect(op.calls()).toBe(4);
  });

  test('gives up with the last error after the configured attempts', async () => {
    const { retry, seen } = setup();
    let calls = 0;
    const operation = async () => {
      calls++;
      throw new Error(`failure ${calls}`);
    };

    await expect(retry.execute(operation)).rejects.toThrow('failure 4');
    expect(calls).toBe(4);
    expect(seen.at(-1)).toMatchObject({
      type: 'retry.gave_up',
      name: 'redis',
      attempts: 4,
      reason: 'attempts_exhausted',
    });
  });

  test('waits full-jitter delays that grow by the factor and stop at the cap', async () => {
    const { retry, sleeps } = setup({ attempts: 7, random: () => 0.5 });

    await retry.execute(flaky(6).operation);

    expect(sleeps).toEqual([50, 100, 200, 400, 500, 500]);
  });

  test('draws every delay uniformly between zero and the ceiling', async () => {
    const draws = [0, 0.75, 0.25];
    const { retry, sleeps, seen } = setup({ random: () => draws.shift() ?? 0 });

    await retry.execute(flaky(3).operation);

    const delays = seen.map((event) => (event.type === 'retry.scheduled' ? event.delayMs : -1));
    expect(delays).toEqual([0, 150, 100]);
    // A zero delay retries straight away instead of waiting for a timer.
    expect(sleeps).toEqual([150, 100]);
  });

  test('never retries an error the predicate rejects', async () => {
    class NotFound extends Error {}
    const { retry, seen } = setup({ isRetryable: (error) => !(error instanceof NotFound) });
    const op = flaky(5, new NotFound('no such key'));

    await expect(retry.execute(op.operation)).rejects.toBeInstanceOf(NotFound);
    expect(op.calls()).toBe(1);
    expect(seen).toMatchObject([{ type: 'retry.gave_up', reason: 'not_retryable', attempts: 1 }]);
  });

  test('does not retry an open breaker or a passed deadline by default', async () => {
    const { retry } = setup();
    const open = flaky(5, new BreakerOpenError('redis', 'open'));
    const late = flaky(5, new DeadlineExceededError(100));

    await expect(retry.execute(open.operation)).rejects.toBeInstanceOf(BreakerOpenError);
    await expect(retry.execute(late.operation)).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(open.calls() + late.calls()).toBe(2);
  });

  test('stops at once when the signal aborts in the middle of a sleep', async () => {
    const scheduler = new FakeScheduler();
    const { retry, seen } = setup({
      scheduler,
      sleep: undefined,
      firstDelayMs: 10_000,
      maxDelayMs: 10_000,
    });
    const controller = new AbortController();
    const op = flaky(5);

    const result = track(retry.execute(op.operation, cancellationOnly(controller.signal)));
    await flushMicrotasks();
    expect(scheduler.pendingTimers).toBe(1);
    const reason = new Error('client went away');
    controller.abort(reason);
    await flushMicrotasks();

    expect(result).toMatchObject({ status: 'rejected', error: reason });
    expect(op.calls()).toBe(1);
    expect(scheduler.pendingTimers).toBe(0);
    expect(seen.at(-1)).toMatchObject({ type: 'retry.gave_up', reason: 'aborted', attempts: 1 });
  });

  test('never starts when the signal has already aborted', async () => {
    const { retry } = setup();
    const op = flaky(0);

    const aborted = AbortSignal.abort(new Error('gone'));

    await expect(retry.execute(op.operation, cancellationOnly(aborted))).rejects.toThrow('gone');
    expect(op.calls()).toBe(0);
  });

  test("after an attempt the signal aborted during, gives up with the signal's reason", async () => {
    const { retry, sleeps } = setup();
    const controller = new AbortController();
    const reason = new Error('client went away');
    const operation = async () => {
      controller.abort(reason);
      throw boom;
    };

    const deadline = cancellationOnly(controller.signal);

    await expect(retry.execute(operation, deadline)).rejects.toBe(reason);
    expect(sleeps).toEqual([]);
  });

  test('passes the deadline signal to the operation', async () => {
    const { retry } = setup();
    const controller = new AbortController();
    let received: AbortSignal | undefined;

    await retry.execute(async (signal) => {
      received = signal;
    }, cancellationOnly(controller.signal));

    expect(received).toBe(controller.signal);
  });

  test('gives up at once, without sleeping, when the next delay would end after the deadline', async () => {
    const { retry, scheduler, sleeps, seen } = setup({ random: () => 0.5 });
    const deadline = createDeadline({ timeoutMs: 120 }, scheduler);
    let calls = 0;
    const operation = async () => {
      calls++;
      throw new Error(`failure ${calls}`);
    };

    // 50 ms after the first failure, then 100 ms: 50 + 100 would end past 120 ms.
    await expect(retry.execute(operation, deadline)).rejects.toThrow('failure 2');

    expect(sleeps).toEqual([50]);
    expect(seen.at(-1)).toMatchObject({ type: 'retry.gave_up', reason: 'deadline', attempts: 2 });
    deadline.dispose();
  });

  test('retries only while the shared budget allows', async () => {
    const scheduler = new FakeScheduler();
    const budget = new RetryBudget({
      ratio: 0.1,
      windowMs: 10_000,
      minRetriesPerSecond: 0,
      clock: scheduler,
    });
    const { retry, seen } = setup({ scheduler, budget, attempts: 3 });
    for (let i = 0; i < 19; i++) await retry.execute(flaky(0).operation);

    const first = flaky(5);
    await expect(retry.execute(first.operation)).rejects.toBe(boom);
    const second = flaky(5);
    await expect(retry.execute(second.operation)).rejects.toBe(boom);

    // 20 calls earn 2 retries: the first caller spends both, the second gets none.
    expect(first.calls()).toBe(3);
    expect(second.calls()).toBe(1);
    expect(seen.at(-1)).toMatchObject({ reason: 'budget_exhausted', attempts: 1 });
  });

  test('emits one event per retry and per give-up', async () => {
    const { retry, seen } = setup({ attempts: 3 });

    await retry.execute(flaky(5).operation).catch(() => {});

    expect(seen).toMatchObject([
      { type: 'retry.scheduled', name: 'redis', attempt: 1, delayMs: 50, error: boom },
      { type: 'retry.scheduled', name: 'redis', attempt: 2, delayMs: 100, error: boom },
      { type: 'retry.gave_up', name: 'redis', attempts: 3, error: boom },
    ]);
  });

  test('a predicate that throws ends the retries with the operation error', async () => {
    const { retry } = setup({
      isRetryable: () => {
        throw new Error('bad predicate');
      },
    });

    await expect(retry.execute(flaky(5).operation)).rejects.toBe(boom);
  });

  test('refuses invalid options when it is built', () => {
    const valid: RetryOptions = {
      name: 'redis',
      attempts: 3,
      firstDelayMs: 100,
      growthFactor: 2,
      maxDelayMs: 1_000,
    };

    expect(() => new RetryPolicy({ ...valid, attempts: 0 })).toThrow(InvalidResilienceOptionError);
    expect(() => new RetryPolicy({ ...valid, firstDelayMs: -1 })).toThrow(/firstDelayMs/);
    expect(() => new RetryPolicy({ ...valid, growthFactor: 0.5 })).toThrow(/growthFactor/);
    expect(() => new RetryPolicy({ ...valid, maxDelayMs: 50 })).toThrow(/maxDelayMs/);
  });
});

describe('RetryPolicy logging', () => {
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  let spies: ReturnType<typeof spyOn>[] = [];

  beforeEach(() => {
    spies = methods.map((method) => spyOn(console, method).mockImplementation(() => {}));
  });

  afterEach(() => {
    for (const spy of spies) spy.mockRestore();
  });

  test('logs nothing itself, whatever happens', async () => {
    const { retry } = setup();

    await retry.execute(flaky(2).operation);
    await retry.execute(flaky(9).operation).catch(() => {});

    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});
