import type { BreakerPermit } from './breaker-types.ts';
import type { Operation } from './operation.ts';

/** A permit that also carries ready-made reactions, so watching a call allocates nothing. */
export interface WatchablePermit extends BreakerPermit {
  readonly onFulfilled: () => void;
  readonly onRejected: (error: unknown) => void;
}

/** Runs `operation` and reports its outcome to `permit`, counting a sync throw as well. */
export function runWithPermit<T>(
  permit: WatchablePermit,
  operation: Operation<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  let result: Promise<T>;
  try {
    result = operation(signal);
  } catch (error) {
    permit.fail(error, signal?.aborted ?? false);

    return Promise.reject(error);
  }

  if (signal !== undefined) return watchWithSignal(result, permit, signal);

  // Hand back the operation's own promise and watch it from the side: one reaction
  // instead of an extra async frame on the hot path.
  result.then(permit.onFulfilled, permit.onRejected);

  return result;
}

export async function callSafely<T>(operation: Operation<T>, signal: AbortSignal | undefined) {
  return operation(signal);
}

async function watchWithSignal<T>(
  result: Promise<T>,
  permit: BreakerPermit,
  signal: AbortSignal,
): Promise<T> {
  try {
    const value = await result;
    permit.succeed();

    return value;
  } catch (error) {
    permit.fail(error, signal.aborted);
    throw error;
  }
}
