import { describe, expect, test } from 'bun:test';
import { EventHub } from '../../src/resilience/event-hub.ts';

type Ping = { type: 'ping'; n: number };

describe('EventHub', () => {
  test('delivers each event to every subscriber in order', () => {
    const hub = new EventHub<Ping>();
    const seen: string[] = [];
    hub.subscribe((event) => seen.push(`a${event.n}`));
    hub.subscribe((event) => seen.push(`b${event.n}`));

    hub.emit({ type: 'ping', n: 1 });

    expect(seen).toEqual(['a1', 'b1']);
  });

  test('stops delivering to a listener once it unsubscribes, and only to that one', () => {
    const hub = new EventHub<Ping>();
    const seen: number[] = [];
    const listener = (event: Ping) => seen.push(event.n);
    const unsubscribe = hub.subscribe(listener);
    hub.subscribe(listener);

    unsubscribe();
    unsubscribe();
    hub.emit({ type: 'ping', n: 1 });

    expect(seen).toEqual([1]);
  });

  test('keeps delivering after a listener throws, and reports the error', () => {
    const errors: unknown[] = [];
    const hub = new EventHub<Ping>((error, event) => errors.push([error, event.n]));
    const failure = new Error('listener broke');
    const seen: number[] = [];
    hub.subscribe(() => {
      throw failure;
    });
    hub.subscribe((event) => seen.push(event.n));

    expect(() => hub.emit({ type: 'ping', n: 7 })).not.toThrow();

    expect(seen).toEqual([7]);
    expect(errors).toEqual([[failure, 7]]);
  });

  test('survives an error handler that throws as well', () => {
    const hub = new EventHub<Ping>(() => {
      throw new Error('handler broke');
    });
    hub.subscribe(() => {
      throw new Error('listener broke');
    });

    expect(() => hub.emit({ type: 'ping', n: 1 })).not.toThrow();
  });

  test('a listener added during an emit hears only the next event', () => {
    const hub = new EventHub<Ping>();
    const late: number[] = [];
    hub.subscribe(() => {
      hub.subscribe((event) => late.push(event.n));
    });

    hub.emit({ type: 'ping', n: 1 });
    expect(late).toEqual([]);
    expect(hub.hasListeners).toBe(true);
  });
});
