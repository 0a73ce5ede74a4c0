import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase, type OpenDatabase } from '../../src/db/open.ts';
import {
  createDeliveryRepository,
  type DeliveryRepository,
} from '../../src/webhooks/delivery-repository.ts';
import { InvalidResilienceOptionError } from '../../src/resilience/errors.ts';
import { WebhookDispatcher, type DeliveryAttempt } from '../../src/webhooks/dispatcher.ts';
import { createWebhookRepository } from '../../src/webhooks/webhook-repository.ts';
import { FakeScheduler } from '../resilience/fake-scheduler.ts';
import { pollUntil } from '../support/poll-until.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

// Time is fake for the dispatcher's clock and timers; the HTTP exchange with the receiver is
// real, so each step waits for the receiver or the database before moving time on.
let database: OpenDatabase;
let deliveries: DeliveryRepository;
let scheduler: FakeScheduler;
let receiver: WebhookReceiver;
let attempts: DeliveryAttempt[];
let storeErrors: unknown[];

beforeEach(() => {
  database = openDatabase(':memory:');
  migrate(database.db);
  deliveries = createDeliveryRepository(database.db);
  scheduler = new FakeScheduler();
  receiver = startWebhookReceiver(() => 500);
  attempts = [];
  storeErrors = [];
});
afterEach(async () => {
  await receiver.stop();
  database.close();
});

function dispatcher(overrides: Partial<ConstructorParameters<typeof WebhookDispatcher>[0]> = {}) {
  const webhooks = createWebhookRepository(database.db);
  database.sqlite.run(
    "insert into users (id, email, password_hash, created_at) values ('u', 'u@example.com', 'x', 'now')",
  );
  webhooks.insert({
    id: 'w',
    userId: 'u',
    url: receiver.url,
    events: ['entry.created'],
    secret: 'whsec_c2VjcmV0',
    createdAt: 'now',
  });
  deliveries.enqueue(
    { id: 'd', webhookId: 'w', event: 'entry.created', payload: '{}', createdAt: 'now' },
    scheduler.now(),
  );

  return new WebhookDispatcher({
    webhooks,
    deliveries,
    poolSize: 1,
    attemptTimeoutMs: 1_000,
    maxAttempts: 3,
    retryBackoff: { firstDelayMs: 10_000, growthFactor: 4, maxDelayMs: 60_000 },
    userAgent: 'test',
    onAttempt: (attempt) => attempts.push(attempt),
    onStoreError: (error) => storeErrors.push(error),
    scheduler,
    random: () => 0.5,
    ...overrides,
  });
}

const attemptsMade = (count: number) =>
  pollUntil(`${count} attempts`, () => attempts.length === count, { limitMs: 2_000, intervalMs: 5 });

describe('WebhookDispatcher', () => {
  test.each([
    ['a backoff whose cap is below its first delay', {
      retryBackoff: { firstDelayMs: 400, growthFactor: 2, maxDelayMs: 50 },
    }],
    ['no attempts', { maxAttempts: 0 }],
    ['a fractional pool', { poolSize: 1.5 }],
    ['no time for an attempt', { attemptTimeoutMs: 0 }],
  ])('refuses, when built, %s', (_, override) => {
    expect(() => dispatcher(override)).toThrow(InvalidResilienceOptionError);
  });

  test('tries a failed delivery again at its backoff delay, not before', async () => {
    const sending = dispatcher();
    sending.wake();
    await scheduler.advance(0);
    await attemptsMade(1);
    // Full jitter with random 0.5: half the first ceiling of 10 s.
    expect(attempts[0]).toMatchObject({ outcome: 'retrying', attempt: 1, retryInMs: 5_000 });

    await scheduler.advance(4_999);
    await Bun.sleep(50);
    expect(receiver.received).toHaveLength(1);

    await scheduler.advance(1);
    await attemptsMade(2);
    // The second ceiling is 40 s.
    expect(attempts[1]).toMatchObject({ outcome: 'retrying', attempt: 2, retryInMs: 20_000 });
    await sending.stop();
  });

  test('marks the delivery failed after its last attempt and schedules nothing more', async () => {
    const sending = dispatcher({ maxAttempts: 2 });
    sending.wake();
    await scheduler.advance(0);
    await attemptsMade(1);
    await scheduler.advance(5_000);
    await attemptsMade(2);

    expect(attempts[1]).toMatchObject({ outcome: 'failed', attempt: 2, statusCode: 500 });
    // The finished attempt wakes the dispatcher once; it finds nothing pending, and sleeps.
    await Bun.sleep(20);
    await scheduler.advance(0);
    expect(scheduler.pendingTimers).toBe(0);
    expect(receiver.received).toHaveLength(2);
  });

  test('reports a failing database and tries again later instead of throwing', async () => {
    let failures = 1;
    const failingOnce: DeliveryRepository = {
      ...deliveries,
      claimDue(...args) {
        if (failures-- > 0) throw new Error('SQLITE_FULL: database or disk is full');

        return deliveries.claimDue(...args);
      },
    };
    const sending = dispatcher({ deliveries: failingOnce });
    receiver.respondWith(() => 204);

    sending.wake();
    await scheduler.advance(0);
    expect(storeErrors).toHaveLength(1);
    expect(receiver.received).toHaveLength(0);

    await scheduler.advance(5_000);
    await attemptsMade(1);
    expect(attempts[0]).toMatchObject({ outcome: 'delivered', attempt: 1 });
    await sending.stop();
  });

  test('hands an attempt cut off by abort back as not tried, due at once', async () => {
    let answer: (status: number) => void = () => {};
    receiver.respondWith(() => new Promise((resolve) => (answer = resolve)));
    const sending = dispatcher();
    sending.wake();
    await scheduler.advance(0);
    await receiver.waitFor(1);

    sending.abort();
    await sending.stop();
    answer(204);

    expect(attempts).toEqual([]);
    const [row] = database.sqlite
      .query<{ status: string; attempts: number; next_attempt_at: number }, []>(
        'select status, attempts, next_attempt_at from webhook_deliveries',
      )
      .all();
    expect(row).toEqual({ status: 'pending', attempts: 0, next_attempt_at: 0 });
  });
});
