/** What the server knows about a request before the app sees it. */
export interface RequestContext {
  id: string;
  /** The socket's address; the request lifecycle resolves it through trusted proxies. */
  clientAddress: string;
  startedAt: number;
}

const contexts = new WeakMap<Request, RequestContext>();
const validIncomingId = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdFrom(request: Request): string {
  const incoming = request.headers.get('x-request-id');

  return incoming && validIncomingId.test(incoming) ? incoming : Bun.randomUUIDv7();
}

export function attachContext(request: Request, context: RequestContext): void {
  contexts.set(request, context);
}

/** The context the server attached, or one made now for requests handled in-process. */
export function contextOf(request: Request): RequestContext {
  let context = contexts.get(request);
  if (!context) {
    context = { id: requestIdFrom(request), clientAddress: 'unknown', startedAt: performance.now() };
    contexts.set(request, context);
  }

  return context;
}
