import type { Logger } from '../observability/logger.ts';
import { checkMs } from '../resilience/option-checks.ts';
import { systemScheduler, type Scheduler } from '../resilience/timers.ts';
import { settleWithin } from '../shared/settle-within.ts';

/** What shutdown needs of Bun's server. */
export interface DrainableServer {
  readonly pendingRequests: number;
  stop(closeActiveConnections?: boolean): Promise<void>;
}

/** What shutdown needs of the composition root. */
export interface ClosableServices {
  /**
   * Marks the service not ready and starts no new background work (webhook deliveries);
   * resolves once the background work already running has finished.
   */
  beginShutdown(): Promise<void>;
  close(): Promise<void>;
}

export interface ShutdownOptions {
  server: DrainableServer;
  services: ClosableServices;
  logger: Logger;
  /** How long requests in flight at the signal may take to finish. */
  shutdownTimeoutMs: number;
  /** How long closing the services (Redis, then SQLite) may take. */
  closeTimeoutMs?: number;
  scheduler?: Scheduler;
}

/** Exit status of a completed shutdown, also when requests were cut off at the timeout. */
export const EXIT_STOPPED = 0;
/** Exit status when the services failed to close, or did not close in time. */
export const EXIT_CLOSE_FAILED = 1;
/** Exit status when a second signal ends the process before shutdown is complete. */
export const EXIT_INTERRUPTED = 130;

export const defaultCloseTimeoutMs = 5_000;

/**
 * Marks the service not ready, stops accepting connections, waits up to `shutdownTimeoutMs`
 * for requests in flight, then closes the services within `closeTimeoutMs`. Resolves with
 * the exit status.
 */
export async function shutDown(options: ShutdownOptions): Promise<number> {
  const { server, services, logger, shutdownTimeoutMs } = options;
  const { closeTimeoutMs = defaultCloseTimeoutMs, scheduler = systemScheduler } = options;
  checkMs('shutdownTimeoutMs', shutdownTimeoutMs);
  checkMs('closeTimeoutMs', closeTimeoutMs);
  const startedAt = scheduler.now();

  let backgroundDone = false;
  const background = services.beginShutdown().finally(() => {
    backgroundDone = true;
  });
  // stop(false) refuses new connections at once and closes idle keep-alive ones, but settles
  // only when the last connection closes: a client holding a half-sent request keeps it open
  // until Bun's idle timeout, hence the time limit and the forced stop after it.
  const drained = await settleWithin(
    Promise.all([server.stop(false), background]),
    shutdownTimeoutMs,
    scheduler,
  );
  if (drained.outcome !== 'fulfilled') {
    const { pendingRequests } = server;
    const cutOff = { pendingRequests, backgroundWorkDone: backgroundDone, shutdownTimeoutMs };
    logger.warn(cutOff, 'in-flight requests or deliveries cut off');
    await settleWithin(server.stop(true), closeTimeoutMs, scheduler);
  }

  const drainMs = scheduler.now() - startedAt;
  const closed = await settleWithin(services.close(), closeTimeoutMs, scheduler);
  switch (closed.outcome) {
    case 'fulfilled':
      logger.info({ drainMs, totalMs: scheduler.now() - startedAt }, 'stopped');

      return EXIT_STOPPED;
    case 'rejected':
      logger.error({ err: closed.error, drainMs }, 'closing the services failed');

      return EXIT_CLOSE_FAILED;
    case 'timed-out':
      logger.error({ closeTimeoutMs, drainMs }, 'the services did not close in time');

      return EXIT_CLOSE_FAILED;
    default:
      return closed satisfies never;
  }
}
