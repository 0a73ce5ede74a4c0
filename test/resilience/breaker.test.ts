import { describe, expect, test } from 'bun:test';
import { CircuitBreaker } from '../../src/resilience/breaker.ts';
import type { BreakerOptions } from '../../src/resilience/breaker-options.ts';
import {
  BreakerOpenError,
  DeadlineExceededError,
  InvalidResilienceOptionError,
} from '../../src/resilience/errors.ts';
import { createResilienceEvents } from '../../src/resilience/event-hub.ts';
import type { ResilienceEvent } from '../../src/resilience/events.ts';
import { FakeScheduler, flushMicrotasks, track } from './fake-scheduler.ts';

const cooldownMs = 30_000;
const boom = new Error('dependency down');
const transitionTypes = new Set(['breaker.opened', 'breaker.half_open', 'breaker.closed']);

function setup(overrides: Partial<BreakerOptions> = {}) {
  const clock = new FakeScheduler();
  const events: ResilienceEvent[] = [];
  const breaker = new CircuitBreaker({
    name: 'redis',
    failureThreshold: 5,
    cooldownMs,
    clock,
    ...overrides,
  });
  breaker.subscribe((event) => events.push(event));

  const types = () => events.map((event) => event.type);
  const transitions = () => types().filter((type) => transitionTypes.has(type));

  return { clock, breaker, events, types, transitions };
}

const succeed = async () => 'ok';
const fail = async (): Promise<string> => {
  throw boom;
};

async function failTimes(breaker: CircuitBreaker, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await breaker.execute(fail).catch(() => {});
}

async function tripAndCoolDown(breaker: CircuitBreaker, clock: FakeScheduler): Promise<void> {
  await failTimes(breaker, 5);
  await clock.advance(cooldownMs);
}

function pendingOperation() {
  const { promise, resolve, reject } = Promise.withResolvers<string>();
  let calls = 0;
  const operation = () => {
    calls++;
    return promise;
  };

  return { operation, resolve, reject, calls: () => calls };
}

