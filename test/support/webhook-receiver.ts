import { createHmac } from 'node:crypto';
import { LOOPBACK } from './free-port.ts';
import { pollUntil } from './poll-until.ts';

export interface ReceivedDelivery {
  headers: Record<string, string>;
  body: string;
}

/** Decides how the receiver answers its nth request (from 1): a status, or a wait first. */
export type Responder = (nth: number) => number | Promise<number>;

export interface WebhookReceiver {
  url: string;
  received: ReceivedDelivery[];
  /** Requests being answered right now, and the most there ever were at once. */
  readonly open: number;
  readonly mostOpen: number;
  respondWith(responder: Responder): void;
  /** Resolves once `count` requests arrived; rejects after `limitMs`. */
  waitFor(count: number, limitMs?: number): Promise<ReceivedDelivery[]>;
  stop(): Promise<void>;
}

/** A real HTTP server on loopback that records every webhook delivery it is sent. */
export function startWebhookReceiver(responder: Responder = () => 204): WebhookReceiver {
  const received: ReceivedDelivery[] = [];
  let respond = responder;
  let open = 0;
  let mostOpen = 0;
  const server = Bun.serve({
    hostname: LOOPBACK,
    port: 0,
    async fetch(request) {
      open++;
      mostOpen = Math.max(mostOpen, open);
      try {
        received.push({
          headers: Object.fromEntries(request.headers),
          body: await request.text(),
        });
        const status = await respond(received.length);

        return new Response(null, { status });
      } finally {
        open--;
      }
    },
  });

  return {
    url: `http://${LOOPBACK}:${server.port}/hook`,
    received,
    get open() {
      return open;
    },
    get mostOpen() {
      return mostOpen;
    },
    respondWith(next) {
      respond = next;
    },
    async waitFor(count, limitMs = 5_000) {
      await pollUntil(
        () => `${count} deliveries, received ${received.length}`,
        () => received.length >= count,
        { limitMs },
      );

      return received.slice(0, count);
    },
    stop: () => server.stop(true),
  };
}

/** Checks a delivery's Standard Webhooks signature the way a receiver would, from its own code. */
export function hasValidSignature(secret: string, delivery: ReceivedDelivery): boolean {
  const { 'webhook-id': id, 'webhook-timestamp': timestamp } = delivery.headers;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${id}.${timestamp}.${delivery.body}`)
    .digest('base64');

  return delivery.headers['webhook-signature'] === `v1,${expected}`;
}
