import { afterEach, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeliveryPolicy } from '../../src/webhooks/delivery-policy.ts';
import { parseExposition, valueOrZero } from '../observability/exposition.ts';
import { pollUntil } from '../support/poll-until.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import {
  hasValidSignature,
  startWebhookReceiver,
  type ReceivedDelivery,
  type WebhookReceiver,
} from '../support/webhook-receiver.ts';

const fastPolicy: DeliveryPolicy = {
  attemptTimeoutMs: 300,
  maxAttempts: 3,
  retryBackoff: { firstDelayMs: 20, growthFactor: 2, maxDelayMs: 50 },
  maxWebhooksPerUser: 10,
};

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function appWith(env: Record<string, string> = {}): TestApp {
  const app = startTestApp(env, { deliveryPolicy: fastPolicy });
  cleanups.push(() => app.close());

  return app;
}

function receiver(...args: Parameters<typeof startWebhookReceiver>): WebhookReceiver {
  const started = startWebhookReceiver(...args);
  cleanups.push(() => started.stop());

  return started;
}

interface Delivery {
  id: string;
  event: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
}

async function subscribe(app: TestApp, token: string, url: string, events: string[]) {
  const response = await app.request('POST', '/webhooks', { token, body: { url, events } });
  expect(response.status).toBe(201);

  return (await response.json()) as { id: string; secret: string };
}

async function deliveriesOf(app: TestApp, token: string, webhookId: string): Promise<Delivery[]> {
  const response = await app.request('GET', `/webhooks/${webhookId}/deliveries`, { token });

  return ((await response.json()) as { items: Delivery[] }).items;
}

/** Polls until `count` deliveries of the webhook are settled (no longer pending). */
async function settledDeliveries(app: TestApp, token: string, webhookId: string, count: number) {
  let deliveries: Delivery[] = [];
  await pollUntil(
    () => `${count} settled deliveries, last seen ${JSON.stringify(deliveries)}`,
    async () => {
      deliveries = await deliveriesOf(app, token, webhookId);

      return deliveries.filter(({ status }) => status !== 'pending').length >= count;
    },
    { limitMs: 5_000 },
  );

  return deliveries;
}

const bodyOf = (delivery: ReceivedDelivery) =>
  JSON.parse(delivery.body) as {
    type: string;
    timestamp: string;
    data: { id: string; title?: string };
  };

async function attemptCount(app: TestApp, outcome: string): Promise<number> {
  const exposition = parseExposition(await app.services.metrics.render());

  return valueOrZero(exposition, 'webhook_delivery_attempts_total', { outcome });
}