describe('CircuitBreaker', () => {
  test('passes results and errors through while closed', async () => {
    const { breaker } = setup();

    expect(await breaker.execute(succeed)).toBe('ok');
    await expect(breaker.execute(fail)).rejects.toBe(boom);
    expect(breaker.stateName).toBe('closed');
  });

  test('opens after five consecutive failures', async () => {
    const { breaker, events } = setup();

    await failTimes(breaker, 4);
    expect(breaker.stateName).toBe('closed');

    await failTimes(breaker, 1);
    expect(breaker.stateName).toBe('open');
    expect(events.find((event) => event.type === 'breaker.opened')).toMatchObject({
      name: 'redis',
      reason: 'consecutive_failures',
      consecutiveFailures: 5,
      cooldownMs,
      error: boom,
    });
  });

  test('a success resets the consecutive failure count', async () => {
    const { breaker } = setup();

    await failTimes(breaker, 4);
    await breaker.execute(succeed);
    await failTimes(breaker, 4);

    expect(breaker.stateName).toBe('closed');
    expect(breaker.snapshot().consecutiveFailures).toBe(4);
  });

  test('rejects at once without calling the operation while open', async () => {
    const { breaker } = setup();
    await failTimes(breaker, 5);
    let called = false;

    const error = await breaker
      .execute(async () => {
        called = true;
      })
      .catch((rejection: unknown) => rejection);

    expect(called).toBe(false);
    expect(error).toBeInstanceOf(BreakerOpenError);
    expect(error).toMatchObject({ code: 'breaker_open', breaker: 'redis', state: 'open' });
  });

  test('rejects with one pre-allocated, frozen error instead of building one per call', async () => {
    const { breaker } = setup();
    await failTimes(breaker, 5);

    const first = await breaker.execute(succeed).catch((error: unknown) => error);
    const second = await breaker.execute(succeed).catch((error: unknown) => error);
    const acquired = breaker.acquire();

    expect(first).toBeInstanceOf(BreakerOpenError);
    expect(second).toBe(first);
    expect(acquired).toBe(first as BreakerOpenError);
    expect(Object.isFrozen(first)).toBe(true);
    expect(breaker.snapshot().totals.rejections).toBe(3);
  });

  test('stays open until the whole cooldown has passed', async () => {
    const { breaker, clock } = setup();
    await failTimes(breaker, 5);

    await clock.advance(cooldownMs - 1);
    await expect(breaker.execute(succeed)).rejects.toBeInstanceOf(BreakerOpenError);

    await clock.advance(1);
    expect(await breaker.execute(succeed)).toBe('ok');
  });

  test('lets exactly one probe through after the cooldown and rejects the others at once', async () => {
    const { breaker, clock } = setup();
    await tripAndCoolDown(breaker, clock);
    const probe = pendingOperation();
    const others = pendingOperation();

    const probeResult = track(breaker.execute(probe.operation));
    const otherResults = Array.from({ length: 20 }, () => track(breaker.execute(others.operation)));
    await flushMicrotasks();

    expect(probe.calls()).toBe(1);
    expect(others.calls()).toBe(0);
    expect(probeResult.status).toBe('pending');
    // Rejected while the probe is still in flight: nobody waits in a queue behind it.
    for (const result of otherResults) {
      expect(result.status).toBe('rejected');
      expect(result.error).toMatchObject({ code: 'breaker_open', state: 'half_open' });
    }

    probe.resolve('ok');
    await flushMicrotasks();
    expect(probeResult.status).toBe('fulfilled');
    expect(breaker.stateName).toBe('closed');
  });

  test('closes when the probe succeeds', async () => {
    const { breaker, clock, transitions, events } = setup();
    await tripAndCoolDown(breaker, clock);

    expect(await breaker.execute(succeed)).toBe('ok');

    expect(breaker.stateName).toBe('closed');
    expect(transitions()).toEqual(['breaker.opened', 'breaker.half_open', 'breaker.closed']);
    expect(events.at(-1)).toMatchObject({ type: 'breaker.closed', openForMs: cooldownMs });
    expect(await breaker.execute(succeed)).toBe('ok');
  });

  test('reopens when the probe fails, and the cooldown starts again from that failure', async () => {
    const { breaker, clock, events } = setup();
    await tripAndCoolDown(breaker, clock);

    await expect(breaker.execute(fail)).rejects.toBe(boom);

    expect(breaker.stateName).toBe('open');
    expect(events.at(-1)).toMatchObject({ type: 'breaker.opened', reason: 'probe_failed' });
    await clock.advance(cooldownMs - 1);
    await expect(breaker.execute(succeed)).rejects.toBeInstanceOf(BreakerOpenError);
    await clock.advance(1);
    expect(await breaker.execute(succeed)).toBe('ok');
  });

  test('a success from a call started before the trip cannot close a half-open breaker', async () => {
    const { breaker, clock, events } = setup();
    const straggler = pendingOperation();
    const stragglerResult = track(breaker.execute(straggler.operation));
    await tripAndCoolDown(breaker, clock);
    const probe = pendingOperation();
    track(breaker.execute(probe.operation));

    straggler.resolve('late');
    await flushMicrotasks();

    expect(stragglerResult.status).toBe('fulfilled');
    expect(breaker.stateName).toBe('half_open');
    expect(events.at(-1)).toMatchObject({ type: 'breaker.stale_result', outcome: 'success' });

    probe.reject(boom);
    await flushMicrotasks();
    expect(breaker.stateName).toBe('open');
  });

  test('a failure from a call started before the trip does not count after recovery', async () => {
    const { breaker, clock } = setup({ failureThreshold: 1 });
    const straggler = pendingOperation();
    track(breaker.execute(straggler.operation));
    await failTimes(breaker, 1);
    await clock.advance(cooldownMs);
    await breaker.execute(succeed);
    expect(breaker.stateName).toBe('closed');

    straggler.reject(boom);
    await flushMicrotasks();

    expect(breaker.stateName).toBe('closed');
    expect(breaker.snapshot()).toMatchObject({ consecutiveFailures: 0, totals: { stale: 1 } });
  });

  test('failures that land after the trip never keep it open past the cooldown', async () => {
    const { breaker, clock } = setup();
    const inFlight = Array.from({ length: 20 }, () => pendingOperation());
    for (const call of inFlight) track(breaker.execute(call.operation));

    for (const call of inFlight.slice(0, 5)) call.reject(boom);
    await flushMicrotasks();
    expect(breaker.stateName).toBe('open');
    await clock.advance(cooldownMs / 2);
    for (const call of inFlight.slice(5)) call.reject(boom);
    await flushMicrotasks();
    await clock.advance(cooldownMs / 2);

    expect(await breaker.execute(succeed)).toBe('ok');
    expect(breaker.stateName).toBe('closed');
    expect(breaker.snapshot().totals).toMatchObject({ failures: 5, stale: 15, openings: 1 });
  });

  test("a caller's own abort does not count as a failure", async () => {
    const { breaker } = setup({ failureThreshold: 1 });
    const controller = new AbortController();
    const operation = (signal: AbortSignal | undefined) =>
      new Promise<string>((_resolve, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason));
      });

    const result = track(breaker.execute(operation, controller.signal));
    controller.abort(new Error('client went away'));
    await flushMicrotasks();

    expect(result.status).toBe('rejected');
    expect(breaker.stateName).toBe('closed');
    expect(breaker.snapshot().totals).toMatchObject({ failures: 0, ignored: 1 });
  });

  test('a passed deadline does not count as a failure by default', async () => {
    const { breaker } = setup({ failureThreshold: 1 });

    await breaker.execute(() => Promise.reject(new DeadlineExceededError(10))).catch(() => {});

    expect(breaker.stateName).toBe('closed');
  });

  test('counts only the errors the failure predicate accepts', async () => {
    class ReplyError extends Error {}
    const { breaker } = setup({
      failureThreshold: 2,
      isFailure: (error) => !(error instanceof ReplyError),
    });

    for (let i = 0; i < 5; i++) {
      await breaker.execute(() => Promise.reject(new ReplyError('WRONGTYPE'))).catch(() => {});
    }
    expect(breaker.stateName).toBe('closed');

    await failTimes(breaker, 2);
    expect(breaker.stateName).toBe('open');
  });

  test('a probe whose outcome does not count frees the slot for the next probe', async () => {
    const { breaker, clock } = setup();
    await tripAndCoolDown(breaker, clock);
    const controller = new AbortController();
    controller.abort();

    await breaker.execute(fail, controller.signal).catch(() => {});
    expect(breaker.snapshot()).toMatchObject({ state: 'half_open', probeInFlight: false });

    expect(await breaker.execute(succeed)).toBe('ok');
    expect(breaker.stateName).toBe('closed');
  });

  test('a probe that never settles counts as failed after probeTimeoutMs', async () => {
    const { breaker, clock, events } = setup({ probeTimeoutMs: 1_000 });
    await tripAndCoolDown(breaker, clock);
    const lostProbe = pendingOperation();
    track(breaker.execute(lostProbe.operation));

    await clock.advance(999);
    await expect(breaker.execute(succeed)).rejects.toMatchObject({ state: 'half_open' });
    await clock.advance(1);
    await expect(breaker.execute(succeed)).rejects.toMatchObject({ state: 'open' });
    expect(events.at(-2)).toMatchObject({ type: 'breaker.opened', reason: 'probe_timed_out' });

    lostProbe.resolve('too late');
    await flushMicrotasks();
    expect(breaker.stateName).toBe('open');
  });

  test('opens when the failure rate over the window reaches the threshold', async () => {
    const { breaker, events } = setup({
      failureThreshold: Number.POSITIVE_INFINITY,
      failureRate: { threshold: 0.5, windowMs: 10_000, minimumCalls: 10 },
    });

    for (let i = 0; i < 4; i++) {
      await breaker.execute(succeed);
      await failTimes(breaker, 1);
    }
    await breaker.execute(succeed);
    expect(breaker.stateName).toBe('closed');

    await failTimes(breaker, 1);
    expect(breaker.stateName).toBe('open');
    expect(events.at(-1)).toMatchObject({
      type: 'breaker.opened',
      reason: 'failure_rate',
      windowCalls: 10,
      windowFailures: 5,
    });
  });

  test('does not open by failure rate below the minimum number of calls', async () => {
    const { breaker } = setup({
      failureThreshold: Number.POSITIVE_INFINITY,
      failureRate: { threshold: 0.5, windowMs: 10_000, minimumCalls: 10 },
    });

    await failTimes(breaker, 9);

    expect(breaker.stateName).toBe('closed');
  });

  test('forgets failures that slid out of the window', async () => {
    const { breaker, clock } = setup({
      failureThreshold: Number.POSITIVE_INFINITY,
      failureRate: { threshold: 0.5, windowMs: 10_000, minimumCalls: 4 },
    });

    await failTimes(breaker, 3);
    await clock.advance(10_000);
    await breaker.execute(succeed);
    await breaker.execute(succeed);
    await failTimes(breaker, 1);

    expect(breaker.snapshot()).toMatchObject({ windowCalls: 3, windowFailures: 1 });
    expect(breaker.stateName).toBe('closed');
  });

  test('with threshold 0 it is disabled and passes every call through', async () => {
    const { breaker, events } = setup({ failureThreshold: 0 });
    let calls = 0;
    const counted = async () => {
      calls++;
      throw boom;
    };

    for (let i = 0; i < 50; i++) await breaker.execute(counted).catch(() => {});

    expect(calls).toBe(50);
    expect(breaker.snapshot().state).toBe('disabled');
    expect(breaker.acquire()).not.toBeInstanceOf(BreakerOpenError);
    expect(events).toEqual([]);
  });

  test('a listener that throws never breaks the breaker', async () => {
    const listenerErrors: unknown[] = [];
    const events = createResilienceEvents((error) => listenerErrors.push(error));
    const { breaker, clock, types, transitions } = setup({ events });
    breaker.subscribe(() => {
      throw new Error('logger exploded');
    });

    await tripAndCoolDown(breaker, clock);
    expect(await breaker.execute(succeed)).toBe('ok');

    expect(transitions()).toEqual(['breaker.opened', 'breaker.half_open', 'breaker.closed']);
    expect(breaker.stateName).toBe('closed');
    expect(listenerErrors).toHaveLength(types().length);
  });

  test('a listener that calls back in while half-open is rejected like everyone else', async () => {
    const { breaker, clock } = setup();
    let reentrant: Promise<unknown> | undefined;
    breaker.subscribe((event) => {
      if (event.type === 'breaker.half_open') reentrant = breaker.execute(succeed);
    });
    await tripAndCoolDown(breaker, clock);
    const probe = pendingOperation();

    track(breaker.execute(probe.operation));

    expect(reentrant).toBeDefined();
    await expect(reentrant).rejects.toMatchObject({ state: 'half_open' });
    expect(probe.calls()).toBe(1);
  });

  test('unsubscribing stops the events', async () => {
    const { breaker } = setup();
    const seen: string[] = [];
    const unsubscribe = breaker.subscribe((event) => seen.push(event.type));

    unsubscribe();
    await failTimes(breaker, 5);

    expect(seen).toEqual([]);
  });

  test('reports failures, rejections and stale results as events', async () => {
    const { breaker, types } = setup({ failureThreshold: 2 });
    const straggler = pendingOperation();
    track(breaker.execute(straggler.operation));

    await failTimes(breaker, 3);
    straggler.resolve('late');
    await flushMicrotasks();

    expect(types()).toEqual([
      'breaker.failure',
      'breaker.failure',
      'breaker.opened',
      'breaker.rejected',
      'breaker.stale_result',
    ]);
  });

  test('snapshot reports state, counts, generation and the cooldown left', async () => {
    const { breaker, clock } = setup();
    await breaker.execute(succeed);
    await failTimes(breaker, 5);
    await clock.advance(10_000);
    await breaker.execute(succeed).catch(() => {});

    expect(breaker.snapshot()).toEqual({
      name: 'redis',
      state: 'open',
      generation: 1,
      consecutiveFailures: 5,
      windowCalls: 0,
      windowFailures: 0,
      openedAt: clock.now() - 10_000,
      cooldownRemainingMs: 20_000,
      probeInFlight: false,
      totals: { successes: 1, failures: 5, ignored: 0, rejections: 1, stale: 0, openings: 1 },
    });
  });

  test('a synchronous throw by the operation counts as a failure and rejects', async () => {
    const { breaker } = setup({ failureThreshold: 1 });

    const result = breaker.execute(() => {
      throw boom;
    });

    await expect(result).rejects.toBe(boom);
    expect(breaker.stateName).toBe('open');
  });

  test('reports outcomes through a permit for callers that run the operation themselves', () => {
    const { breaker, clock } = setup({ failureThreshold: 1 });

    const permit = breaker.acquire();
    if (permit instanceof BreakerOpenError) throw permit;
    permit.fail(boom);

    expect(breaker.stateName).toBe('open');
    expect(breaker.acquire()).toBeInstanceOf(BreakerOpenError);
    permit.succeed();
    expect(breaker.stateName).toBe('open');
    expect(clock.pendingTimers).toBe(0);
  });

  test('refusal() answers refused calls without claiming the probe or changing state', async () => {
    const { breaker, clock, events } = setup({ probeTimeoutMs: 1_000 });
    expect(breaker.refusal()).toBeUndefined();

    await failTimes(breaker, 5);
    const refused = breaker.refusal();
    expect(refused).toBe(breaker.refusal());
    await expect(refused).rejects.toMatchObject({ state: 'open' });
    expect(events.at(-1)).toMatchObject({ type: 'breaker.rejected', state: 'open' });
    expect(breaker.snapshot().totals.rejections).toBe(2);

    await clock.advance(cooldownMs);
    expect(breaker.refusal()).toBeUndefined();
    expect(breaker.stateName).toBe('open');

    const probe = pendingOperation();
    track(breaker.execute(probe.operation));
    expect(breaker.stateName).toBe('half_open');
    await expect(breaker.refusal()).rejects.toMatchObject({ state: 'half_open' });

    await clock.advance(1_000);
    expect(breaker.refusal()).toBeUndefined();
    expect(breaker.stateName).toBe('half_open');
    expect(probe.calls()).toBe(1);
  });

  test('refuses invalid options when it is built', () => {
    const valid: BreakerOptions = { name: 'redis', failureThreshold: 5, cooldownMs: 1_000 };

    expect(() => new CircuitBreaker({ ...valid, name: '' })).toThrow(InvalidResilienceOptionError);
    for (const failureThreshold of [-1, 2.5]) {
      expect(() => new CircuitBreaker({ ...valid, failureThreshold })).toThrow(/failureThreshold/);
    }
    expect(() => new CircuitBreaker({ ...valid, cooldownMs: Number.NaN })).toThrow(/cooldownMs/);
    expect(
      () =>
        new CircuitBreaker({
          ...valid,
          failureRate: { threshold: 1.5, windowMs: 1_000, minimumCalls: 1 },
        }),
    ).toThrow(/failureRate.threshold/);
    expect(
      () =>
        new CircuitBreaker({
          ...valid,
          failureRate: { threshold: 0.5, windowMs: 1_000, minimumCalls: 0 },
        }),
    ).toThrow(/failureRate.minimumCalls/);
  });
});
