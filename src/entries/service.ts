import { asExistingUser } from '../auth/unknown-user.ts';
import { decodeCursor, pageOf } from '../http/cursor.ts';
import { NotFound } from '../http/problems.ts';
import type { Deadline } from '../resilience/deadline.ts';
import { isoTimestamp, type Clock } from '../shared/clock.ts';
import type { EntryEvents } from '../webhooks/events.ts';
import type { EntryCache } from './cache.ts';
import type { Entry, EntryChanges, EntryPage } from './entry.ts';
import type { EntryRepository } from './repository.ts';

export interface EntryService {
  create(userId: string, title: string, body: string, deadline: Deadline): Promise<Entry>;
  get(userId: string, id: string, deadline: Deadline): Promise<Entry>;
  /** Starts the cache lookup of a `get` to come under the same deadline; see `EntryCache`. */
  readAhead(userId: string, id: string, deadline: Deadline): void;
  list(userId: string, limit: number, cursor: string | undefined, deadline: Deadline): Promise<EntryPage>;
  update(userId: string, id: string, changes: EntryChanges, deadline: Deadline): Promise<Entry>;
  remove(userId: string, id: string, deadline: Deadline): Promise<void>;
}

export interface EntryServiceDeps {
  repository: EntryRepository;
  cache: EntryCache;
  clock: Clock;
  /** Told of each write inside the write's transaction. */
  events: EntryEvents;
  /** Runs `work` in one SQLite transaction and returns its result. */
  inTransaction: <T>(work: () => T) => T;
}

const missing = () => new NotFound('no such entry');

// A request past its deadline has had its 504 already: its write must not commit after it.
const notTooLate = (deadline: Deadline) => deadline.signal.throwIfAborted();

export function createEntryService(deps: EntryServiceDeps): EntryService {
  const { repository, cache, clock, events, inTransaction } = deps;
  const loadPage = (userId: string, limit: number, beforeId: string | null): EntryPage =>
    pageOf(repository.list(userId, limit + 1, beforeId), limit);

  return {
    async create(userId, title, body, deadline) {
      const now = isoTimestamp(clock);
      const entry: Entry = { id: Bun.randomUUIDv7(), title, body, createdAt: now, updatedAt: now };
      notTooLate(deadline);
      asExistingUser(() =>
        inTransaction(() => {
          repository.insert({ ...entry, userId });
          events.record(userId, 'entry.created', entry);
        }),
      );
      await cache.invalidate(userId, null, deadline);

      return entry;
    },

    async get(userId, id, deadline) {
      const entry = await cache.entry(userId, id, () => repository.find(userId, id), deadline);
      if (!entry) throw missing();

      return entry;
    },

    readAhead(userId, id, deadline) {
      cache.readAhead(userId, id, deadline);
    },

    async list(userId, limit, cursor, deadline) {
      if (cursor === undefined) {
        return cache.firstPage(userId, limit, () => loadPage(userId, limit, null), deadline);
      }

      return loadPage(userId, limit, decodeCursor(cursor));
    },

    async update(userId, id, changes, deadline) {
      notTooLate(deadline);
      const updated = inTransaction(() => {
        const changed = repository.update(userId, id, changes, isoTimestamp(clock));
        if (changed) events.record(userId, 'entry.updated', changed);

        return changed;
      });
      if (!updated) throw missing();
      await cache.invalidate(userId, id, deadline);

      return updated;
    },

    async remove(userId, id, deadline) {
      notTooLate(deadline);
      const removed = inTransaction(() => {
        const found = repository.remove(userId, id);
        if (found) events.record(userId, 'entry.deleted', { id });

        return found;
      });
      if (!removed) throw missing();
      await cache.invalidate(userId, id, deadline);
    },
  };
}
