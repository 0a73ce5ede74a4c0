import { systemTimers, type CancelTimer, type Timers } from './timers.ts';

/** Waits `delayMs`; rejects at once with the signal's reason when it aborts. */
export type Sleeper = (delayMs: number, signal: AbortSignal | undefined) => Promise<void>;

export function createSleeper(timers: Timers = systemTimers): Sleeper {
  return (delayMs, signal) => sleep(timers, delayMs, signal);
}

async function sleep(timers: Timers, delayMs: number, signal: AbortSignal | undefined) {
  signal?.throwIfAborted();
  let cancelTimer: CancelTimer | undefined;
  let onAbort: (() => void) | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      onAbort = () => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      cancelTimer = timers.schedule(resolve, delayMs);
    });
  } finally {
    cancelTimer?.();
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
  }
}
