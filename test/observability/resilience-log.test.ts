import { describe, expect, test } from 'bun:test';
import { createMetrics } from '../../src/observability/metrics.ts';
import { startResilienceLog } from '../../src/observability/resilience-log.ts';
import { CircuitBreaker } from '../../src/resilience/breaker.ts';
import { AttemptTimeoutError, BreakerOpenError } from '../../src/resilience/errors.ts';
import { createResilienceEvents } from '../../src/resilience/event-hub.ts';
import type { RetryGiveUpReason } from '../../src/resilience/events.ts';
import { FakeScheduler } from '../resilience/fake-scheduler.ts';
import { captureLog } from './captured-log.ts';
import { parseExposition, valueOf } from './exposition.ts';

const cooldownMs = 1_000;

function observed() {
  const events = createResilienceEvents();
  const log = captureLog();
  const metrics = createMetrics({ defaultMetrics: false });
  const resilienceLog = startResilienceLog({ events, logger: log.logger, metrics });
  const clock = new FakeScheduler();
  const breaker = new CircuitBreaker({
    name: 'redis',
    failureThreshold: 2,
    cooldownMs,
    clock,
    events,
  });
  const scrape = async () => parseExposition(await metrics.render());
  const refused = () => Promise.reject(new Error('connect ECONNREFUSED'));
  const fail = () => breaker.execute(refused).catch(() => {});
  const succeed = () => breaker.execute(() => Promise.resolve('PONG'));
  const lines = () => log.records().map(({ level, msg }) => `${level} ${msg}`);

  return { events, log, metrics, resilienceLog, clock, scrape, fail, succeed, lines };
}

describe('startResilienceLog', () => {
  test('logs the breaker opening once at warn with its reason, and sets the state gauge', async () => {
    const { log, scrape, fail, lines } = observed();
    await fail();
    await fail();
    for (let call = 0; call < 10; call++) await fail();
    const exposition = await scrape();

    const louderThanDebug = lines().filter((line) => !line.startsWith('debug'));
    expect(louderThanDebug).toEqual(['warn circuit breaker opened']);
    expect(log.records().find((record) => record.level === 'warn')).toMatchObject({
      breaker: 'redis',
      reason: 'consecutive_failures',
      consecutiveFailures: 2,
      cooldownMs,
      error: 'connect ECONNREFUSED',
    });
    expect(valueOf(exposition, 'redis_breaker_state')).toBe(1);
    const opened = { from: 'closed', to: 'open' };
    expect(valueOf(exposition, 'redis_breaker_transitions_total', opened)).toBe(1);
  });

  test('logs half-open and closed at info and counts each transition', async () => {
    const { clock, scrape, fail, succeed, lines } = observed();
    await fail();
    await fail();
    await clock.advance(cooldownMs);
    await succeed();
    const exposition = await scrape();

    expect(lines().filter((line) => !line.startsWith('debug'))).toEqual([
      'warn circuit breaker opened',
      'info circuit breaker half-open: letting one probe through',
      'info circuit breaker closed',
    ]);
    expect(valueOf(exposition, 'redis_breaker_state')).toBe(0);
    const transition = (from: string, to: string) =>
      valueOf(exposition, 'redis_breaker_transitions_total', { from, to });
    expect(transition('open', 'half_open')).toBe(1);
    expect(transition('half_open', 'closed')).toBe(1);
  });

  test('counts a failed probe as a transition from half-open back to open', async () => {
    const { log, clock, scrape, fail } = observed();
    await fail();
    await fail();
    await clock.advance(cooldownMs);
    await fail();
    const exposition = await scrape();
    const openings = log.records().filter((record) => record.msg === 'circuit breaker opened');

    expect(openings.map((record) => record.reason)).toEqual(['consecutive_failures', 'probe_failed']);
    expect(valueOf(exposition, 'redis_breaker_state')).toBe(1);
    const reopened = { from: 'half_open', to: 'open' };
    expect(valueOf(exposition, 'redis_breaker_transitions_total', reopened)).toBe(1);
  });

  test('logs retries at debug and counts them', async () => {
    const { events, log, scrape } = observed();
    const error = new AttemptTimeoutError(250);
    events.emit({ type: 'retry.scheduled', name: 'redis-read', attempt: 1, delayMs: 12.6, error });
    events.emit({ type: 'retry.scheduled', name: 'redis-read', attempt: 2, delayMs: 30, error });
    const exposition = await scrape();

    expect(valueOf(exposition, 'retries_total')).toBe(2);
    expect(log.records()).toHaveLength(2);
    expect(log.records()[0]).toMatchObject({
      level: 'debug',
      msg: 'retry scheduled',
      policy: 'redis-read',
      attempt: 1,
      delayMs: 13,
      error: 'attempt timed out after 250ms',
      errorCode: 'attempt_timed_out',
    });
  });

  test('logs give-ups at warn, but those that repeat on every call of an outage at debug', () => {
    const { events, log } = observed();
    const timedOut = new AttemptTimeoutError(250);
    const rejected = new BreakerOpenError('redis', 'open');
    const gaveUp = (reason: RetryGiveUpReason, error: Error) =>
      events.emit({ type: 'retry.gave_up', name: 'r', attempts: 2, reason, error });
    gaveUp('attempts_exhausted', timedOut);
    gaveUp('deadline', timedOut);
    gaveUp('not_retryable', rejected);
    gaveUp('aborted', timedOut);

    expect(log.records().map(({ level, reason }) => `${level} ${String(reason)}`)).toEqual([
      'warn attempts_exhausted',
      'warn deadline',
      'debug not_retryable',
      'debug aborted',
    ]);
  });

  test('writes nothing for breaker rejections, one per refused call', () => {
    const { events, log } = observed();
    for (let call = 0; call < 5; call++) {
      events.emit({ type: 'breaker.rejected', name: 'redis', state: 'open' });
    }

    expect(log.lines).toEqual([]);
  });

  test('logs a Redis outage once when lost and once when restored, and tracks it', async () => {
    const { log, resilienceLog, scrape } = observed();
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:6379');
    resilienceLog.onRedisConnectionEvent({ type: 'connected' });
    const whileConnected = await scrape();
    resilienceLog.onRedisConnectionEvent({ type: 'lost', error: refused });
    const whileLost = await scrape();
    resilienceLog.onRedisConnectionEvent({ type: 'reconnecting' });
    resilienceLog.onRedisConnectionEvent({ type: 'connected' });

    expect(log.records().map(({ level, msg }) => `${level} ${msg}`)).toEqual([
      'info redis connected',
      'warn redis connection lost',
      'debug redis reconnecting',
      'info redis connection restored',
    ]);
    expect(log.records()[1]).toMatchObject({ error: 'connect ECONNREFUSED 127.0.0.1:6379' });
    expect(valueOf(whileConnected, 'redis_connected')).toBe(1);
    expect(valueOf(whileLost, 'redis_connected')).toBe(0);
    expect(valueOf(await scrape(), 'redis_connected')).toBe(1);
  });

  test('calls a first connection that fails unreachable rather than lost', () => {
    const { log, resilienceLog } = observed();
    resilienceLog.onRedisConnectionEvent({ type: 'lost', error: new Error('connect ECONNREFUSED') });

    expect(log.records()).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'redis unreachable' }),
    ]);
  });

  test('stops listening once stopped', async () => {
    const { resilienceLog, log, fail } = observed();
    resilienceLog.stop();
    await fail();
    await fail();

    expect(log.lines).toEqual([]);
  });
});
