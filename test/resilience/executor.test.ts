import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { CircuitBreaker } from '../../src/resilience/breaker.ts';
import { cancellationOnly, createDeadline } from '../../src/resilience/deadline.ts';
import {
  AttemptTimeoutError,
  BreakerOpenError,
  DeadlineExceededError,
  InvalidResilienceOptionError,
} from '../../src/resilience/errors.ts';
import { createResilienceEvents } from '../../src/resilience/event-hub.ts';
import type { ResilienceEvent } from '../../src/resilience/events.ts';
import { ResilientExecutor, type ExecutorOptions } from '../../src/resilience/executor.ts';
import { RetryPolicy } from '../../src/resilience/retry.ts';
import { FakeScheduler, flushMicrotasks, track } from './fake-scheduler.ts';

const boom = new Error('connection reset');
const attemptTimeoutMs = 250;

function setup(overrides: Partial<ExecutorOptions> = {}, scheduler = new FakeScheduler()) {
  const events = createResilienceEvents();
  const seen: ResilienceEvent[] = [];
  events.subscribe((event) => seen.push(event));
  const breaker = new CircuitBreaker({
    name: 'redis',
    failureThreshold: 3,
    cooldownMs: 30_000,
    clock: scheduler,
    events,
  });
  const retry = new RetryPolicy({
    name: 'redis',
    attempts: 3,
    firstDelayMs: 10,
    growthFactor: 2,
    maxDelayMs: 100,
    random: () => 0.5,
    scheduler,
    events,
  });
  const executor = new ResilientExecutor({
    name: 'redis',
    breaker,
    retry,
    attemptTimeoutMs,
    scheduler,
    events,
    ...overrides,
  });

  return { scheduler, breaker, executor, seen };
}

function counting(outcomes: Array<'ok' | 'fail'>) {
  let calls = 0;
  const operation = async () => {
    const outcome = outcomes[Math.min(calls, outcomes.length - 1)];
    calls++;
    if (outcome === 'fail') throw boom;
    return 'value';
  };

  return { operation, calls: () => calls };
}

/** Runs a call to completion while the fake clock moves, as sleeps and timers need. */
async function settle<T>(scheduler: FakeScheduler, promise: Promise<T>, stepMs = 5) {
  const result = track(promise);
  for (let i = 0; i < 1_000 && result.status === 'pending'; i++) await scheduler.advance(stepMs);

  return result;
}

const neverSettles = () => new Promise<string>(() => {});

