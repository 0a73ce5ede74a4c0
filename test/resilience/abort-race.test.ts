import { describe, expect, test } from 'bun:test';
import { raceWithSignal } from '../../src/resilience/abort-race.ts';
import { flushMicrotasks, track } from './fake-scheduler.ts';

/** A thenable that records whether anyone handles its rejection. */
function watchedWork() {
  const { promise, resolve, reject } = Promise.withResolvers<string>();
  const handled = { rejection: false };
  const work: PromiseLike<string> = {
    then(onFulfilled, onRejected) {
      if (onRejected) handled.rejection = true;
      return promise.then(onFulfilled, onRejected);
    },
  };

  return { work, resolve, reject, handled };
}

describe('raceWithSignal', () => {
  test('settles like the work when the signal stays quiet', async () => {
    const controller = new AbortController();

    expect(await raceWithSignal(Promise.resolve('done'), controller.signal)).toBe('done');
    const failed = raceWithSignal(Promise.reject(new Error('no')), controller.signal);
    await expect(failed).rejects.toThrow('no');
  });

  test("rejects with the signal's reason as soon as it aborts, even if the work never ends", async () => {
    const controller = new AbortController();
    const never = watchedWork();
    const reason = new Error('timed out');

    const result = track(raceWithSignal(never.work, controller.signal));
    controller.abort(reason);
    await flushMicrotasks();

    expect(result).toMatchObject({ status: 'rejected', error: reason });
    expect(never.handled.rejection).toBe(true);
  });

  test('rejects at once for a signal that has already aborted, and still handles the work', async () => {
    const late = watchedWork();

    await expect(raceWithSignal(late.work, AbortSignal.abort('gone'))).rejects.toBe('gone');
    expect(late.handled.rejection).toBe(true);
  });

  test('stops listening to the signal once the work has settled', async () => {
    const controller = new AbortController();
    let listeners = 0;
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => {
      listeners++;
      add(...args);
    }) as typeof signal.addEventListener;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      listeners--;
      remove(...args);
    }) as typeof signal.removeEventListener;

    await raceWithSignal(Promise.resolve(1), signal);
    await raceWithSignal(Promise.reject(new Error('x')), signal).catch(() => {});

    expect(listeners).toBe(0);
  });
});
