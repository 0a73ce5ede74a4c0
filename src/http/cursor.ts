import { InvalidInput } from './problems.ts';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A cursor is the opaque form of the last id a page returned. */
export function encodeCursor(lastId: string): string {
  return Buffer.from(lastId, 'utf8').toString('base64url');
}

/** The first `limit` of `rows` (read as `limit + 1`, newest first) and the cursor past them. */
export function pageOf<T extends { id: string }>(
  rows: T[],
  limit: number,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);

  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}

export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!uuid.test(id)) {
    throw new InvalidInput('the cursor is not one this service issued', [
      { pointer: 'query/cursor', detail: 'unknown cursor' },
    ]);
  }

  return id;
}
