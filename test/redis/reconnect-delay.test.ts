import { describe, expect, test } from 'bun:test';
import { createBootReconnectDelay, createReconnectDelay } from '../../src/redis/reconnect-delay';

describe('createReconnectDelay', () => {
  test('doubles from the first delay and stops growing at the cap', () => {
    const fullStep = createReconnectDelay({
      firstDelayMs: 100,
      maxDelayMs: 2_000,
      random: () => 1,
    });

    expect([0, 1, 2, 3, 4, 5, 6, 50].map(fullStep)).toEqual([
      100, 200, 400, 800, 1_600, 2_000, 2_000, 2_000,
    ]);
  });

  test('jitters between half and all of each step', () => {
    const lowest = createReconnectDelay({ firstDelayMs: 100, maxDelayMs: 2_000, random: () => 0 });

    expect([0, 3, 10].map(lowest)).toEqual([50, 400, 1_000]);
  });

  test('always returns a finite delay, so reconnection never stops', () => {
    const delay = createReconnectDelay({ firstDelayMs: 100, maxDelayMs: 2_000 });

    for (const retries of [0, 1_000, 1_000_000, Number.MAX_SAFE_INTEGER]) {
      expect(Number.isFinite(delay(retries))).toBe(true);
      expect(delay(retries)).toBeLessThanOrEqual(2_000);
    }
  });

  test('rejects a cap below the first delay', () => {
    expect(() => createReconnectDelay({ firstDelayMs: 500, maxDelayMs: 100 })).toThrow(
      RangeError,
    );
  });
});

describe('createBootReconnectDelay', () => {
  const boot = (attempts: number) => {
    let spent = 0;
    const delay = createBootReconnectDelay({
      attempts,
      firstDelayMs: 500,
      afterBoot: (retries) => 10_000 + retries,
      onAttemptsSpent: () => spent++,
    });

    return { delay, spent: () => spent };
  };

  test('doubles from the first delay, with no jitter, until the last attempt', () => {
    const { delay } = boot(5);

    expect([0, 1, 2, 3].map(delay.delayMs)).toEqual([500, 1_000, 2_000, 4_000]);
  });

  test('reports the attempts spent once, when the last one fails', () => {
    const { delay, spent } = boot(3);

    delay.delayMs(0);
    delay.delayMs(1);
    expect(spent()).toBe(0);
    delay.delayMs(2);
    delay.delayMs(3);

    expect(spent()).toBe(1);
  });

  test('hands every delay after the boot to the background strategy', () => {
    const { delay } = boot(2);

    expect([0, 1, 2, 3].map(delay.delayMs)).toEqual([500, 10_001, 10_002, 10_003]);
  });

  test('after an early end, uses the background strategy and reports nothing', () => {
    const { delay, spent } = boot(3);
    delay.end();

    expect([0, 1].map(delay.delayMs)).toEqual([10_000, 10_001]);
    expect(spent()).toBe(0);
  });

  test('with a single attempt, gives up on its first failure', () => {
    const { delay, spent } = boot(1);

    expect(delay.delayMs(0)).toBe(10_000);
    expect(spent()).toBe(1);
  });

  test('rejects a number of attempts below one when called', () => {
    expect(() =>
      createBootReconnectDelay({
        attempts: 0,
        firstDelayMs: 500,
        afterBoot: () => 100,
        onAttemptsSpent: () => {},
      }),
    ).toThrow(RangeError);
  });
});
