import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  createdAt: text('created_at').notNull(),
});

export const entries = sqliteTable(
  'entries',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    body: text('body').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [index('entries_user_id_id').on(table.userId, table.id)],
);

export const webhooks = sqliteTable(
  'webhooks',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    /** A JSON array of event names. */
    events: text('events').notNull(),
    secret: text('secret').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (table) => [index('webhooks_user_id_id').on(table.userId, table.id)],
);

export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    webhookId: text('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    event: text('event').notNull(),
    /** The body as sent, byte for byte, so that every attempt carries the same signature input. */
    payload: text('payload').notNull(),
    /** pending, delivered or failed. */
    status: text('status').notNull(),
    attempts: integer('attempts').notNull(),
    /** Epoch ms: when a pending delivery may next be tried, or when its running attempt's lease ends. */
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [
    index('webhook_deliveries_due').on(table.status, table.nextAttemptAt),
    index('webhook_deliveries_webhook_id_id').on(table.webhookId, table.id),
  ],
);

/** Small facts that outlive one run of the service, by name. */
export const serviceState = sqliteTable('service_state', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
});
