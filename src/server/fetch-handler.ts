import type { SocketAddress } from 'bun';
import { abortedStatus, endDeadline, startDeadline } from '../http/deadline-signal.ts';
import { problemResponse } from '../http/error-response.ts';
import { DeadlineExceeded } from '../http/problems.ts';
import { attachContext } from '../http/request-context.ts';
import { raceWithSignal } from '../resilience/abort-race.ts';
import { checkMs } from '../resilience/option-checks.ts';
import { systemScheduler, type Scheduler } from '../resilience/timers.ts';

/** What the fetch handler needs of the app: Elysia's `handle`. */
export interface RequestHandlingApp {
  handle(request: Request): Promise<Response>;
}

/** What the fetch handler needs of Bun's server. */
export interface ClientAddressSource {
  requestIP(request: Request): SocketAddress | null;
}

export interface FetchHandlerOptions {
  requestTimeoutMs: number;
  /**
   * Called for each request the handler answers itself, without the app: 504 when its
   * deadline passed, 499 when its client went away.
   */
  onAnsweredEarly?: (request: Request, status: 504 | 499) => void;
  /** Must be on the same clock as the deadlines' readers (`expiresAt`). */
  scheduler?: Scheduler;
}

export type FetchHandler = (request: Request, server: ClientAddressSource) => Promise<Response>;

/**
 * Bun's `fetch`: attaches the request's context, starts its deadline, and races the app
 * against it. No Elysia hook can stop a handler that ignores its signal, so this is what
 * guarantees the client its 504 on time; the handler's late answer is dropped.
 */
export function createFetchHandler(
  app: RequestHandlingApp,
  options: FetchHandlerOptions,
): FetchHandler {
  const { requestTimeoutMs, onAnsweredEarly, scheduler = systemScheduler } = options;
  checkMs('requestTimeoutMs', requestTimeoutMs, 1);

  return async (request, server) => {
    const context = attachContext(request, server.requestIP(request)?.address ?? 'unknown');
    const { signal } = startDeadline(request, requestTimeoutMs, scheduler);

    try {
      return await raceWithSignal(app.handle(request), signal);
    } catch (error) {
      const status = abortedStatus(signal);
      if (status === undefined || error !== signal.reason) throw error;

      onAnsweredEarly?.(request, status);
      if (status !== 504) return new Response(null, { status });

      return problemResponse(new DeadlineExceeded('the request deadline passed'), context.id);
    } finally {
      endDeadline(request);
    }
  };
}
