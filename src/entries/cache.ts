import type { Deadline } from '../resilience/deadline.ts';
import type { Entry, EntryPage } from './entry.ts';

/**
 * Where entry reads may be served from something faster than SQLite. `load` reads the
 * source of truth; implementations decide when a cached copy may be trusted instead.
 */
export interface EntryCache {
  /**
   * Starts looking the entry up now, for an `entry` call under the same deadline (the same
   * request) to finish; that call looks it up itself when there was none.
   */
  readAhead(userId: string, id: string, deadline: Deadline): void;
  entry(
    userId: string,
    id: string,
    load: () => Entry | undefined,
    deadline: Deadline,
  ): Promise<Entry | undefined>;
  firstPage(
    userId: string,
    limit: number,
    load: () => EntryPage,
    deadline: Deadline,
  ): Promise<EntryPage>;
  /** Called after a committed write; `entryId` is null when only lists changed. */
  invalidate(userId: string, entryId: string | null, deadline: Deadline): Promise<void>;
}

/** Every read goes to SQLite. */
export const noEntryCache: EntryCache = {
  readAhead: () => {},
  entry: async (_userId, _id, load) => load(),
  firstPage: async (_userId, _limit, load) => load(),
  invalidate: async () => {},
};
