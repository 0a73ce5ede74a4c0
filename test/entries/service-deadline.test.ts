import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase, type OpenDatabase } from '../../src/db/open.ts';
import { noEntryCache } from '../../src/entries/cache.ts';
import { createEntryRepository } from '../../src/entries/repository.ts';
import { createEntryService, type EntryService } from '../../src/entries/service.ts';
import { cancellationOnly } from '../../src/resilience/deadline.ts';
import { DeadlineExceededError } from '../../src/resilience/errors.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { noEntryEvents } from '../../src/webhooks/events.ts';

let database: OpenDatabase;
let entries: EntryService;
beforeEach(() => {
  database = openDatabase(':memory:');
  migrate(database.db);
  database.sqlite.run(
    "insert into users (id, email, password_hash, created_at) values ('u', 'u@b.co', 'x', 'now')",
  );
  entries = createEntryService({
    repository: createEntryRepository(database.db),
    cache: noEntryCache,
    clock: systemClock,
    events: noEntryEvents,
    inTransaction: database.inTransaction,
  });
});
afterEach(() => database.close());

const live = () => cancellationOnly(new AbortController().signal);
const expired = () => cancellationOnly(AbortSignal.abort(new DeadlineExceededError()));
const stored = () =>
  database.sqlite.query<{ title: string }, []>('select title from entries').all();

describe('entry writes past their deadline', () => {
  test('commit nothing: the client has had its 504 already', async () => {
    const entry = await entries.create('u', 'kept', 'b', live());
    const late = [
      entries.create('u', 'late', 'b', expired()),
      entries.update('u', entry.id, { title: 'changed' }, expired()),
      entries.remove('u', entry.id, expired()),
    ];

    for (const write of late) await expect(write).rejects.toThrow(DeadlineExceededError);
    expect(stored()).toEqual([{ title: 'kept' }]);
  });
});
