import { and, asc, desc, eq, inArray, lt, lte, min, sql } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { webhookDeliveries } from '../db/schema.ts';
import type { EntryEventName } from './events.ts';
import type { Delivery, DeliveryStatus } from './webhook.ts';

export interface PendingDelivery {
  id: string;
  webhookId: string;
  event: EntryEventName;
  payload: string;
  createdAt: string;
}

/** A delivery claimed for one attempt. */
export interface ClaimedDelivery {
  id: string;
  webhookId: string;
  event: EntryEventName;
  payload: string;
  /** Counting the one just claimed. */
  attempts: number;
}

export interface AttemptRecord {
  status: DeliveryStatus;
  /** For a delivery left pending: when to try again. */
  nextAttemptAt: number;
  lastStatusCode: number | null;
  lastError: string | null;
  updatedAt: string;
}

export interface DeliveryRepository {
  /** Stores a delivery due at `dueAt`. */
  enqueue(delivery: PendingDelivery, dueAt: number): void;
  /**
   * Claims up to `limit` pending deliveries due at `now`, oldest due first and one per
   * webhook, none of the webhooks in `busyWebhookIds`: each counts one more attempt and is
   * not due again before `leaseUntil`, so no other claim takes it while its attempt runs,
   * and a process that dies mid-attempt leaves it to be tried again then.
   */
  claimDue(
    now: number,
    leaseUntil: number,
    limit: number,
    busyWebhookIds: string[],
  ): ClaimedDelivery[];
  /** False when the delivery is gone (its webhook was deleted). */
  record(id: string, attempt: AttemptRecord): boolean;
  /** Hands back a claimed delivery as not tried, due at once: its attempt was cut off. */
  release(id: string): void;
  /** When the earliest pending delivery is due (or its lease ends); undefined if none. */
  nextDueAt(): number | undefined;
  /** Newest first; `beforeId` is exclusive. */
  list(webhookId: string, limit: number, beforeId: string | null): Delivery[];
}

const columns = {
  id: webhookDeliveries.id,
  event: webhookDeliveries.event,
  status: webhookDeliveries.status,
  attempts: webhookDeliveries.attempts,
  nextAttemptAt: webhookDeliveries.nextAttemptAt,
  lastStatusCode: webhookDeliveries.lastStatusCode,
  lastError: webhookDeliveries.lastError,
  createdAt: webhookDeliveries.createdAt,
  updatedAt: webhookDeliveries.updatedAt,
};

type DeliveryRow = Omit<Delivery, 'event' | 'status' | 'nextAttemptAt'> & {
  event: string;
  status: string;
  nextAttemptAt: number;
};

const asDelivery = (row: DeliveryRow): Delivery => ({
  ...row,
  event: row.event as EntryEventName,
  status: row.status as DeliveryStatus,
  nextAttemptAt: row.status === 'pending' ? new Date(row.nextAttemptAt).toISOString() : null,
});

export function createDeliveryRepository(db: Db): DeliveryRepository {
  const pending = eq(webhookDeliveries.status, 'pending');
  const byId = eq(webhookDeliveries.id, sql.placeholder('id'));
  const ofWebhook = eq(webhookDeliveries.webhookId, sql.placeholder('webhookId'));
  const atMost = sql.placeholder('limit');

  const enqueue = db
    .insert(webhookDeliveries)
    .values({
      id: sql.placeholder('id'),
      webhookId: sql.placeholder('webhookId'),
      event: sql.placeholder('event'),
      payload: sql.placeholder('payload'),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: sql.placeholder('dueAt'),
      createdAt: sql.placeholder('createdAt'),
      updatedAt: sql.placeholder('createdAt'),
    })
    .prepare();

  // The oldest due delivery of each webhook with none in flight here (SQLite takes a bare
  // column from the row that holds the min): a slow or dead receiver ties up one worker at
  // most, and the deliveries of one webhook go out one at a time.
  const firstDue = db
    .select({
      id: webhookDeliveries.id,
      dueAt: min(webhookDeliveries.nextAttemptAt).as('due_at'),
    })
    .from(webhookDeliveries)
    .where(
      and(
        pending,
        lte(webhookDeliveries.nextAttemptAt, sql.placeholder('now')),
        sql`${webhookDeliveries.webhookId} not in (select value from json_each(${sql.placeholder('busy')}))`,
      ),
    )
    .groupBy(webhookDeliveries.webhookId)
    .as('first_due');
  const due = db
    .select({ id: firstDue.id })
    .from(firstDue)
    .orderBy(asc(firstDue.dueAt))
    .limit(atMost);
  const claim = db
    .update(webhookDeliveries)
    .set({
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      nextAttemptAt: sql`${sql.placeholder('leaseUntil')}`,
    })
    .where(and(pending, inArray(webhookDeliveries.id, due)))
    .returning({
      id: webhookDeliveries.id,
      webhookId: webhookDeliveries.webhookId,
      event: webhookDeliveries.event,
      payload: webhookDeliveries.payload,
      attempts: webhookDeliveries.attempts,
    })
    .prepare();
  const record = db
    .update(webhookDeliveries)
    .set({
      status: sql`${sql.placeholder('status')}`,
      nextAttemptAt: sql`${sql.placeholder('nextAttemptAt')}`,
      lastStatusCode: sql`${sql.placeholder('lastStatusCode')}`,
      lastError: sql`${sql.placeholder('lastError')}`,
      updatedAt: sql`${sql.placeholder('updatedAt')}`,
    })
    .where(byId)
    .returning({ id: webhookDeliveries.id })
    .prepare();
  const release = db
    .update(webhookDeliveries)
    .set({ attempts: sql`${webhookDeliveries.attempts} - 1`, nextAttemptAt: 0 })
    .where(and(byId, pending))
    .prepare();
  const nextDue = db
    .select({ at: min(webhookDeliveries.nextAttemptAt) })
    .from(webhookDeliveries)
    .where(pending)
    .prepare();
  const firstPage = db
    .select(columns)
    .from(webhookDeliveries)
    .where(ofWebhook)
    .orderBy(desc(webhookDeliveries.id))
    .limit(atMost)
    .prepare();
  const laterPage = db
    .select(columns)
    .from(webhookDeliveries)
    .where(and(ofWebhook, lt(webhookDeliveries.id, sql.placeholder('beforeId'))))
    .orderBy(desc(webhookDeliveries.id))
    .limit(atMost)
    .prepare();

  return {
    enqueue: (delivery, dueAt) => void enqueue.run({ ...delivery, dueAt }),
    claimDue: (now, leaseUntil, limit, busyWebhookIds) =>
      claim.all({
        now,
        leaseUntil,
        limit,
        busy: JSON.stringify(busyWebhookIds),
      }) as ClaimedDelivery[],
    record: (id, attempt) => record.all({ id, ...attempt }).length > 0,
    release: (id) => void release.run({ id }),
    nextDueAt: () => nextDue.get()?.at ?? undefined,
    list: (webhookId, limit, beforeId) =>
      (beforeId === null
        ? firstPage.all({ webhookId, limit })
        : laterPage.all({ webhookId, limit, beforeId })
      ).map(asDelivery),
  };
}
