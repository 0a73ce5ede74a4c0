import { describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import { CircuitBreaker } from '../../src/resilience/breaker.ts';
import { FakeScheduler, flushMicrotasks } from './fake-scheduler.ts';

type Step =
  | { kind: 'call' }
  | { kind: 'settle'; pick: number; succeed: boolean }
  | { kind: 'advance'; ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>({ kind: 'call' }),
  fc.record({ kind: fc.constant('settle' as const), pick: fc.nat(), succeed: fc.boolean() }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 1_500 }) }),
);

const steps = fc.array(step, { minLength: 20, maxLength: 120 });

interface RunningCall {
  admittedInHalfOpen: boolean;
  generation: number;
  settle(succeed: boolean): void;
}

/** Drives a breaker through random interleavings and reports what ran while half-open. */
async function run(steps: Step[], probeTimeoutMs: number) {
  const clock = new FakeScheduler();
  const breaker = new CircuitBreaker({
    name: 'property',
    failureThreshold: 2,
    cooldownMs: 1_000,
    probeTimeoutMs,
    clock,
  });
  const running: RunningCall[] = [];
  let mostHalfOpenInFlight = 0;
  const halfOpenAdmissions = new Map<number, number>();

  const operation = () => {
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    const snapshot = breaker.snapshot();
    const call: RunningCall = {
      admittedInHalfOpen: snapshot.state === 'half_open',
      generation: snapshot.generation,
      settle: (succeed) => (succeed ? resolve() : reject(new Error('down'))),
    };
    running.push(call);
    if (call.admittedInHalfOpen) {
      const admitted = (halfOpenAdmissions.get(call.generation) ?? 0) + 1;
      halfOpenAdmissions.set(call.generation, admitted);
    }

    return promise;
  };

  for (const next of steps) {
    if (next.kind === 'call') {
      breaker.execute(operation).catch(() => {});
    } else if (next.kind === 'settle' && running.length > 0) {
      const [call] = running.splice(next.pick % running.length, 1);
      call?.settle(next.succeed);
    } else if (next.kind === 'advance') {
      await clock.advance(next.ms);
    }

    await flushMicrotasks();
    const halfOpenInFlight = running.filter((call) => call.admittedInHalfOpen).length;
    mostHalfOpenInFlight = Math.max(mostHalfOpenInFlight, halfOpenInFlight);
  }

  return { mostHalfOpenInFlight, halfOpenAdmissions, breaker };
}

describe('CircuitBreaker properties', () => {
  test('never more than one call in flight while half-open', async () => {
    let contendedRuns = 0;
    await fc.assert(
      fc.asyncProperty(steps, async (program) => {
        const { mostHalfOpenInFlight, halfOpenAdmissions, breaker } = await run(
          program,
          Number.POSITIVE_INFINITY,
        );

        expect(mostHalfOpenInFlight).toBeLessThanOrEqual(1);
        if (halfOpenAdmissions.size > 0 && breaker.snapshot().totals.rejections > 0) {
          contendedRuns++;
        }
      }),
      { numRuns: 300 },
    );

    // The generator must reach half-open with callers queuing up, or the property is empty.
    expect(contendedRuns).toBeGreaterThan(30);
  });

  test('each half-open period admits at most one probe at a time, even when probes are lost', async () => {
    let runsWithSeveralHalfOpenPeriods = 0;
    await fc.assert(
      fc.asyncProperty(steps, async (program) => {
        const { halfOpenAdmissions, breaker } = await run(program, 500);

        // A slot is handed out again only after the previous probe reported: with every
        // outcome counted here, that never happens within one generation.
        for (const admitted of halfOpenAdmissions.values()) expect(admitted).toBe(1);
        expect(['closed', 'open', 'half_open']).toContain(breaker.stateName);
        if (halfOpenAdmissions.size >= 2) runsWithSeveralHalfOpenPeriods++;
      }),
      { numRuns: 300 },
    );

    expect(runsWithSeveralHalfOpenPeriods).toBeGreaterThan(30);
  });
});
