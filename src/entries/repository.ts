import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { entries } from '../db/schema.ts';
import type { Entry, EntryChanges } from './entry.ts';

export interface StoredEntry extends Entry {
  userId: string;
}

export interface EntryRepository {
  insert(entry: StoredEntry): void;
  find(userId: string, id: string): Entry | undefined;
  /** Newest first; `beforeId` is exclusive. */
  list(userId: string, limit: number, beforeId: string | null): Entry[];
  /** Applies the changes given (a missing field keeps its value); undefined if not found. */
  update(userId: string, id: string, changes: EntryChanges, updatedAt: string): Entry | undefined;
  remove(userId: string, id: string): boolean;
}

const publicColumns = {
  id: entries.id,
  title: entries.title,
  body: entries.body,
  createdAt: entries.createdAt,
  updatedAt: entries.updatedAt,
};

// Every statement is prepared once: rebuilding a Drizzle query per call costs far more
// than running it.
export function createEntryRepository(db: Db): EntryRepository {
  const userId = sql.placeholder('userId');
  const id = sql.placeholder('id');
  const limit = sql.placeholder('limit');
  const ownEntry = and(eq(entries.userId, userId), eq(entries.id, id));

  const insert = db
    .insert(entries)
    .values({
      id,
      userId,
      title: sql.placeholder('title'),
      body: sql.placeholder('body'),
      createdAt: sql.placeholder('createdAt'),
      updatedAt: sql.placeholder('updatedAt'),
    })
    .prepare();
  const find = db.select(publicColumns).from(entries).where(ownEntry).prepare();
  const firstPage = db
    .select(publicColumns)
    .from(entries)
    .where(eq(entries.userId, userId))
    .orderBy(desc(entries.id))
    .limit(limit)
    .prepare();
  const laterPage = db
    .select(publicColumns)
    .from(entries)
    .where(and(eq(entries.userId, userId), lt(entries.id, sql.placeholder('beforeId'))))
    .orderBy(desc(entries.id))
    .limit(limit)
    .prepare();
  // One statement: a field the client left out (bound as null) keeps its stored value.
  const update = db
    .update(entries)
    .set({
      title: sql`coalesce(${sql.placeholder('title')}, ${entries.title})`,
      body: sql`coalesce(${sql.placeholder('body')}, ${entries.body})`,
      updatedAt: sql`${sql.placeholder('updatedAt')}`,
    })
    .where(ownEntry)
    .returning(publicColumns)
    .prepare();
  const remove = db.delete(entries).where(ownEntry).returning({ id: entries.id }).prepare();

  return {
    insert: (entry) => void insert.run({ ...entry }),
    find: (userId, id) => find.get({ userId, id }),
    list: (userId, limit, beforeId) =>
      beforeId === null
        ? firstPage.all({ userId, limit })
        : laterPage.all({ userId, limit, beforeId }),
    update: (userId, id, { title = null, body = null }, updatedAt) =>
      update.get({ userId, id, title, body, updatedAt }),
    remove: (userId, id) => remove.all({ userId, id }).length > 0,
  };
}
