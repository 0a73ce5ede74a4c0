import { settleWithin } from '../shared/settle-within.ts';

export type CloseOutcome = 'closed' | 'destroyed' | 'already-closed';

/** The two ways to end a node-redis client. */
export type Closable = {
  readonly isOpen: boolean;
  close(): Promise<unknown>;
  destroy(): void;
};

/**
 * Closes gracefully (pending commands get their replies), and destroys the client when that
 * takes longer than `timeLimitMs`: `close()` waits for every pending reply, so it never
 * returns while the server is frozen or unreachable behind a silent network.
 */
export async function closeWithin(client: Closable, timeLimitMs: number): Promise<CloseOutcome> {
  if (!Number.isFinite(timeLimitMs) || timeLimitMs < 0) {
    throw new RangeError(`timeLimitMs must be a non-negative number, got ${timeLimitMs}`);
  }

  if (!client.isOpen) return 'already-closed';

  // A close that fails leaves nothing worth waiting for either; destroy() frees the rest.
  const closed = await settleWithin(client.close(), timeLimitMs);
  if (closed.outcome === 'fulfilled') return 'closed';
  client.destroy();

  return 'destroyed';
}
