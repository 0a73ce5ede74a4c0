import { describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import { delayCeilingMs, fullJitterDelayMs } from '../../src/resilience/backoff.ts';
import { createDeadline } from '../../src/resilience/deadline.ts';
import { createResilienceEvents } from '../../src/resilience/event-hub.ts';
import { RetryPolicy } from '../../src/resilience/retry.ts';
import { FakeScheduler } from './fake-scheduler.ts';

const backoff = fc
  .record({
    firstDelayMs: fc.integer({ min: 0, max: 500 }),
    growthFactor: fc.double({ min: 1, max: 4, noNaN: true }),
    extraCapMs: fc.integer({ min: 0, max: 5_000 }),
  })
  .map(({ extraCapMs, ...rest }) => ({ ...rest, maxDelayMs: rest.firstDelayMs + extraCapMs }));

describe('RetryPolicy properties', () => {
  test('never sleeps past the deadline', async () => {
    let sleptInRuns = 0;
    await fc.assert(
      fc.asyncProperty(
        backoff,
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 10 }),
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1 }),
        async (options, attempts, timeoutMs, attemptDurations, draws) => {
          const scheduler = new FakeScheduler();
          const deadline = createDeadline({ timeoutMs }, scheduler);
          const sleepEnds: number[] = [];
          let drawIndex = 0;
          const retry = new RetryPolicy({
            name: 'property',
            attempts,
            ...options,
            scheduler,
            random: () => draws[drawIndex++ % draws.length] ?? 0,
            sleep: async (delayMs) => {
              sleepEnds.push(scheduler.now() + delayMs);
              await scheduler.advance(delayMs);
            },
          });
          let attempt = 0;
          const operation = async () => {
            await scheduler.advance(attemptDurations[attempt++ % attemptDurations.length] ?? 0);
            throw new Error('down');
          };

          await retry.execute(operation, deadline).catch(() => {});
          deadline.dispose();

          for (const end of sleepEnds) expect(end).toBeLessThan(deadline.expiresAt);
          if (sleepEnds.length > 0) sleptInRuns++;
        },
      ),
      { numRuns: 300 },
    );

    expect(sleptInRuns).toBeGreaterThan(30);
  });

  test('every delay lies within [0, min(cap, first × factor^n)]', () => {
    fc.assert(
      fc.property(
        backoff,
        fc.integer({ min: 0, max: 2_000 }),
        fc.oneof(fc.double(), fc.constant(1), fc.constant(Number.NaN)),
        (options, retryIndex, draw) => {
          const delay = fullJitterDelayMs(options, retryIndex, () => draw);

          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(delayCeilingMs(options, retryIndex));
          expect(delayCeilingMs(options, retryIndex)).toBeLessThanOrEqual(options.maxDelayMs);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  test('the delays a policy schedules stay within [0, cap]', async () => {
    await fc.assert(
      fc.asyncProperty(backoff, fc.integer({ min: 1, max: 12 }), async (options, attempts) => {
        const events = createResilienceEvents();
        const delays: number[] = [];
        events.subscribe((event) => {
          if (event.type === 'retry.scheduled') delays.push(event.delayMs);
        });
        const retry = new RetryPolicy({
          name: 'property',
          attempts,
          ...options,
          events,
          sleep: async () => {},
        });

        await retry.execute(() => Promise.reject(new Error('down'))).catch(() => {});

        expect(delays).toHaveLength(attempts - 1);
        for (const delay of delays) {
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(options.maxDelayMs);
        }
      }),
      { numRuns: 300 },
    );
  });
});
