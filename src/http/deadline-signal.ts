import { contextOf } from './request-context.ts';

/** The signal that aborts when the request's deadline passes or its client goes away. */
export function deadlineOf(request: Request): AbortSignal {
  const context = contextOf(request);
  context.deadline ??= request.signal;

  return context.deadline;
}
