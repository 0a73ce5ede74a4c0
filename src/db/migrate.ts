import type { MigrationMeta } from 'drizzle-orm/migrator';
import type { Db } from './open.ts';
import { embeddedMigrations } from './migrations.generated.ts';

interface DrizzleInternals {
  dialect: { migrate(migrations: MigrationMeta[], session: unknown, config: object): void };
  session: unknown;
}

/** Applies the migrations embedded at build time; returns how many were new. */
export function migrate(db: Db): number {
  const before = appliedCount(db);
  // Drizzle's public migrator reads a folder at run time; its dialect applies a list.
  const internals = db as unknown as DrizzleInternals;
  internals.dialect.migrate(embeddedMigrations, internals.session, { migrationsFolder: '' });

  return appliedCount(db) - before;
}

function appliedCount(db: Db): number {
  const table = db.$client
    .query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  if (!table) return 0;
  const row = db.$client.query('SELECT count(*) AS n FROM __drizzle_migrations').get() as {
    n: number;
  };

  return row.n;
}
