import { describe, expect, test } from 'bun:test';
import {
  attemptSignal,
  cancellationOnly,
  createDeadline,
  remainingMs,
} from '../../src/resilience/deadline.ts';
import {
  AttemptTimeoutError,
  DeadlineExceededError,
  InvalidResilienceOptionError,
} from '../../src/resilience/errors.ts';
import { FakeScheduler } from './fake-scheduler.ts';

describe('createDeadline', () => {
  test('aborts with a DeadlineExceededError when its time is up', async () => {
    const scheduler = new FakeScheduler();
    const deadline = createDeadline({ timeoutMs: 10_000 }, scheduler);

    await scheduler.advance(9_999);
    expect(deadline.signal.aborted).toBe(false);
    await scheduler.advance(1);

    expect(deadline.signal.reason).toBeInstanceOf(DeadlineExceededError);
    expect(deadline.signal.reason).toMatchObject({ code: 'deadline_exceeded', timeoutMs: 10_000 });
    expect(deadline.expiresAt).toBe(scheduler.now());
  });

  test("follows its parent's abort, with the parent's reason", () => {
    const scheduler = new FakeScheduler();
    const parent = new AbortController();
    const deadline = createDeadline({ timeoutMs: 10_000, parent: parent.signal }, scheduler);
    const reason = new Error('client went away');

    parent.abort(reason);

    expect(deadline.signal.reason).toBe(reason);
  });

  test('starts aborted when its parent already has', () => {
    const deadline = createDeadline({ timeoutMs: 1_000, parent: AbortSignal.abort('gone') });

    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toBe('gone');
    deadline.dispose();
  });

  test('clears its timer and its parent listener when disposed', async () => {
    const scheduler = new FakeScheduler();
    const parent = new AbortController();
    const deadline = createDeadline({ timeoutMs: 1_000, parent: parent.signal }, scheduler);

    deadline.dispose();
    parent.abort();
    await scheduler.advance(1_000);

    expect(scheduler.pendingTimers).toBe(0);
    expect(deadline.signal.aborted).toBe(false);
  });

  test('refuses a timeout that is not a finite number of milliseconds', () => {
    expect(() => createDeadline({ timeoutMs: Number.NaN })).toThrow(InvalidResilienceOptionError);
    expect(() => createDeadline({ timeoutMs: -5 })).toThrow(/timeoutMs/);
  });
});

describe('remainingMs', () => {
  test('counts down with the clock and stops at zero', async () => {
    const scheduler = new FakeScheduler();
    const deadline = createDeadline({ timeoutMs: 1_000 }, scheduler);

    expect(remainingMs(deadline, scheduler)).toBe(1_000);
    await scheduler.advance(400);
    expect(remainingMs(deadline, scheduler)).toBe(600);
    await scheduler.advance(5_000);
    expect(remainingMs(deadline, scheduler)).toBe(0);
  });

  test('is zero once the signal has aborted, whatever the clock says', () => {
    const scheduler = new FakeScheduler();
    const deadline = { signal: AbortSignal.abort(), expiresAt: scheduler.now() + 1_000 };

    expect(remainingMs(deadline, scheduler)).toBe(0);
  });

  test('is unlimited for a cancellation-only deadline', () => {
    const deadline = cancellationOnly(new AbortController().signal);

    expect(remainingMs(deadline)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('attemptSignal', () => {
  test('aborts with an AttemptTimeoutError after the attempt limit when that comes first', async () => {
    const scheduler = new FakeScheduler();
    const deadline = createDeadline({ timeoutMs: 10_000 }, scheduler);
    const attempt = attemptSignal(deadline, 250, scheduler);

    await scheduler.advance(249);
    expect(attempt.signal.aborted).toBe(false);
    await scheduler.advance(1);

    expect(attempt.signal.reason).toBeInstanceOf(AttemptTimeoutError);
    expect(attempt.signal.reason).toMatchObject({ code: 'attempt_timed_out', timeoutMs: 250 });
    expect(deadline.signal.aborted).toBe(false);
    attempt.dispose();
    deadline.dispose();
  });

  test('aborts with a DeadlineExceededError when the deadline comes first', async () => {
    const scheduler = new FakeScheduler();
    const deadline = createDeadline({ timeoutMs: 1_000 }, scheduler);
    await scheduler.advance(900);
    const attempt = attemptSignal(deadline, 250, scheduler);

    await scheduler.advance(99);
    expect(attempt.signal.aborted).toBe(false);
    await scheduler.advance(1);

    expect(attempt.signal.reason).toBeInstanceOf(DeadlineExceededError);
    attempt.dispose();
  });

  test("aborts at once when the deadline's signal does, with its reason", () => {
    const scheduler = new FakeScheduler();
    const parent = new AbortController();
    const deadline = createDeadline({ timeoutMs: 1_000, parent: parent.signal }, scheduler);
    const attempt = attemptSignal(deadline, 250, scheduler);
    const reason = new Error('client went away');

    parent.abort(reason);

    expect(attempt.signal.reason).toBe(reason);
    attempt.dispose();
    deadline.dispose();
  });

  test('is already aborted when the deadline has passed', async () => {
    const scheduler = new FakeScheduler();
    const deadline = { signal: new AbortController().signal, expiresAt: scheduler.now() };

    const attempt = attemptSignal(deadline, 250, scheduler);

    expect(attempt.signal.reason).toBeInstanceOf(DeadlineExceededError);
    expect(scheduler.pendingTimers).toBe(0);
  });

  test('works without a deadline, from the attempt limit alone', async () => {
    const scheduler = new FakeScheduler();
    const attempt = attemptSignal(undefined, 250, scheduler);

    await scheduler.advance(250);

    expect(attempt.signal.reason).toBeInstanceOf(AttemptTimeoutError);
  });

  test('clears its timer and its listener on the deadline when disposed', async () => {
    const scheduler = new FakeScheduler();
    const parent = new AbortController();
    const deadline = cancellationOnly(parent.signal);
    const attempt = attemptSignal(deadline, 250, scheduler);

    attempt.dispose();
    parent.abort();
    await scheduler.advance(1_000);

    expect(attempt.signal.aborted).toBe(false);
    expect(scheduler.pendingTimers).toBe(0);
  });

  test('hands back the deadline signal itself when no time limit applies', () => {
    const parent = new AbortController();
    const scheduler = new FakeScheduler();
    const deadline = cancellationOnly(parent.signal);

    const attempt = attemptSignal(deadline, Number.POSITIVE_INFINITY, scheduler);

    expect(attempt.signal).toBe(parent.signal);
    expect(scheduler.pendingTimers).toBe(0);
  });
});
