import { afterEach, beforeEach, expect, test } from 'bun:test';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase, type OpenDatabase } from '../../src/db/open.ts';
import { noEntryCache } from '../../src/entries/cache.ts';
import { createEntryRepository } from '../../src/entries/repository.ts';
import { createEntryService } from '../../src/entries/service.ts';
import { cancellationOnly } from '../../src/resilience/deadline.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { createDeliveryRepository } from '../../src/webhooks/delivery-repository.ts';
import type { EntryEvents } from '../../src/webhooks/events.ts';
import { createWebhookOutbox } from '../../src/webhooks/outbox.ts';
import { createWebhookRepository } from '../../src/webhooks/webhook-repository.ts';

let database: OpenDatabase;
const noDeadline = cancellationOnly(new AbortController().signal);

beforeEach(() => {
  database = openDatabase(':memory:');
  migrate(database.db);
  database.sqlite.run(
    "insert into users (id, email, password_hash, created_at) values ('u', 'u@example.com', 'x', 'now')",
  );
});
afterEach(() => database.close());

const count = (table: string) =>
  database.sqlite.query<{ count: number }, []>(`select count(*) as count from ${table}`).get()
    ?.count;

function entryService(events: EntryEvents) {
  return createEntryService({
    repository: createEntryRepository(database.db),
    cache: noEntryCache,
    clock: systemClock,
    events,
    inTransaction: database.inTransaction,
  });
}

test('an entry write whose events cannot be stored is rolled back, and rejected', async () => {
  const entries = entryService({
    record() {
      throw new Error('disk full');
    },
  });

  await expect(entries.create('u', 'title', 'body', noDeadline)).rejects.toThrow('disk full');
  expect(count('entries')).toBe(0);
});

test('the outbox stores one delivery per subscribed webhook, for committed writes only', async () => {
  const webhooks = createWebhookRepository(database.db);
  for (const [id, events] of [
    ['all', ['entry.created', 'entry.deleted']],
    ['none', ['entry.updated']],
  ] as const) {
    webhooks.insert({
      id,
      userId: 'u',
      url: 'http://127.0.0.1:9/',
      events: [...events],
      secret: 's',
      createdAt: 'now',
    });
  }
  let wakes = 0;
  const outbox = createWebhookOutbox({
    webhooks,
    deliveries: createDeliveryRepository(database.db),
    clock: systemClock,
    onRecorded: () => wakes++,
  });
  const entries = entryService(outbox);

  const entry = await entries.create('u', 'title', 'body', noDeadline);
  await expect(entries.remove('u', crypto.randomUUID(), noDeadline)).rejects.toThrow(
    'no such entry',
  );

  const stored = database.sqlite
    .query<{ webhook_id: string; event: string; payload: string }, []>(
      'select webhook_id, event, payload from webhook_deliveries',
    )
    .all();
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ webhook_id: 'all', event: 'entry.created' });
  expect(JSON.parse(stored[0]!.payload)).toMatchObject({ type: 'entry.created', data: entry });
  expect(wakes).toBe(1);
});
