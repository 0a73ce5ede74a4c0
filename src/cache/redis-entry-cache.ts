import type { EntryCache } from '../entries/cache.ts';
import type { Entry, EntryPage } from '../entries/entry.ts';
import { neverSent, RedisCommandSkippedError, type GuardedRedis } from '../redis/guarded-redis.ts';
import { createDeadline, type Deadline } from '../resilience/deadline.ts';

export type CacheResult = 'hit' | 'miss' | 'bypass' | 'error';

export interface RedisEntryCacheOptions {
  redis: GuardedRedis;
  ttlMs: number;
  /** Time limit of one settling pass, outside any request. */
  settleTimeoutMs: number;
  /**
   * The run id of the Redis that holds every invalidation of the service's last run, when
   * that run ended with all of them applied; undefined makes the cache purge before use.
   */
  settledInRedisRun: string | undefined;
  onResult?: (result: CacheResult) => void;
}

/** Keys remembered as possibly stale before the cache purges its whole namespace. */
const maxUncertainKeys = 100_000;

const namespace = 'bw:cache:';
/** Redis was not asked: the cache was not trusted, or the read was refused or skipped. */
const bypassed = Symbol('bypassed');
/** The read was sent, and failed or timed out. */
const unanswered = Symbol('unanswered');
/** What one read found: the cached value, null for none, or why there is no answer. */
type Lookup = string | null | typeof bypassed | typeof unanswered;
type ReadAhead = { key: string; lookup: Lookup | Promise<Lookup> };
export const entryKey = (userId: string, id: string) => `${namespace}entry:${userId}:${id}`;
export const pageKey = (userId: string) => `${namespace}page:${userId}`;

/**
 * Entries and first pages cached in Redis, never staler than an acknowledged write.
 *
 * A write commits to SQLite, then deletes the keys it affects before it is acknowledged. When
 * that delete fails, or a fill's fate is unknown (it timed out after it may have been sent),
 * the keys are remembered as uncertain, and every read bypasses the cache until a later pass
 * has deleted them all. A fill is queued in the same turn as the SQLite read it carries, so
 * no write can come between them, and the one connection delivers it before any later
 * delete; it is dropped when the cache is not trusted when it would be sent.
 *
 * An entry's lookup may start early, as its request arrives (`readAhead`). It still starts
 * after the request did, so it cannot miss a write acknowledged before the request.
 *
 * Invalidations hold only in the Redis run that received them: one restarted from a snapshot,
 * or a replica promoted before a delete reached it, may hold entries deleted since. So the
 * cache is trusted only once it has read the `run_id` of the Redis on the current connection,
 * and it purges its namespace when that run is not the one that has every invalidation: a new
 * one, or, at boot, any but the one the last run's clean shutdown recorded (none, after a
 * crash or with invalidations left unsettled).
 */
export class RedisEntryCache implements EntryCache {
  private readonly redis: GuardedRedis;
  private readonly ttlMs: number;
  private readonly settleTimeoutMs: number;
  private readonly onResult: (result: CacheResult) => void;
  private readonly uncertain = new Set<string>();
  private purgeNeeded = false;
  /** Where a purge goes on from: SCAN's cursor, '0' before its first step. */
  private purgeCursor = '0';
  /** The Redis run that holds every invalidation applied so far. */
  private settledRunId: string | undefined;
  /** Whether the connected Redis is known to be `settledRunId`'s run; false on a new connection. */
  private runConfirmed = false;
  /** Counts connections opened, so a run id read on one cannot confirm the next. */
  private connectionsOpened = 0;
  private settling: Promise<void> | undefined;
  private readonly readsAhead = new WeakMap<Deadline, ReadAhead>();

  constructor(options: RedisEntryCacheOptions) {
    this.redis = options.redis;
    this.ttlMs = options.ttlMs;
    this.settleTimeoutMs = options.settleTimeoutMs;
    // Left undefined, no run confirms it: the first connection purges before the cache is used.
    this.settledRunId = options.settledInRedisRun;
    this.onResult = options.onResult ?? (() => {});
  }

  /**
   * False while some invalidation is unsettled, or the Redis run is not yet confirmed: reads
   * then come from SQLite.
   */
  get trusted(): boolean {
    return this.runConfirmed && this.uncertain.size === 0 && !this.purgeNeeded;
  }

  /**
   * The run id of the Redis that holds every invalidation, when the cache is trusted: what a
   * clean shutdown records for the next run.
   */
  get settledRun(): string | undefined {
    return this.trusted ? this.settledRunId : undefined;
  }

  /**
   * A connection to Redis opened (the first, or after a loss): whoever answers on it must show
   * its run id before the cache is trusted. Call it before any command can use the connection.
   */
  connectionOpened(): void {
    this.connectionsOpened++;
    this.runConfirmed = false;
  }

  get uncertainKeys(): number {
    return this.uncertain.size;
  }

  readAhead(userId: string, id: string, deadline: Deadline): void {
    const key = entryKey(userId, id);
    this.readsAhead.set(deadline, { key, lookup: this.lookUp(key, 'GET', deadline) });
  }

