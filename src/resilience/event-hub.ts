import type { ResilienceEvent } from './events.ts';

export type Listener<E> = (event: E) => void;
export type Unsubscribe = () => void;
export type ListenerErrorHandler<E> = (error: unknown, event: E) => void;

const ignoreListenerError = (): void => {};

/**
 * A small synchronous typed emitter. A listener that throws is reported to
 * `onListenerError` and never reaches the code that emitted, so a faulty logger cannot
 * break a breaker's state machine.
 */
export class EventHub<E> {
  // Replaced, never mutated: a listener that subscribes or unsubscribes during an emit
  // does not disturb the loop that is running.
  private listeners: ReadonlyArray<Listener<E>> = [];

  constructor(private readonly onListenerError: ListenerErrorHandler<E> = ignoreListenerError) {}

  get hasListeners(): boolean {
    return this.listeners.length > 0;
  }

  subscribe(listener: Listener<E>): Unsubscribe {
    this.listeners = [...this.listeners, listener];
    let subscribed = true;

    return () => {
      if (!subscribed) return;
      subscribed = false;
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners = this.listeners.toSpliced(index, 1);
    };
  }

  emit(event: E): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.reportListenerError(error, event);
      }
    }
  }

  private reportListenerError(error: unknown, event: E): void {
    try {
      this.onListenerError(error, event);
    } catch {
      // The error handler failed too; there is nowhere left to report it.
    }
  }
}

export type ResilienceEvents = EventHub<ResilienceEvent>;

export function createResilienceEvents(
  onListenerError?: ListenerErrorHandler<ResilienceEvent>,
): ResilienceEvents {
  return new EventHub<ResilienceEvent>(onListenerError);
}
