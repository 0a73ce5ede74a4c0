import type { EntryEventName } from './events.ts';

/** A subscription as clients see it; the secret is shown once, when it is created. */
export interface Webhook {
  id: string;
  url: string;
  events: EntryEventName[];
  createdAt: string;
}

export interface NewWebhook extends Webhook {
  secret: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface Delivery {
  id: string;
  event: EntryEventName;
  status: DeliveryStatus;
  attempts: number;
  /** When a pending delivery is next tried; null once it is delivered or failed. */
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryPage {
  items: Delivery[];
  nextCursor: string | null;
}
