export type ShutdownSignal = 'SIGTERM' | 'SIGINT';

const shutdownSignals: readonly ShutdownSignal[] = ['SIGTERM', 'SIGINT'];

/**
 * Resolves with the first SIGTERM or SIGINT; each later one calls `onRepeat` at once, since
 * whoever asks twice wants the process gone. The listeners stay for the rest of the process:
 * removing them would hand a late signal back to the default action in mid-shutdown.
 */
export function firstShutdownSignal(
  onRepeat: (signal: ShutdownSignal) => void,
): Promise<ShutdownSignal> {
  return new Promise((resolve) => {
    let received = false;
    for (const signal of shutdownSignals) {
      process.on(signal, () => {
        if (received) return onRepeat(signal);

        received = true;
        resolve(signal);
      });
    }
  });
}