  entry(userId: string, id: string, load: () => Entry | undefined, deadline: Deadline) {
    const key = entryKey(userId, id);

    return this.readThrough(
      key,
      load,
      this.takeReadAhead(key, deadline) ?? this.lookUp(key, 'GET', deadline),
      (value) => this.redis.setWithTtl(key, value, this.ttlMs, deadline),
    );
  }

  firstPage(userId: string, limit: number, load: () => EntryPage, deadline: Deadline) {
    const key = pageKey(userId);
    const field = String(limit);

    return this.readThrough(
      key,
      load,
      this.lookUp(key, 'HGET', deadline, field),
      (value) => this.redis.hSetWithTtl(key, field, value, this.ttlMs, deadline),
    ) as Promise<EntryPage>;
  }

  async invalidate(userId: string, entryId: string | null, deadline: Deadline): Promise<void> {
    const keys = entryId === null ? [pageKey(userId)] : [pageKey(userId), entryKey(userId, entryId)];
    try {
      await this.redis.del(keys, deadline);
    } catch (error) {
      this.remember(keys);
      // Not sent because this request already waited out a Redis timeout. Redis may well be
      // back: delete now, beside the answer, rather than at this instance's next read, so
      // that other instances stop serving the old copy as soon as possible.
      if (error instanceof RedisCommandSkippedError) void this.settle();
    }
  }

  /** Deletes the uncertain keys; the cache is trusted again once none is left. */
  settle(): Promise<void> {
    this.settling ??= this.settleOnce().finally(() => {
      this.settling = undefined;
    });

    return this.settling;
  }

  /** What Redis holds at `key` (or its hash `field`), or why it was not asked or not heard. */
  private lookUp(
    key: string,
    command: 'GET' | 'HGET',
    deadline: Deadline,
    field?: string,
  ): Lookup | Promise<Lookup> {
    if (!this.trusted) {
      void this.settle();

      return bypassed;
    }

    // While the breaker is open, go to SQLite in this same turn, as without Redis at all.
    if (this.redis.refuses(command)) return bypassed;

    const read =
      field === undefined ? this.redis.get(key, deadline) : this.redis.hGet(key, field, deadline);

    // A failed read is the common case while Redis is away: handled in a reaction, it costs
    // no throw in this frame.
    return read.catch((error: unknown): Lookup => (neverSent(error) ? bypassed : unanswered));
  }

  private takeReadAhead(key: string, deadline: Deadline): Lookup | Promise<Lookup> | undefined {
    const ahead = this.readsAhead.get(deadline);
    if (ahead === undefined || ahead.key !== key) return undefined;
    this.readsAhead.delete(deadline);

    return ahead.lookup;
  }

  private async readThrough<T>(
    key: string,
    load: () => T | undefined,
    lookup: Lookup | Promise<Lookup>,
    fill: (value: string) => Promise<unknown>,
  ): Promise<T | undefined> {
    const cached = lookup instanceof Promise ? await lookup : lookup;
    if (typeof cached === 'string') {
      this.onResult('hit');

      return JSON.parse(cached) as T;
    }

    if (cached !== null) {
      this.onResult(cached === unanswered ? 'error' : 'bypass');

      return load();
    }

    this.onResult('miss');
    const value = load();
    if (value !== undefined && this.trusted) {
      await fill(JSON.stringify(value)).catch((error: unknown) => {
        // A fill that was never sent cannot have landed; anything else may have.
        if (!neverSent(error)) this.remember([key]);
      });
    }

    return value;
  }

  private remember(keys: string[]): void {
    if (this.uncertain.size + keys.length > maxUncertainKeys) {
      this.purgeNeeded = true;
      this.uncertain.clear();

      return;
    }

    for (const key of keys) this.uncertain.add(key);
  }

  private async settleOnce(): Promise<void> {
    // While the breaker refuses, every bypassed read would otherwise set up a deadline only
    // to be refused.
    if (this.redis.refuses('DEL')) return;

    const deadline = createDeadline({ timeoutMs: this.settleTimeoutMs });
    try {
      if (!this.runConfirmed) await this.confirmRun(deadline);
      if (this.purgeNeeded) {
        await this.purge(deadline);

        return;
      }

      const keys = [...this.uncertain];
      if (keys.length === 0) return;
      await this.redis.del(keys, deadline);
      for (const key of keys) this.uncertain.delete(key);
    } catch {
      // Still uncertain; the next read that finds the cache untrusted tries again.
    } finally {
      deadline.dispose();
    }
  }

  // Step by step, each its own attempt, and from where the last pass stopped: a namespace too
  // large to scan within one time limit is still purged, a few thousand keys a pass.
  private async purge(deadline: Deadline): Promise<void> {
    do {
      this.purgeCursor = await this.redis.purgeStep(`${namespace}*`, this.purgeCursor, deadline);
    } while (this.purgeCursor !== '0');
    this.purgeNeeded = false;
  }

  private async confirmRun(deadline: Deadline): Promise<void> {
    const connection = this.connectionsOpened;
    const runId = await this.redis.serverRunId(deadline);
    if (connection !== this.connectionsOpened) throw new Error('reconnected while confirming');

    if (runId !== this.settledRunId) {
      this.purgeNeeded = true;
      // A scan begun in another run proves nothing about this one.
      this.purgeCursor = '0';
      this.uncertain.clear();
      this.settledRunId = runId;
    }
    this.runConfirmed = true;
  }
}
