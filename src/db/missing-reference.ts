import { SQLiteError } from 'bun:sqlite';

/** True when a write named a row that does not exist: a foreign key refused it. */
export function isMissingReference(error: unknown): boolean {
  return error instanceof SQLiteError && error.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
