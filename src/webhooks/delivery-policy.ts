import type { BackoffOptions } from '../resilience/backoff.ts';

export interface DeliveryPolicy {
  attemptTimeoutMs: number;
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  retryBackoff: BackoffOptions;
  maxWebhooksPerUser: number;
}

// Eight attempts whose delay ceilings grow from 10 s to an hour: a receiver that is down for
// a deploy or an afternoon still gets the event. An attempt's limit stays below the default
// SHUTDOWN_TIMEOUT, so that shutdown can let one finish.
export const defaultDeliveryPolicy: DeliveryPolicy = {
  attemptTimeoutMs: 5_000,
  maxAttempts: 8,
  retryBackoff: { firstDelayMs: 10_000, growthFactor: 4, maxDelayMs: 3_600_000 },
  maxWebhooksPerUser: 10,
};
