import type { RejectingState } from './errors.ts';

export type BreakerOpenReason =
  | 'consecutive_failures'
  | 'failure_rate'
  | 'probe_failed'
  | 'probe_timed_out';

export type RetryGiveUpReason =
  | 'not_retryable'
  | 'attempts_exhausted'
  | 'deadline'
  | 'budget_exhausted'
  | 'aborted';

/**
 * Everything the resilience layer reports. It never logs: one subscriber elsewhere turns
 * these into log lines and metrics. `name` is the breaker's or retry policy's name.
 */
export type ResilienceEvent =
  | {
      type: 'breaker.opened';
      name: string;
      generation: number;
      reason: BreakerOpenReason;
      consecutiveFailures: number;
      windowCalls: number;
      windowFailures: number;
      cooldownMs: number;
      error: unknown;
    }
  | { type: 'breaker.half_open'; name: string; generation: number }
  | { type: 'breaker.closed'; name: string; generation: number; openForMs: number }
  | { type: 'breaker.rejected'; name: string; state: RejectingState }
  | {
      type: 'breaker.failure';
      name: string;
      generation: number;
      consecutiveFailures: number;
      error: unknown;
    }
  | {
      type: 'breaker.stale_result';
      name: string;
      generation: number;
      currentGeneration: number;
      outcome: 'success' | 'failure';
    }
  | { type: 'retry.scheduled'; name: string; attempt: number; delayMs: number; error: unknown }
  | {
      type: 'retry.gave_up';
      name: string;
      attempts: number;
      reason: RetryGiveUpReason;
      error: unknown;
    }
  | { type: 'attempt.timed_out'; name: string; timeoutMs: number };
