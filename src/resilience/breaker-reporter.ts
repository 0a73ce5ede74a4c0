import type { RejectingState } from './errors.ts';
import type { ResilienceEvents } from './event-hub.ts';
import type { BreakerOpenReason, ResilienceEvent } from './events.ts';

export interface OpeningCounts {
  consecutiveFailures: number;
  windowCalls: number;
  windowFailures: number;
}

/**
 * Turns what a breaker does into events. Per-call events are built only when someone
 * listens, so an unobserved breaker allocates nothing for them.
 */
export class BreakerReporter {
  // A refusal happens on every call during an outage: its event is built once per state.
  private readonly rejections: Readonly<Record<RejectingState, ResilienceEvent>>;

  constructor(
    private readonly name: string,
    private readonly events: ResilienceEvents,
  ) {
    this.rejections = {
      open: Object.freeze({ type: 'breaker.rejected', name, state: 'open' }),
      half_open: Object.freeze({ type: 'breaker.rejected', name, state: 'half_open' }),
    };
  }

  opened(
    generation: number,
    reason: BreakerOpenReason,
    counts: OpeningCounts,
    cooldownMs: number,
    error: unknown,
  ): void {
    this.events.emit({
      type: 'breaker.opened',
      name: this.name,
      generation,
      reason,
      ...counts,
      cooldownMs,
      error,
    });
  }

  halfOpen(generation: number): void {
    this.events.emit({ type: 'breaker.half_open', name: this.name, generation });
  }

  closed(generation: number, openForMs: number): void {
    this.events.emit({ type: 'breaker.closed', name: this.name, generation, openForMs });
  }

  rejected(state: RejectingState): void {
    if (!this.events.hasListeners) return;

    this.events.emit(this.rejections[state]);
  }

  failure(generation: number, consecutiveFailures: number, error: unknown): void {
    if (!this.events.hasListeners) return;

    this.events.emit({
      type: 'breaker.failure',
      name: this.name,
      generation,
      consecutiveFailures,
      error,
    });
  }

  staleResult(generation: number, currentGeneration: number, outcome: 'success' | 'failure') {
    if (!this.events.hasListeners) return;

    this.events.emit({
      type: 'breaker.stale_result',
      name: this.name,
      generation,
      currentGeneration,
      outcome,
    });
  }
}
