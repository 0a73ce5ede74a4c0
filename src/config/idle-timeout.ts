/**
 * Bun closes a connection that stays idle for `idleTimeout` seconds, and refuses values above
 * 255. The idle timeout must outlast the request deadline, or a slow request's connection is
 * cut before its 504 is written; this fixes the margin and the largest REQUEST_TIMEOUT.
 */

/** The largest `idleTimeout` Bun.serve accepts, in seconds. */
export const BUN_MAX_IDLE_TIMEOUT_S = 255;

const IDLE_MARGIN_S = 5;

/** The largest REQUEST_TIMEOUT whose idle timeout Bun still accepts: 250 s. */
export const MAX_REQUEST_TIMEOUT_MS = (BUN_MAX_IDLE_TIMEOUT_S - IDLE_MARGIN_S) * 1000;

/** The `idleTimeout` for Bun.serve: the request deadline, rounded up, plus a margin. */
export function idleTimeoutSeconds(requestTimeoutMs: number): number {
  return Math.ceil(requestTimeoutMs / 1000) + IDLE_MARGIN_S;
}
