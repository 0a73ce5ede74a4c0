import type { OwnedDeadline } from '../resilience/deadline.ts';

/** Everything kept per request, in one place, for as long as the request lives. */
export interface RequestContext {
  id: string;
  /** The socket's address; the request lifecycle resolves it through trusted proxies. */
  clientAddress: string;
  startedAt: number;
  /** The URL's path, parsed once; see `pathOf`. */
  path?: string;
  /** Set by `startDeadline`; see `deadline-signal.ts`. */
  deadline?: OwnedDeadline;
  /** The bearer token's verified user id, once a hook asked; see `auth/tokens.ts`. */
  verifiedUserId?: Promise<string | undefined>;
  /** The signed-in user, once a route's guard accepted the token: for the request's log. */
  userId?: string;
  /** The server answered (504 or 499) without waiting for the app, and recorded it. */
  answeredByServer?: boolean;
}

const contexts = new WeakMap<Request, RequestContext>();
const validIncomingId = /^[A-Za-z0-9._:-]{8,128}$/;

function requestIdFrom(request: Request): string {
  const incoming = request.headers.get('x-request-id');

  return incoming && validIncomingId.test(incoming) ? incoming : Bun.randomUUIDv7();
}

/** Starts the request's context, as the server sees the request arrive. */
export function attachContext(request: Request, clientAddress: string): RequestContext {
  const context = { id: requestIdFrom(request), clientAddress, startedAt: performance.now() };
  contexts.set(request, context);

  return context;
}

/** The context attached to the request, if any: for readers that must not create one. */
export function attachedContext(request: Request): RequestContext | undefined {
  return contexts.get(request);
}

/** The context the server attached, or one made now for requests handled in-process. */
export function contextOf(request: Request): RequestContext {
  return contexts.get(request) ?? attachContext(request, 'unknown');
}

/** The request's path, parsed from its URL once however many hooks ask. */
export function pathOf(request: Request): string {
  const context = contextOf(request);
  context.path ??= new URL(request.url).pathname;

  return context.path;
}
