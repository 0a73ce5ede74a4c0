import { describe, expect, test } from 'bun:test';
import { createSleeper } from '../../src/resilience/sleep.ts';
import { FakeScheduler, flushMicrotasks, track } from './fake-scheduler.ts';

describe('createSleeper', () => {
  test('resolves once the delay has passed', async () => {
    const scheduler = new FakeScheduler();
    const sleep = createSleeper(scheduler);

    const done = track(sleep(500, undefined));
    await scheduler.advance(499);
    expect(done.status).toBe('pending');
    await scheduler.advance(1);

    expect(done.status).toBe('fulfilled');
  });

  test("rejects at once with the signal's reason when it aborts mid-sleep", async () => {
    const scheduler = new FakeScheduler();
    const sleep = createSleeper(scheduler);
    const controller = new AbortController();
    const reason = new Error('client went away');

    const done = track(sleep(60_000, controller.signal));
    await flushMicrotasks();
    controller.abort(reason);
    await flushMicrotasks();

    expect(done).toMatchObject({ status: 'rejected', error: reason });
    expect(scheduler.pendingTimers).toBe(0);
  });

  test('never starts a timer when the signal has already aborted', async () => {
    const scheduler = new FakeScheduler();
    const sleep = createSleeper(scheduler);

    await expect(sleep(1_000, AbortSignal.abort('gone'))).rejects.toBe('gone');
    expect(scheduler.pendingTimers).toBe(0);
  });

  test('stops listening to the signal once it has slept', async () => {
    const scheduler = new FakeScheduler();
    const sleep = createSleeper(scheduler);
    const controller = new AbortController();
    const added: string[] = [];
    const removed: string[] = [];
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => {
      added.push(args[0]);
      add(...args);
    }) as typeof signal.addEventListener;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      removed.push(args[0]);
      remove(...args);
    }) as typeof signal.removeEventListener;

    const done = sleep(10, signal);
    await scheduler.advance(10);
    await done;

    expect(added).toEqual(['abort']);
    expect(removed).toEqual(['abort']);
  });
});
