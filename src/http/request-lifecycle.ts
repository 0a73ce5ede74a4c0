import { Elysia, NotFoundError } from 'elysia';
import type { Logger } from '../observability/logger.ts';
import {
  routeMethodsMatcher,
  type RouteMethodsOf,
  type RouteSummary,
} from '../observability/route-templates.ts';
import { endDeadline, startDeadline } from './deadline-signal.ts';
import { errorResponse } from './error-response.ts';
import { clientAddress } from './client-address.ts';
import { bodyTooLarge, readJsonBody } from './json-body.ts';
import { contextOf, pathOf } from './request-context.ts';

export interface RequestLifecycleDeps {
  logger: Logger;
  maxBodySizeBytes: number;
  requestTimeoutMs: number;
  /** Proxy hops trusted to name the client in X-Forwarded-For. */
  trustProxy: number;
  /**
   * The app's routes, read when the first request that matched none is answered, to tell a
   * 405 from a 404; without them, every such request is a 404.
   */
  routes?: () => readonly RouteSummary[];
}

/**
 * Runs first for every request: request id, client address, the deadline, body admission
 * (size and media type) and the one mapping of errors to problem+json responses.
 */
export function requestLifecycle(deps: RequestLifecycleDeps) {
  const { logger, maxBodySizeBytes, requestTimeoutMs, trustProxy } = deps;
  let methodsOf: RouteMethodsOf | undefined;
  const allowedMethods = (error: unknown, request: Request) => {
    if (!(error instanceof NotFoundError)) return undefined;
    methodsOf ??= routeMethodsMatcher(deps.routes?.() ?? []);

    return methodsOf(pathOf(request));
  };

  return new Elysia({ name: 'request-lifecycle' })
    .onRequest(({ request, set }) => {
      const context = contextOf(request);
      // Resolved once here; the rate limiter and the request log read it from the context.
      context.clientAddress = clientAddress(
        context.clientAddress,
        request.headers.get('x-forwarded-for'),
        trustProxy,
      );
      startDeadline(request, requestTimeoutMs);
      set.headers['x-request-id'] = context.id;

      const declared = request.headers.get('content-length');
      if (declared !== null && Number(declared) > maxBodySizeBytes) {
        throw bodyTooLarge(maxBodySizeBytes);
      }
    })
    .onAfterResponse({ as: 'global' }, ({ request }) => endDeadline(request))
    .onParse({ as: 'global' }, ({ request }) => readJsonBody(request, maxBodySizeBytes))
    .onError({ as: 'global' }, ({ error, request, set, query }) => {
      const response = errorResponse(error, contextOf(request).id, logger, {
        query,
        method: request.method,
        allowedMethods: allowedMethods(error, request),
      });
      // Elysia does not copy a returned Response's status into `set`; the response observer
      // reads it there.
      set.status = response.status;

      return response;
    });
}
