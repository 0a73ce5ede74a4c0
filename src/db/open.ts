import { Database } from 'bun:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { drizzle, type BunSQLiteDatabase } from 'drizzle-orm/bun-sqlite';
import * as schema from './schema.ts';

export type Db = BunSQLiteDatabase<typeof schema> & { $client: Database };

export interface OpenDatabase {
  db: Db;
  sqlite: Database;
  /** Runs `work` in one write transaction (BEGIN IMMEDIATE) and returns its result. */
  inTransaction<T>(work: () => T): T;
  close(): void;
}

const busyTimeoutMs = 5000;

/** Opens (creating its folder if needed) the SQLite file in WAL mode with foreign keys on. */
export function openDatabase(path: string): OpenDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });

  const sqlite = new Database(path, { create: true, strict: true });
  sqlite.run(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
  sqlite.run('PRAGMA journal_mode = WAL');
  // FULL: each commit reaches the disk before the write is acknowledged, also across a power
  // loss; NORMAL in WAL mode would survive a crash of this process only.
  sqlite.run('PRAGMA synchronous = FULL');
  sqlite.run('PRAGMA foreign_keys = ON');

  return {
    db: drizzle({ client: sqlite, schema }),
    sqlite,
    inTransaction: (work) => sqlite.transaction(work).immediate(),
    close() {
      sqlite.run('PRAGMA wal_checkpoint(TRUNCATE)');
      sqlite.close();
    },
  };
}
