import { eq } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { serviceState } from '../db/schema.ts';

/**
 * Whether the last run left every cache invalidation applied, in the Redis run it names.
 * Written at a clean shutdown and taken (read and removed) at boot, so that a run that
 * crashes, or stops with invalidations unsettled, leaves none behind.
 */
export interface SettledMarker {
  /** The run id of the Redis that holds every invalidation, or undefined when unknown. */
  take(): string | undefined;
  put(redisRunId: string): void;
}

const name = 'cache.settled_in_redis_run';

export function createSettledMarker(db: Db): SettledMarker {
  const find = db.select({ value: serviceState.value }).from(serviceState)
    .where(eq(serviceState.name, name)).prepare();
  const remove = db.delete(serviceState).where(eq(serviceState.name, name)).prepare();

  return {
    take() {
      const value = find.get()?.value;
      remove.run();

      return value;
    },
    put(redisRunId) {
      db.insert(serviceState)
        .values({ name, value: redisRunId })
        .onConflictDoUpdate({ target: serviceState.name, set: { value: redisRunId } })
        .run();
    },
  };
}