describe('ResilientExecutor', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  test('retries a call marked idempotent', async () => {
    const { scheduler, executor } = setup();
    const op = counting(['fail', 'fail', 'ok']);

    const result = await settle(scheduler, executor.execute(op.operation, { idempotent: true }));

    expect(result).toMatchObject({ status: 'fulfilled', value: 'value' });
    expect(op.calls()).toBe(3);
  });

  test('runs a call not marked idempotent exactly once', async () => {
    const { scheduler, executor, seen } = setup();
    const op = counting(['fail', 'ok']);

    const result = await settle(scheduler, executor.execute(op.operation));

    expect(result).toMatchObject({ status: 'rejected', error: boom });
    expect(op.calls()).toBe(1);
    expect(seen.some((event) => event.type.startsWith('retry.'))).toBe(false);
  });

  test('gives the operation an attempt signal that the deadline aborts', async () => {
    const { scheduler, executor } = setup();
    const parent = new AbortController();
    const deadline = createDeadline({ timeoutMs: 10_000, parent: parent.signal }, scheduler);
    let received: AbortSignal | undefined;

    const result = track(
      executor.execute(
        (signal) => {
          received = signal;
          return neverSettles();
        },
        { deadline },
      ),
    );
    await flushMicrotasks();
    parent.abort(new Error('client went away'));
    await flushMicrotasks();

    expect(received?.aborted).toBe(true);
    expect(result).toMatchObject({ status: 'rejected', error: new Error('client went away') });
    deadline.dispose();
  });

  test('creates no signal and no timer when neither a deadline nor an attempt limit applies', async () => {
    const { scheduler, executor } = setup({ attemptTimeoutMs: undefined });
    let received: AbortSignal | undefined = new AbortController().signal;

    await executor.execute(
      async (signal) => {
        received = signal;
        expect(scheduler.pendingTimers).toBe(0);
      },
      { idempotent: true },
    );

    expect(received).toBeUndefined();
  });

  test('rejects on time when the operation ignores its signal, and counts that as a failure', async () => {
    const { scheduler, executor, breaker, seen } = setup();

    const result = track(executor.execute(neverSettles));
    await scheduler.advance(attemptTimeoutMs - 1);
    expect(result.status).toBe('pending');
    await scheduler.advance(1);

    expect(result.status).toBe('rejected');
    expect(result.error).toBeInstanceOf(AttemptTimeoutError);
    expect(seen).toContainEqual({ type: 'attempt.timed_out', name: 'redis', timeoutMs: 250 });
    expect(breaker.snapshot().consecutiveFailures).toBe(1);
    expect(scheduler.pendingTimers).toBe(0);
  });

  test('opens the breaker after consecutive attempt timeouts', async () => {
    const { scheduler, executor, breaker } = setup();

    for (let i = 0; i < 3; i++) await settle(scheduler, executor.execute(neverSettles));

    expect(breaker.stateName).toBe('open');
  });

  test('swallows the late failure of an operation that timed out', async () => {
    const { scheduler, executor } = setup();
    const { promise, reject } = Promise.withResolvers<string>();

    const result = await settle(scheduler, executor.execute(() => promise));
    reject(boom);
    await flushMicrotasks();

    expect(result.error).toBeInstanceOf(AttemptTimeoutError);
    expect(unhandled).toEqual([]);
  });

  test('does not run the operation, nor retry, while the breaker is open', async () => {
    const { scheduler, executor, breaker, seen } = setup();
    const failing = counting(['fail']).operation;
    for (let i = 0; i < 3; i++) await settle(scheduler, executor.execute(failing));
    expect(breaker.stateName).toBe('open');
    const op = counting(['ok']);

    const result = await settle(scheduler, executor.execute(op.operation, { idempotent: true }));

    expect(result.error).toBeInstanceOf(BreakerOpenError);
    expect(op.calls()).toBe(0);
    // Refused before the retry policy is entered: nothing is scheduled, nothing gives up.
    expect(seen.at(-1)).toMatchObject({ type: 'breaker.rejected', state: 'open' });
    expect(seen.some((event) => event.type.startsWith('retry.'))).toBe(false);
  });

  test('answers every refused call with the same settled promise', async () => {
    const { scheduler, executor } = setup();
    const failing = counting(['fail']).operation;
    for (let i = 0; i < 3; i++) await settle(scheduler, executor.execute(failing));
    const deadline = createDeadline({ timeoutMs: 1_000 }, scheduler);

    const first = executor.execute(counting(['ok']).operation, { deadline, idempotent: true });
    const second = executor.execute(counting(['ok']).operation, { deadline });

    expect(second).toBe(first);
    expect((await settle(scheduler, first)).error).toBeInstanceOf(BreakerOpenError);
    deadline.dispose();
  });

  test('does not run the operation when the deadline has already passed', async () => {
    const { scheduler, executor } = setup();
    const deadline = { signal: new AbortController().signal, expiresAt: scheduler.now() };
    const op = counting(['ok']);

    const result = await settle(scheduler, executor.execute(op.operation, { deadline }));

    expect(result.error).toBeInstanceOf(DeadlineExceededError);
    expect(op.calls()).toBe(0);
  });

  test('shortens the attempt to the time left, and a passed deadline opens nothing', async () => {
    const { scheduler, executor, breaker } = setup({
      breaker: new CircuitBreaker({ name: 'redis', failureThreshold: 1, cooldownMs: 1_000 }),
    });
    const deadline = createDeadline({ timeoutMs: 100 }, scheduler);

    const result = track(executor.execute(neverSettles, { deadline }));
    await scheduler.advance(100);

    expect(result.error).toBeInstanceOf(DeadlineExceededError);
    expect(breaker.stateName).toBe('closed');
    deadline.dispose();
  });

  test('stops retrying at the deadline with the last error', async () => {
    const scheduler = new FakeScheduler();
    const { executor } = setup({
      retry: new RetryPolicy({
        name: 'redis',
        attempts: 10,
        firstDelayMs: 40,
        growthFactor: 1,
        maxDelayMs: 40,
        random: () => 0.99,
        scheduler,
      }),
    }, scheduler);
    const deadline = createDeadline({ timeoutMs: 100 }, scheduler);
    const op = counting(['fail']);

    const result = await settle(
      scheduler,
      executor.execute(op.operation, { deadline, idempotent: true }),
      1,
    );

    expect(result.error).toBe(boom);
    expect(op.calls()).toBe(3);
    deadline.dispose();
  });

  test("a caller's abort in the middle of an attempt is not a breaker failure", async () => {
    const { scheduler, executor, breaker } = setup();
    const parent = new AbortController();

    const result = track(
      executor.execute(neverSettles, { deadline: cancellationOnly(parent.signal) }),
    );
    await flushMicrotasks();
    parent.abort();
    await flushMicrotasks();

    expect(result.status).toBe('rejected');
    expect(breaker.snapshot().totals).toMatchObject({ failures: 0, ignored: 1 });
    expect(scheduler.pendingTimers).toBe(0);
  });

  test('works without a breaker or a retry policy', async () => {
    const scheduler = new FakeScheduler();
    const executor = new ResilientExecutor({ name: 'plain', scheduler });

    expect(await executor.execute(async () => 1, { idempotent: true })).toBe(1);
    await expect(executor.execute(() => Promise.reject(boom))).rejects.toBe(boom);
  });

  test('refuses an attempt limit that is not a positive number of milliseconds', () => {
    expect(() => new ResilientExecutor({ name: 'x', attemptTimeoutMs: 0 })).toThrow(
      InvalidResilienceOptionError,
    );
    expect(() => new ResilientExecutor({ name: '' })).toThrow(/name/);
  });
});
