import { t } from 'elysia';
import { entryEventNames } from './events.ts';

const eventName = t.UnionEnum(entryEventNames);
const timestamp = t.String({ format: 'date-time' });

export const webhookId = t.Object({ id: t.String({ format: 'uuid' }) });

export const newWebhook = t.Object(
  {
    url: t.String({ format: 'http-url', maxLength: 2048 }),
    events: t.Array(eventName, { minItems: 1, uniqueItems: true }),
  },
  { additionalProperties: false },
);

const webhookFields = {
  id: t.String({ format: 'uuid' }),
  url: t.String(),
  events: t.Array(eventName),
  createdAt: timestamp,
};

export const webhook = t.Object(webhookFields);

export const createdWebhook = t.Object({
  ...webhookFields,
  secret: t.String({ description: 'Signs every delivery (Standard Webhooks); shown only here.' }),
});

export const webhookList = t.Object({ items: t.Array(webhook) });

export const delivery = t.Object({
  id: t.String({ format: 'uuid' }),
  event: eventName,
  status: t.Union([t.Literal('pending'), t.Literal('delivered'), t.Literal('failed')]),
  attempts: t.Integer({ minimum: 0 }),
  nextAttemptAt: t.Union([timestamp, t.Null()]),
  lastStatusCode: t.Union([t.Integer(), t.Null()]),
  lastError: t.Union([t.String(), t.Null()]),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const deliveryPage = t.Object({
  items: t.Array(delivery),
  nextCursor: t.Union([t.String(), t.Null()]),
});

export const deliveriesQuery = t.Object(
  {
    limit: t.Optional(t.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: t.Optional(t.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