describe('webhook delivery', () => {
  test('sends each entry write once, signed, to the webhooks subscribed to its event', async () => {
    const app = appWith();
    const token = await app.signIn();
    const everything = receiver();
    const deletionsOnly = receiver();
    const all = await subscribe(app, token, everything.url, [
      'entry.created',
      'entry.updated',
      'entry.deleted',
    ]);
    const deletions = await subscribe(app, token, deletionsOnly.url, ['entry.deleted']);

    const entry = await app.createEntry(token, 'first');
    await app.request('PATCH', `/entries/${entry.id}`, { token, body: { title: 'second' } });
    await app.request('DELETE', `/entries/${entry.id}`, { token });

    const received = await everything.waitFor(3);
    const byType = Object.fromEntries(
      received.map((delivery) => [bodyOf(delivery).type, delivery]),
    );
    expect(Object.keys(byType).sort()).toEqual(['entry.created', 'entry.deleted', 'entry.updated']);
    expect(bodyOf(byType['entry.created']!).data).toMatchObject({ id: entry.id, title: 'first' });
    expect(bodyOf(byType['entry.updated']!).data).toMatchObject({ id: entry.id, title: 'second' });
    expect(bodyOf(byType['entry.deleted']!).data).toEqual({ id: entry.id });
    for (const delivery of received) {
      expect(delivery.headers['content-type']).toBe('application/json');
      expect(hasValidSignature(all.secret, delivery)).toBe(true);
      expect(hasValidSignature(deletions.secret, delivery)).toBe(false);
    }

    const [deletion] = await deletionsOnly.waitFor(1);
    expect(bodyOf(deletion!).type).toBe('entry.deleted');
    expect(hasValidSignature(deletions.secret, deletion!)).toBe(true);

    const recorded = await settledDeliveries(app, token, all.id, 3);
    expect(recorded.map(({ status, attempts }) => ({ status, attempts }))).toEqual(
      Array(3).fill({ status: 'delivered', attempts: 1 }),
    );
    expect(recorded.map(({ id }) => id).sort()).toEqual(
      received.map(({ headers }) => headers['webhook-id'] ?? '').sort(),
    );
    await Bun.sleep(100);
    expect(everything.received).toHaveLength(3);
    expect(deletionsOnly.received).toHaveLength(1);
  });

  test('retries a failed attempt with the same id and body until the receiver takes it', async () => {
    const app = appWith();
    const token = await app.signIn();
    const flaky = receiver((nth) => (nth === 1 ? 500 : 204));
    const webhook = await subscribe(app, token, flaky.url, ['entry.created']);

    await app.createEntry(token, 'hello');

    const [first, second] = await flaky.waitFor(2);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']!);
    expect(second!.body).toBe(first!.body);
    const [delivery] = await settledDeliveries(app, token, webhook.id, 1);
    expect(delivery).toMatchObject({
      status: 'delivered',
      attempts: 2,
      lastStatusCode: 204,
      lastError: null,
    });
    expect(await attemptCount(app, 'retrying')).toBe(1);
    expect(await attemptCount(app, 'delivered')).toBe(1);
  });

  test('marks a delivery failed after its last attempt, and says so in the log', async () => {
    const app = appWith();
    const token = await app.signIn();
    const down = receiver(() => 503);
    const webhook = await subscribe(app, token, down.url, ['entry.created']);

    await app.createEntry(token, 'hello');

    const [delivery] = await settledDeliveries(app, token, webhook.id, 1);
    expect(delivery).toMatchObject({
      status: 'failed',
      attempts: 3,
      lastStatusCode: 503,
      lastError: 'answered 503',
    });
    expect(down.received).toHaveLength(3);
    expect(await attemptCount(app, 'failed')).toBe(1);
    const warning = app.logLines.find((line) => line.includes('no attempt left'));
    expect(JSON.parse(warning ?? '{}')).toMatchObject({
      level: 'warn',
      deliveryId: delivery!.id,
      attempt: 3,
    });
  });

  test('counts an attempt that gets no answer in time as failed', async () => {
    const app = appWith();
    const token = await app.signIn();
    const slowThenFine = receiver(async (nth) => {
      if (nth === 1) await Bun.sleep(1_000);

      return 204;
    });
    const webhook = await subscribe(app, token, slowThenFine.url, ['entry.created']);

    await app.createEntry(token, 'hello');

    const [delivery] = await settledDeliveries(app, token, webhook.id, 1);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 2 });
    const retry = app.logLines.find((line) => line.includes('will retry'));
    expect(JSON.parse(retry ?? '{}')).toMatchObject({
      error: 'no answer within 300 ms',
      statusCode: null,
    });
  });

  test('sends at most WORKER_POOL_SIZE deliveries at once', async () => {
    const app = appWith({ WORKER_POOL_SIZE: '2' });
    const token = await app.signIn();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = receiver(async () => {
      await gate;

      return 204;
    });
    // Three webhooks, as a webhook has one delivery in flight at most.
    const webhooks = [];
    for (let index = 0; index < 3; index++) {
      webhooks.push(await subscribe(app, token, held.url, ['entry.created']));
    }

    for (let index = 0; index < 2; index++) await app.createEntry(token, `entry ${index}`);
    await held.waitFor(2);
    // Four more are due; none may start while both workers wait on the receiver.
    await Bun.sleep(100);
    expect(held.open).toBe(2);
    release();

    for (const webhook of webhooks) await settledDeliveries(app, token, webhook.id, 2);
    expect(held.received).toHaveLength(6);
    expect(held.mostOpen).toBe(2);
  });

  test('lets a receiver that does not answer hold one worker, not the pool', async () => {
    const app = appWith({ WORKER_POOL_SIZE: '2' });
    const token = await app.signIn();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stuck = receiver(async () => {
      await gate;

      return 204;
    });
    const healthy = receiver();
    const slow = await subscribe(app, token, stuck.url, ['entry.created']);
    const fast = await subscribe(app, token, healthy.url, ['entry.created']);

    for (let index = 0; index < 3; index++) await app.createEntry(token, `entry ${index}`);

    await healthy.waitFor(3);
    await settledDeliveries(app, token, fast.id, 3);
    expect(stuck.received).toHaveLength(1);
    release();
    await settledDeliveries(app, token, slow.id, 3);
    expect(stuck.mostOpen).toBe(1);
  });

  test('counts a redirect as a failed attempt: it is not followed', async () => {
    const app = appWith();
    const token = await app.signIn();
    const moved = receiver((nth) => (nth === 1 ? 302 : 204));
    const webhook = await subscribe(app, token, moved.url, ['entry.created']);

    await app.createEntry(token, 'hello');

    const [delivery] = await settledDeliveries(app, token, webhook.id, 1);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(moved.received).toHaveLength(2);
  });

  test('sends no more attempts for a webhook deleted while its delivery waits to retry', async () => {
    // The retry is due exactly 400 ms after the failed attempt: the jitter draws its ceiling.
    const app = startTestApp(
      {},
      {
        deliveryPolicy: {
          ...fastPolicy,
          retryBackoff: { firstDelayMs: 400, growthFactor: 1, maxDelayMs: 400 },
        },
        random: () => 1,
      },
    );
    cleanups.push(() => app.close());
    const token = await app.signIn();
    const down = receiver(() => 500);
    const webhook = await subscribe(app, token, down.url, ['entry.created']);
    await app.createEntry(token, 'hello');
    await down.waitFor(1);

    await app.request('DELETE', `/webhooks/${webhook.id}`, { token });
    await Bun.sleep(500);

    expect(down.received).toHaveLength(1);
    const left = app.services.database.sqlite
      .query<{ count: number }, [string]>(
        'select count(*) as count from webhook_deliveries where webhook_id = ?',
      )
      .get(webhook.id);
    expect(left?.count).toBe(0);
  });

  test('a delivery recorded before a stop is sent by the next run', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'breakwater-webhooks-'));
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    const env = { DB_PATH: join(folder, 'journal.db') };
    const target = receiver();
    const first = startTestApp(env, { deliveryPolicy: fastPolicy });
    await first.services.webhookDispatcher.stop();
    const token = await first.signIn('restart@example.com');
    const webhook = await subscribe(first, token, target.url, ['entry.created']);
    await first.createEntry(token, 'hello');
    expect(await deliveriesOf(first, token, webhook.id)).toMatchObject([
      { status: 'pending', attempts: 0 },
    ]);
    await first.close();
    expect(target.received).toHaveLength(0);

    const second = appWith(env);

    await target.waitFor(1);
    const [delivery] = await settledDeliveries(second, token, webhook.id, 1);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  test('shutdown lets a delivery in flight finish and records it', async () => {
    const app = appWith();
    const token = await app.signIn();
    const slow = receiver(async () => {
      await Bun.sleep(200);

      return 204;
    });
    const webhook = await subscribe(app, token, slow.url, ['entry.created']);
    await app.createEntry(token, 'hello');
    await slow.waitFor(1);
    expect(app.services.webhookDispatcher.running).toBe(1);

    await app.services.beginShutdown();

    expect(app.services.webhookDispatcher.running).toBe(0);
    expect(await deliveriesOf(app, token, webhook.id)).toMatchObject([
      { status: 'delivered', attempts: 1 },
    ]);
  });
});
