import type { Clock } from '../shared/clock.ts';
import type { DeliveryRepository } from './delivery-repository.ts';
import type { EntryEventName, EntryEvents } from './events.ts';
import type { WebhookRepository } from './webhook-repository.ts';

export interface WebhookOutboxDeps {
  webhooks: WebhookRepository;
  deliveries: DeliveryRepository;
  clock: Clock;
  /** Called once deliveries were stored; the caller's transaction has not committed yet. */
  onRecorded: () => void;
}

/**
 * Stores one delivery per subscribed webhook, in the transaction of the write that caused
 * the event: an acknowledged write never loses its event, and a rolled-back one sends none.
 * The body follows the Standard Webhooks shape: `{type, timestamp, data}`.
 */
export function createWebhookOutbox(deps: WebhookOutboxDeps): EntryEvents {
  const { webhooks, deliveries, clock, onRecorded } = deps;

  return {
    record(userId: string, event: EntryEventName, data: object) {
      const subscribers = webhooks.subscribedTo(userId, event);
      if (subscribers.length === 0) return;

      const now = clock.now();
      const timestamp = new Date(now).toISOString();
      const payload = JSON.stringify({ type: event, timestamp, data });
      for (const { id: webhookId } of subscribers) {
        const delivery = {
          id: Bun.randomUUIDv7(),
          webhookId,
          event,
          payload,
          createdAt: timestamp,
        };
        deliveries.enqueue(delivery, now);
      }
      onRecorded();
    },
  };
}
