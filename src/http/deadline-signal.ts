import { cancellationOnly, createDeadline, type Deadline } from '../resilience/deadline.ts';
import { DeadlineExceededError } from '../resilience/errors.ts';
import type { Scheduler } from '../resilience/timers.ts';
import { attachedContext, contextOf } from './request-context.ts';

/**
 * Starts the request's deadline `timeoutMs` from now, joined with its client's signal, unless
 * it has one already: the server starts it when the request arrives, the app's lifecycle only
 * for requests handled in-process. End it with `endDeadline` once the response is decided.
 */
export function startDeadline(
  request: Request,
  timeoutMs: number,
  scheduler?: Scheduler,
): Deadline {
  const context = contextOf(request);
  context.deadline ??= createDeadline({ timeoutMs, parent: request.signal }, scheduler);

  return context.deadline;
}

/**
 * The request's deadline: its `signal` aborts when the time is up (with a
 * DeadlineExceededError) or when the client goes away; `expiresAt` lets downstream calls
 * bound their own time limits by what is left. Handlers pass it to everything they call.
 */
export function deadlineOf(request: Request): Deadline {
  return attachedContext(request)?.deadline ?? cancellationOnly(request.signal);
}

// Never delivered: the client is gone. 499 is the status proxies log for that case.
const clientClosedRequest = 499;
const gatewayTimeout = 504;

/**
 * What a request whose deadline signal aborted answers: 504 when time ran out, 499 when the
 * client left; undefined while the signal has not aborted.
 */
export function abortedStatus(signal: AbortSignal): 504 | 499 | undefined {
  if (!signal.aborted) return undefined;

  return signal.reason instanceof DeadlineExceededError ? gatewayTimeout : clientClosedRequest;
}

/** Clears the deadline's timer and its listener on the client's signal. Safe to repeat. */
export function endDeadline(request: Request): void {
  attachedContext(request)?.deadline?.dispose();
}
