import { afterEach, describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderEmbeddedMigrations } from '../../scripts/migrations-source.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/open.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function freshPath(): string {
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-db-'));
  folders.push(folder);

  return join(folder, 'nested', 'deeper', 'breakwater.db');
}

describe('openDatabase', () => {
  test('creates missing folders; opens in WAL mode with durable commits and foreign keys', () => {
    const path = freshPath();
    const database = openDatabase(path);

    expect(existsSync(path)).toBe(true);
    expect(database.sqlite.query('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(database.sqlite.query('PRAGMA foreign_keys').get()).toEqual({ foreign_keys: 1 });
    expect(database.sqlite.query('PRAGMA busy_timeout').get()).toEqual({ timeout: 5000 });
    // 2 is FULL: a commit is on disk before the write is acknowledged.
    expect(database.sqlite.query('PRAGMA synchronous').get()).toEqual({ synchronous: 2 });
    database.close();
  });
});

describe('migrate', () => {
  test('builds the schema on an empty database once, and is a no-op after', () => {
    const database = openDatabase(freshPath());

    expect(migrate(database.db)).toBeGreaterThan(0);
    expect(migrate(database.db)).toBe(0);
    const tables = database.sqlite
      .query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all() as Array<{ name: string }>;
    expect(tables.map((table) => table.name)).toEqual(
      expect.arrayContaining(['entries', 'users']),
    );
    database.close();
  });

  test('the embedded migrations match the drizzle-kit output in drizzle/', async () => {
    const committed = await Bun.file(
      new URL('../../src/db/migrations.generated.ts', import.meta.url),
    ).text();

    expect(committed).toBe(renderEmbeddedMigrations());
  });
});
