export type RedisConnectionEvent =
  | { type: 'connected' }
  | { type: 'lost'; error: Error }
  | { type: 'reconnecting' };

type ConnectionState = 'connecting' | 'connected' | 'lost' | 'reconnecting' | 'closed';

/** The client events the tracker listens to (a subset of node-redis's `RedisClient`). */
export type ConnectionEventSource = {
  readonly isReady: boolean;
  on(event: 'ready' | 'reconnecting' | 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
};

/**
 * Turns node-redis's per-attempt events into one event per change of state: an outage
 * reports `lost` once and `reconnecting` once, however many attempts it takes, then
 * `connected`. A first connection that fails reports `lost` too.
 *
 * `error` also fires while the connection is fine (a keep-alive `PING` that timed out, a reply
 * that could not be decoded), so a loss is an `error` seen while the client is not ready.
 */
export function trackConnectionState(
  client: ConnectionEventSource,
  onEvent: (event: RedisConnectionEvent) => void,
): void {
  let state: ConnectionState = 'connecting';

  client.on('ready', () => {
    if (state === 'connected' || state === 'closed') return;
    state = 'connected';
    onEvent({ type: 'connected' });
  });
  client.on('error', (error) => {
    if (client.isReady) return;
    if (state !== 'connected' && state !== 'connecting') return;
    state = 'lost';
    onEvent({ type: 'lost', error });
  });
  client.on('reconnecting', () => {
    if (state !== 'lost') return;
    state = 'reconnecting';
    onEvent({ type: 'reconnecting' });
  });
  client.on('end', () => {
    state = 'closed';
  });
}
