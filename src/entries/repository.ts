import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { entries } from '../db/schema.ts';
import type { Entry } from './entry.ts';

export interface StoredEntry extends Entry {
  userId: string;
}

export interface EntryRepository {
  insert(entry: StoredEntry): void;
  find(userId: string, id: string): Entry | undefined;
  /** Newest first; `beforeId` is exclusive. */
  list(userId: string, limit: number, beforeId: string | null): Entry[];
  update(userId: string, id: string, title: string, body: string, updatedAt: string): boolean;
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
  const update = db
    .update(entries)
    .set({
      title: sql`${sql.placeholder('title')}`,
      body: sql`${sql.placeholder('body')}`,
      updatedAt: sql`${sql.placeholder('updatedAt')}`,
    })
    .where(ownEntry)
    .returning({ id: entries.id })
    .prepare();
  const remove = db.delete(entries).where(ownEntry).returning({ id: entries.id }).prepare();

  return {
    insert: (entry) => void insert.run({ ...entry }),
    find: (userId, id) => find.get({ userId, id }),
    list: (userId, limit, beforeId) =>
      beforeId === null
        ? firstPage.all({ userId, limit })
        : laterPage.all({ userId, limit, beforeId }),
    update: (userId, id, title, body, updatedAt) =>
      update.all({ userId, id, title, body, updatedAt }).length > 0,
    remove: (userId, id) => remove.all({ userId, id }).length > 0,
  };
}
