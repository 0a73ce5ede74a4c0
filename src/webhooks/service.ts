import { asExistingUser } from '../auth/unknown-user.ts';
import { decodeCursor, pageOf } from '../http/cursor.ts';
import { Conflict, NotFound } from '../http/problems.ts';
import { isoTimestamp, type Clock } from '../shared/clock.ts';
import type { DeliveryRepository } from './delivery-repository.ts';
import type { EntryEventName } from './events.ts';
import { newWebhookSecret } from './signature.ts';
import type { WebhookRepository } from './webhook-repository.ts';
import type { DeliveryPage, NewWebhook, Webhook } from './webhook.ts';

export interface WebhookService {
  create(userId: string, url: string, events: EntryEventName[]): NewWebhook;
  list(userId: string): Webhook[];
  remove(userId: string, id: string): void;
  deliveries(userId: string, id: string, limit: number, cursor: string | undefined): DeliveryPage;
}

export interface WebhookServiceDeps {
  webhooks: WebhookRepository;
  deliveries: DeliveryRepository;
  clock: Clock;
  /** Each entry write fans out to every subscribed webhook: the fan-out is bounded here. */
  maxWebhooksPerUser: number;
}

const missing = () => new NotFound('no such webhook');

export function createWebhookService(deps: WebhookServiceDeps): WebhookService {
  const { webhooks, deliveries, clock, maxWebhooksPerUser } = deps;

  return {
    create(userId, url, events) {
      if (webhooks.count(userId) >= maxWebhooksPerUser) {
        throw new Conflict(`a user may have at most ${maxWebhooksPerUser} webhooks`);
      }
      const created: NewWebhook = {
        id: Bun.randomUUIDv7(),
        // The schema checked that it parses; stored in its one normal form.
        url: new URL(url).href,
        events,
        secret: newWebhookSecret(),
        createdAt: isoTimestamp(clock),
      };
      asExistingUser(() => webhooks.insert({ ...created, userId }));

      return created;
    },

    list: (userId) => webhooks.list(userId),

    remove(userId, id) {
      if (!webhooks.remove(userId, id)) throw missing();
    },

    deliveries(userId, id, limit, cursor) {
      if (!webhooks.find(userId, id)) throw missing();
      const beforeId = cursor === undefined ? null : decodeCursor(cursor);

      return pageOf(deliveries.list(id, limit + 1, beforeId), limit);
    },
  };
}
