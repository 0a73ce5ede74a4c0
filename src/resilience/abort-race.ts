import { ignore } from './pre-rejected.ts';

/**
 * Settles like `work`, or rejects with the signal's reason as soon as it aborts, whichever
 * comes first: an operation that ignores its signal still cannot hold its caller. A late
 * outcome of `work` is swallowed.
 */
export function raceWithSignal<T>(work: PromiseLike<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.then(undefined, ignore);

    return Promise.reject(signal.reason);
  }

  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
