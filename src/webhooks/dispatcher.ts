import { fullJitterDelayMs, type BackoffOptions } from '../resilience/backoff.ts';
import { systemScheduler, type CancelTimer, type Scheduler } from '../resilience/timers.ts';
import type { ClaimedDelivery, DeliveryRepository } from './delivery-repository.ts';
import { sendDelivery, type SendResult } from './send-delivery.ts';
import type { WebhookRepository } from './webhook-repository.ts';

export type AttemptOutcome = 'delivered' | 'retrying' | 'failed';

export interface DeliveryAttempt {
  deliveryId: string;
  webhookId: string;
  event: string;
  attempt: number;
  outcome: AttemptOutcome;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** For `retrying`: how long until the next attempt. */
  retryInMs?: number;
}

export interface DispatcherOptions {
  webhooks: WebhookRepository;
  deliveries: DeliveryRepository;
  /** WORKER_POOL_SIZE: deliveries sent at once. */
  poolSize: number;
  attemptTimeoutMs: number;
  /** Attempts in all, the first one included, before a delivery is marked failed. */
  maxAttempts: number;
  retryBackoff: BackoffOptions;
  onAttempt?: (attempt: DeliveryAttempt) => void;
  scheduler?: Scheduler;
  random?: () => number;
}

/** The longest the dispatcher sleeps without looking for due deliveries again. */
const longestIdleMs = 60_000;
/** Beyond the attempt's time limit, before another claim may take the delivery over. */
const leaseMarginMs = 5_000;

/**
 * Sends pending webhook deliveries from SQLite, at most `poolSize` at once, retrying failed
 * ones with jittered exponential backoff. Deliveries are claimed with a lease, so each one
 * is sent at least once, also when the process stops or dies in the middle of an attempt.
 */
export class WebhookDispatcher {
  private readonly options: Required<Omit<DispatcherOptions, 'onAttempt'>> &
    Pick<DispatcherOptions, 'onAttempt'>;
  private readonly inFlight = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private cancelTimer: CancelTimer | undefined;
  private stopped = false;

  constructor(options: DispatcherOptions) {
    if (!Number.isInteger(options.poolSize) || options.poolSize < 1) {
      throw new RangeError('poolSize must be a positive integer');
    }
    this.options = { scheduler: systemScheduler, random: Math.random, ...options };
  }

  /** Looks for due deliveries soon; call after recording new ones. Never sends in this turn. */
  wake(): void {
    this.sleepFor(0);
  }

  /** Claims nothing more; resolves once the attempts already running have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    await Promise.all([...this.inFlight.values()].map(({ done }) => done));
  }

  /** Ends the running attempts at once; their leases let a later run send them again. */
  abort(): void {
    this.stopped = true;
    for (const { abort } of this.inFlight.values()) abort.abort();
  }

  get running(): number {
    return this.inFlight.size;
  }

  private sleepFor(delayMs: number): void {
    if (this.stopped) return;
    this.cancelTimer?.();
    this.cancelTimer = this.options.scheduler.schedule(() => this.pump(), delayMs);
  }

  private pump(): void {
    this.cancelTimer = undefined;
    if (this.stopped) return;
    const { deliveries, poolSize, scheduler, attemptTimeoutMs } = this.options;

    const free = poolSize - this.inFlight.size;
    const now = scheduler.now();
    if (free > 0) {
      const leaseUntil = now + attemptTimeoutMs + leaseMarginMs;
      for (const claimed of deliveries.claimDue(now, leaseUntil, free)) this.launch(claimed);
    }
    // A finished attempt wakes the pump itself; with every slot busy there is nothing to wait for.
    if (this.inFlight.size >= poolSize) return;
    const nextDueAt = deliveries.nextDueAt();
    if (nextDueAt === undefined) return;
    this.sleepFor(Math.min(Math.max(nextDueAt - now, 0), longestIdleMs));
  }

  private launch(claimed: ClaimedDelivery): void {
    const abort = new AbortController();
    const done = this.attempt(claimed, abort.signal).finally(() => {
      this.inFlight.delete(claimed.id);
      this.wake();
    });
    this.inFlight.set(claimed.id, { abort, done });
  }

  private async attempt(claimed: ClaimedDelivery, signal: AbortSignal): Promise<void> {
    const { webhooks, scheduler, attemptTimeoutMs } = this.options;
    // Deleted since it was claimed: its deliveries went with it.
    const target = webhooks.target(claimed.webhookId);
    if (!target) return;

    const startedAt = scheduler.now();
    const result = await sendDelivery(target, claimed, {
      timeoutMs: attemptTimeoutMs,
      signal,
      nowMs: startedAt,
    });
    // Cut off by shutdown: not recorded, so the lease hands it to the next run.
    if (signal.aborted) return;

    this.record(claimed, result, startedAt);
  }

  private record(claimed: ClaimedDelivery, result: SendResult, startedAt: number): void {
    const { deliveries, scheduler, maxAttempts, retryBackoff, random, onAttempt } = this.options;
    const now = scheduler.now();
    const outcome: AttemptOutcome = result.delivered
      ? 'delivered'
      : claimed.attempts >= maxAttempts
        ? 'failed'
        : 'retrying';
    const retryInMs =
      outcome === 'retrying'
        ? fullJitterDelayMs(retryBackoff, claimed.attempts - 1, random)
        : undefined;

    deliveries.record(claimed.id, {
      status: outcome === 'retrying' ? 'pending' : outcome,
      nextAttemptAt: now + (retryInMs ?? 0),
      lastStatusCode: result.statusCode,
      lastError: result.error,
      updatedAt: new Date(now).toISOString(),
    });
    onAttempt?.({
      deliveryId: claimed.id,
      webhookId: claimed.webhookId,
      event: claimed.event,
      attempt: claimed.attempts,
      outcome,
      statusCode: result.statusCode,
      error: result.error,
      durationMs: now - startedAt,
      retryInMs,
    });
  }
}
