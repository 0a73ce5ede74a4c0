import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { webhooks } from '../db/schema.ts';
import type { EntryEventName } from './events.ts';
import type { NewWebhook, Webhook } from './webhook.ts';

export interface StoredWebhook extends NewWebhook {
  userId: string;
}

/** What the dispatcher needs to send to a webhook. */
export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface WebhookRepository {
  insert(webhook: StoredWebhook): void;
  count(userId: string): number;
  /** Oldest first. */
  list(userId: string): Webhook[];
  find(userId: string, id: string): Webhook | undefined;
  /** Deletes the webhook and its deliveries; false if not found. */
  remove(userId: string, id: string): boolean;
  /** The user's webhooks subscribed to `event`. */
  subscribedTo(userId: string, event: EntryEventName): { id: string }[];
  target(webhookId: string): WebhookTarget | undefined;
}

const publicColumns = {
  id: webhooks.id,
  url: webhooks.url,
  events: webhooks.events,
  createdAt: webhooks.createdAt,
};

const parsed = (row: Omit<Webhook, 'events'> & { events: string }): Webhook => ({
  ...row,
  events: JSON.parse(row.events) as EntryEventName[],
});

export function createWebhookRepository(db: Db): WebhookRepository {
  const userId = sql.placeholder('userId');
  const id = sql.placeholder('id');
  const ownWebhook = and(eq(webhooks.userId, userId), eq(webhooks.id, id));

  const insert = db
    .insert(webhooks)
    .values({
      id,
      userId,
      url: sql.placeholder('url'),
      events: sql.placeholder('events'),
      secret: sql.placeholder('secret'),
      createdAt: sql.placeholder('createdAt'),
    })
    .prepare();
  const count = db
    .select({ count: sql<number>`count(*)` })
    .from(webhooks)
    .where(eq(webhooks.userId, userId))
    .prepare();
  const list = db
    .select(publicColumns)
    .from(webhooks)
    .where(eq(webhooks.userId, userId))
    .orderBy(asc(webhooks.id))
    .prepare();
  const find = db.select(publicColumns).from(webhooks).where(ownWebhook).prepare();
  const remove = db.delete(webhooks).where(ownWebhook).returning({ id: webhooks.id }).prepare();
  const event = sql.placeholder('event');
  const subscribed = db
    .select({ id: webhooks.id })
    .from(webhooks)
    .where(
      and(
        eq(webhooks.userId, userId),
        sql`exists (select 1 from json_each(${webhooks.events}) where value = ${event})`,
      ),
    )
    .prepare();
  const target = db
    .select({ url: webhooks.url, secret: webhooks.secret })
    .from(webhooks)
    .where(eq(webhooks.id, id))
    .prepare();
  return {
    insert: (webhook) => void insert.run({ ...webhook, events: JSON.stringify(webhook.events) }),
    count: (userId) => count.get({ userId })?.count ?? 0,
    list: (userId) => list.all({ userId }).map(parsed),
    find: (userId, id) => {
      const row = find.get({ userId, id });

      return row && parsed(row);
    },
    remove: (userId, id) => remove.all({ userId, id }).length > 0,
    subscribedTo: (userId, event) => subscribed.all({ userId, event }),
    target: (webhookId) => target.get({ id: webhookId }),
  };
}
