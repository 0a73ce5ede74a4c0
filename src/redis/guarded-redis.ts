import { TimeoutError, TimeoutReadError } from 'redis';
import { CircuitBreaker } from '../resilience/breaker.ts';
import type { BreakerSnapshot } from '../resilience/breaker-types.ts';
import type { Deadline } from '../resilience/deadline.ts';
import type { ResilienceEvents } from '../resilience/event-hub.ts';
import { AttemptTimeoutError, BreakerOpenError, DeadlineExceededError } from '../resilience/errors.ts';
import { ResilientExecutor } from '../resilience/executor.ts';
import { preRejected } from '../resilience/pre-rejected.ts';
import { RetryBudget } from '../resilience/retry-budget.ts';
import { RetryPolicy } from '../resilience/retry.ts';
import { defaultIsRetryable } from '../resilience/retry-options.ts';
import type { RedisClient } from './client.ts';

export type RedisCommandName = 'GET' | 'HGET' | 'SET' | 'HSET' | 'DEL' | 'EVALSHA' | 'INFO';
/**
 * `rejected`: the breaker refused the command without sending it. `skipped`: not sent either,
 * because an earlier command under the same deadline (the same request) timed out.
 */
export type RedisCommandOutcome = 'ok' | 'error' | 'timeout' | 'rejected' | 'skipped';

/** A command not sent because an earlier one under the same deadline timed out. */
export class RedisCommandSkippedError extends Error {
  readonly code = 'redis_command_skipped';

  constructor() {
    super('not sent: an earlier Redis command of this request timed out');
    this.name = 'RedisCommandSkippedError';
  }
}

/** True for the errors of commands that never reached Redis, so they cannot have applied. */
export function neverSent(error: unknown): boolean {
  return error instanceof BreakerOpenError || error instanceof RedisCommandSkippedError;
}

export interface GuardedRedisOptions {
  client: RedisClient;
  events: ResilienceEvents;
  /** REDIS_TIMEOUT: the limit of one attempt, shortened to the time left in the request. */
  attemptTimeoutMs: number;
  /** REDIS_BREAKER_THRESHOLD; 0 disables the breaker. */
  breakerThreshold: number;
  breakerCooldownMs: number;
  onCommand?: (command: RedisCommandName, outcome: RedisCommandOutcome) => void;
}

export interface RedisHealth {
  connected: boolean;
  breaker: BreakerSnapshot;
  lastError: string | undefined;
}

