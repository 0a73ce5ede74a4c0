import type { BreakerPermit } from './breaker-types.ts';
import type { Operation } from './operation.ts';

/** Runs `operation` and reports its outcome to `permit`, counting a sync throw as well. */
export function runWithPermit<T>(
  permit: BreakerPermit,
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
  result.then(permit.succeed, permit.fail);

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
