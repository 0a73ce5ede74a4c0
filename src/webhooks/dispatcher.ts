import { checkBackoff, fullJitterDelayMs, type BackoffOptions } from '../resilience/backoff.ts';
import { checkCount, checkMs } from '../resilience/option-checks.ts';
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
  userAgent: string;
  onAttempt?: (attempt: DeliveryAttempt) => void;
  /** SQLite failed under the dispatcher (disk full, a lock held too long); it tries again later. */
  onStoreError?: (error: unknown) => void;
  scheduler?: Scheduler;
  /** Draws the jitter of retry delays, in [0, 1). */
  random?: () => number;
}

/** Beyond the attempt's time limit, before another claim may take the delivery over. */
const leaseMarginMs = 5_000;
/** How long the dispatcher waits after SQLite failed under it, and the most it ever sleeps. */
const storeRetryMs = 5_000;
const longestSleepMs = 60_000;

/**
 * Sends pending webhook deliveries from SQLite, at most `poolSize` at once and one per
 * webhook, retrying failed ones with jittered exponential backoff. Each attempt holds a lease on its delivery, so a
 * delivery is sent at least once, also when the process dies in the middle of an attempt.
 * A failing database never escapes as an error: it is reported, and tried again later.
 */
export class WebhookDispatcher {
  private readonly options: Required<Omit<DispatcherOptions, 'onAttempt' | 'onStoreError'>> &
    Pick<DispatcherOptions, 'onAttempt' | 'onStoreError'>;
  /** By delivery id. */
  private readonly inFlight = new Map<string, { webhookId: string; done: Promise<void> }>();
  /** Aborts the attempts still running when shutdown cuts them off. */
  private readonly cutOff = new AbortController();
  private cancelTimer: CancelTimer | undefined;
  private stopped = false;

  constructor(options: DispatcherOptions) {
    checkCount('poolSize', options.poolSize, 1);
    checkCount('maxAttempts', options.maxAttempts, 1);
    checkMs('attemptTimeoutMs', options.attemptTimeoutMs, 1);
    checkBackoff(options.retryBackoff);
    this.options = {
      ...options,
      scheduler: options.scheduler ?? systemScheduler,
      random: options.random ?? Math.random,
    };
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

  /**
   * Ends the running attempts at once and hands their deliveries back as not tried, so the
   * next run sends them without waiting out a lease. Await `stop()` after it.
   */
  abort(): void {
    this.stopped = true;
    this.cutOff.abort();
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
    try {
      this.claimAndSend();
    } catch (error) {
      this.options.onStoreError?.(error);
      this.sleepFor(storeRetryMs);
    }
  }

  private claimAndSend(): void {
    const { deliveries, poolSize, scheduler, attemptTimeoutMs } = this.options;
    const free = poolSize - this.inFlight.size;
    const now = scheduler.now();
    if (free > 0) {
      const leaseUntil = now + attemptTimeoutMs + leaseMarginMs;
      const busy = [...this.inFlight.values()].map(({ webhookId }) => webhookId);
      for (const claimed of deliveries.claimDue(now, leaseUntil, free, busy)) this.launch(claimed);
    }
    // A finished attempt wakes the pump itself; with every slot busy there is nothing to wait for.
    if (this.inFlight.size >= poolSize) return;

    // With nothing pending there is no timer: recording a delivery wakes the pump.
    const nextDueAt = deliveries.nextDueAt();
    if (nextDueAt === undefined) return;
    this.sleepFor(Math.min(Math.max(nextDueAt - now, 0), longestSleepMs));
  }

  private launch(claimed: ClaimedDelivery): void {
    // Its lease ran out while it was still running here (a receiver slower than the lease).
    if (this.inFlight.has(claimed.id)) return;

    const done = this.attempt(claimed)
      .catch((error: unknown) => this.options.onStoreError?.(error))
      .finally(() => {
        this.inFlight.delete(claimed.id);
        this.wake();
      });
    this.inFlight.set(claimed.id, { webhookId: claimed.webhookId, done });
  }

  private async attempt(claimed: ClaimedDelivery): Promise<void> {
    const { webhooks, deliveries, scheduler, attemptTimeoutMs, userAgent } = this.options;
    // Deleted since it was claimed: its deliveries went with it.
    const target = webhooks.target(claimed.webhookId);
    if (!target) return;

    const startedAt = scheduler.now();
    const result = await sendDelivery(target, claimed, {
      timeoutMs: attemptTimeoutMs,
      signal: this.cutOff.signal,
      nowMs: startedAt,
      userAgent,
    });
    if (this.cutOff.signal.aborted) {
      deliveries.release(claimed.id);

      return;
    }

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

    const stillThere = deliveries.record(claimed.id, {
      status: outcome === 'retrying' ? 'pending' : outcome,
      nextAttemptAt: now + (retryInMs ?? 0),
      lastStatusCode: result.statusCode,
      lastError: result.error,
      updatedAt: new Date(now).toISOString(),
    });
    // Its webhook was deleted during the attempt: there is nothing left to report on.
    if (!stillThere) return;

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
