import { delayCeilingMs } from '../resilience/backoff.ts';

export type ReconnectDelayOptions = {
  firstDelayMs: number;
  maxDelayMs: number;
  /** Returns a number in [0, 1); `Math.random` unless a test fixes it. */
  random?: () => number;
};

/**
 * The delay before reconnect attempt `retries` (0 for the first): exponential growth from
 * `firstDelayMs`, capped at `maxDelayMs`, with "equal jitter" (between half and all of the
 * step), so a fleet that lost Redis together does not come back in lockstep, and no attempt
 * follows another at once. It never gives up: node-redis stops reconnecting for good when
 * its strategy returns `false` or an `Error`.
 */
export function createReconnectDelay(options: ReconnectDelayOptions): (retries: number) => number {
  const { firstDelayMs, maxDelayMs, random = Math.random } = options;
  if (!Number.isInteger(firstDelayMs) || firstDelayMs < 1) {
    throw new RangeError(`firstDelayMs must be a positive integer, got ${firstDelayMs}`);
  }

  if (!Number.isInteger(maxDelayMs) || maxDelayMs < firstDelayMs) {
    throw new RangeError(`maxDelayMs must be an integer >= firstDelayMs, got ${maxDelayMs}`);
  }

  const growth = { firstDelayMs, growthFactor: 2, maxDelayMs };

  return (retries) => {
    const step = delayCeilingMs(growth, Math.max(0, Math.floor(retries)));

    return Math.round(step / 2 + random() * (step / 2));
  };
}

export type BootReconnectDelayOptions = {
  /** REDIS_CONNECT_ATTEMPTS: connection attempts the boot waits for, the first included. */
  attempts: number;
  /** REDIS_CONNECT_DELAY: the delay after the first failed attempt; each next one doubles. */
  firstDelayMs: number;
  /** The delays once the boot is over, to reconnect in the background for as long as it takes. */
  afterBoot: (retries: number) => number;
  /** Called once, when the boot's last attempt failed. */
  onAttemptsSpent: () => void;
};

export type BootReconnectDelay = {
  /** The reconnect strategy: node-redis calls it once per failed connection attempt. */
  delayMs(retries: number): number;
  /** Ends the boot early (it connected, or gave up waiting): every later delay is `afterBoot`'s. */
  end(): void;
};

// setTimeout fires at once for a longer delay.
const maxTimerDelayMs = 2 ** 31 - 1;

/** The boot's delay after failed attempt `failed` (1 for the first): `firstDelayMs`, doubling. */
export function bootDelayMs(firstDelayMs: number, failed: number): number {
  const growth = { firstDelayMs, growthFactor: 2, maxDelayMs: maxTimerDelayMs };

  return delayCeilingMs(growth, failed - 1);
}

/**
 * The boot's delays, `firstDelayMs` doubling after each failed attempt with no jitter, so
 * `attempts` tries take as long as configured; a fleet booting together makes only those few
 * attempts in step. Attempts are counted here, one per call, not per `error` event: one
 * attempt may raise several.
 */
export function createBootReconnectDelay(options: BootReconnectDelayOptions): BootReconnectDelay {
  const { attempts, firstDelayMs, afterBoot, onAttemptsSpent } = options;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new RangeError(`attempts must be a positive integer, got ${attempts}`);
  }

  if (!Number.isInteger(firstDelayMs) || firstDelayMs < 0) {
    throw new RangeError(`firstDelayMs must be a non-negative integer, got ${firstDelayMs}`);
  }

  let failedAttempts = 0;
  let booting = true;

  return {
    delayMs(retries) {
      if (!booting) return afterBoot(retries);
      failedAttempts++;
      if (failedAttempts < attempts) return bootDelayMs(firstDelayMs, failedAttempts);

      booting = false;
      onAttemptsSpent();

      return afterBoot(retries);
    },
    end() {
      booting = false;
    },
  };
}