const rateLimitScript = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { count, ttl }`;
// node-redis sends EVALSHA with a known digest and falls back to EVAL on NOSCRIPT, so the
// script costs one round trip, also right after Redis restarted empty.
const rateLimitSha = new Bun.CryptoHasher('sha1').update(rateLimitScript).digest('hex');

/**
 * Every Redis command the service sends, each through deadline → retry (reads only) →
 * breaker → per-attempt limit. Nothing else touches the raw client.
 *
 * A request waits out REDIS_TIMEOUT at most once: after one of its commands timed out, the
 * rest are not sent, and it carries on as if Redis were away. A frozen Redis then costs each
 * request one time limit, not one per command, until the breaker opens.
 */
export class GuardedRedis {
  private readonly client: RedisClient;
  private readonly executor: ResilientExecutor;
  private readonly breaker: CircuitBreaker;
  private readonly onCommand: GuardedRedisOptions['onCommand'];
  private lastError: unknown;
  private readonly timedOutDeadlines = new WeakSet<Deadline>();
  private readonly skipped: Promise<never>;

  constructor(options: GuardedRedisOptions) {
    this.client = options.client;
    this.onCommand = options.onCommand;
    this.skipped = preRejected(new RedisCommandSkippedError());
    this.breaker = new CircuitBreaker({
      name: 'redis',
      failureThreshold: options.breakerThreshold,
      cooldownMs: options.breakerCooldownMs,
      probeTimeoutMs: options.attemptTimeoutMs * 4,
      events: options.events,
    });
    const retry = new RetryPolicy({
      name: 'redis',
      attempts: 2,
      firstDelayMs: 10,
      growthFactor: 2,
      maxDelayMs: 50,
      budget: new RetryBudget({ ratio: 0.1, windowMs: 10_000, minRetriesPerSecond: 5 }),
      // A reset connection is worth another try; an attempt that ran out of time is not: a
      // frozen or overloaded Redis would only cost the request a second full time limit.
      isRetryable: (error) => defaultIsRetryable(error) && !isTimeout(error),
      events: options.events,
    });
    this.executor = new ResilientExecutor({
      name: 'redis',
      breaker: this.breaker,
      retry,
      attemptTimeoutMs: options.attemptTimeoutMs,
      events: options.events,
    });
  }

  get(key: string, deadline: Deadline): Promise<string | null> {
    return this.run('GET', deadline, true, (signal) => this.client.withAbortSignal(signal).get(key));
  }

  hGet(key: string, field: string, deadline: Deadline): Promise<string | null> {
    return this.run('HGET', deadline, true, (signal) =>
      this.client.withAbortSignal(signal).hGet(key, field),
    );
  }

  /** Writes a value with a lifetime. Never retried: a lost reply may hide a write that applied. */
  setWithTtl(key: string, value: string, ttlMs: number, deadline: Deadline): Promise<unknown> {
    return this.run('SET', deadline, false, (signal) =>
      this.client.withAbortSignal(signal).set(key, value, { PX: ttlMs }),
    );
  }

  hSetWithTtl(key: string, field: string, value: string, ttlMs: number, deadline: Deadline) {
    return this.run('HSET', deadline, false, (signal) =>
      this.client.withAbortSignal(signal).multi().hSet(key, field, value).pExpire(key, ttlMs).exec(),
    );
  }

  del(keys: string[], deadline: Deadline): Promise<number> {
    return this.run('DEL', deadline, false, (signal) => this.client.withAbortSignal(signal).del(keys));
  }

  /** Counts one hit in a fixed window, atomically: returns the count and the window's ms left. */
  countHit(key: string, windowMs: number, deadline: Deadline): Promise<{ count: number; resetMs: number }> {
    return this.run('EVALSHA', deadline, false, async (signal) => {
      const reply = (await this.evalRateLimit(key, windowMs, signal)) as [number, number];

      return { count: Number(reply[0]), resetMs: Number(reply[1]) };
    });
  }

  /**
   * The `run_id` of the Redis process answering: it changes whenever Redis restarts, also
   * when it reloads a snapshot, and on a failover to another server.
   */
  serverRunId(deadline: Deadline): Promise<string> {
    return this.run('INFO', deadline, true, async (signal) => {
      const info = await this.client.withAbortSignal(signal).info('server');
      const runId = /^run_id:(\w+)/m.exec(info)?.[1];
      if (runId === undefined) throw new Error('INFO server carries no run_id');

      return runId;
    });
  }

  /**
   * One step of deleting the keys that match `pattern`: a SCAN from `cursor`, then UNLINK of
   * what it found, as one attempt. Returns the cursor to go on from; '0' once the scan is done.
   * SCAN returns every key present from the first step to the last, however far apart.
   */
  purgeStep(pattern: string, cursor: string, deadline: Deadline): Promise<string> {
    return this.run('DEL', deadline, false, async (signal) => {
      const client = this.client.withAbortSignal(signal);
      const step = await client.scan(cursor, { MATCH: pattern, COUNT: 1_000 });
      if (step.keys.length > 0) await client.unlink(step.keys);

      return String(step.cursor);
    });
  }

  /**
   * True when the breaker refuses commands right now, counted like a refused `command`.
   * Callers with a fallback ask first and take it at once, without waiting on a rejection.
   */
  refuses(command: RedisCommandName): boolean {
    if (this.breaker.refusal() === undefined) return false;
    this.onCommand?.(command, 'rejected');

    return true;
  }

  health(): RedisHealth {
    return {
      connected: this.client.isReady,
      breaker: this.breaker.snapshot(),
      lastError: this.lastError === undefined ? undefined : describe(this.lastError),
    };
  }

  private async evalRateLimit(key: string, windowMs: number, signal: AbortSignal) {
    const client = this.client.withAbortSignal(signal);
    const args = { keys: [key], arguments: [String(windowMs)] };
    try {
      return await client.evalSha(rateLimitSha, args);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;

      return client.eval(rateLimitScript, args);
    }
  }

  // Hands back the executor's own promise and records the outcome from the side: a refused
  // command then costs no throw and no rejected promise of its own, only the breaker's
  // shared rejection.
  private run<T>(
    command: RedisCommandName,
    deadline: Deadline,
    idempotent: boolean,
    operation: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    if (this.timedOutDeadlines.has(deadline)) {
      this.onCommand?.(command, 'skipped');

      return this.skipped;
    }

    const attempt = (signal: AbortSignal | undefined) => operation(signal ?? deadline.signal);
    const pending = this.executor.execute(attempt, { deadline, idempotent });
    // Registered before the caller's own reactions, so a timeout is on record before the
    // caller can send its next command.
    pending.then(
      () => this.onCommand?.(command, 'ok'),
      (error: unknown) => this.recordFailure(command, deadline, error),
    );

    return pending;
  }

  private recordFailure(command: RedisCommandName, deadline: Deadline, error: unknown): void {
    const outcome = outcomeOf(error);
    this.onCommand?.(command, outcome);
    if (outcome === 'timeout') this.timedOutDeadlines.add(deadline);
    if (outcome !== 'rejected') this.lastError = error;
  }
}

function outcomeOf(error: unknown): RedisCommandOutcome {
  if (error instanceof BreakerOpenError) return 'rejected';
  if (isTimeout(error)) return 'timeout';

  return 'error';
}

/**
 * A time limit ran out: the attempt's, the request's, or the client's own command timeout
 * (same length as the attempt's; whichever timer fires first rejects the command).
 */
function isTimeout(error: unknown): boolean {
  return (
    error instanceof AttemptTimeoutError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutReadError ||
    error instanceof TimeoutError
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
