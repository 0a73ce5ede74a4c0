import { Elysia, StatusMap } from 'elysia';
import { abortedStatus } from '../http/deadline-signal.ts';
import { contextOf, pathOf, type RequestContext } from '../http/request-context.ts';
import { withoutTrailingSlash } from '../shared/paths.ts';
import { describeError } from './describe-error.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import {
  routeTemplateMatcher,
  type RouteSummary,
  type RouteTemplateOf,
} from './route-templates.ts';

export interface HttpObserverDeps {
  logger: Logger;
  metrics: Metrics;
  /** The app's routes, read when the first request that never reached one is answered. */
  routes: () => readonly RouteSummary[];
}

/** The route label of requests for no route: unknown paths, unsupported methods. */
export const unmatchedRoute = 'unmatched';

const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** What Elysia hands an after-response hook, as far as this observer reads it. */
interface AnsweredRequest {
  request: Request;
  route?: string;
  set: { status?: number | keyof typeof StatusMap };
  responseValue?: unknown;
  error?: unknown;
}

export interface HttpObserver {
  /** Records every response the app sends; use it before the routes. */
  readonly plugin: ReturnType<typeof observerPlugin>;
  /**
   * Records the response the server sent itself because the deadline's signal aborted (504,
   * or 499 for a client that left), when it is sent: the app may answer late, or never. A
   * late answer of the app is then not recorded again.
   */
  answeredByServer(request: Request, status: 504 | 499): void;
}

/**
 * One log line and one set of HTTP metrics for every response: routed or not, successful or
 * failed, early rejections (413, 415) and the server's own 504s included. Each line carries
 * the route template, never the raw path, so neither the logs nor the metric labels grow
 * with ids.
 */
export function createHttpObserver({ logger, metrics, routes }: HttpObserverDeps): HttpObserver {
  let templateOf: RouteTemplateOf | undefined;
  const routeOf = ({ route, request }: Pick<AnsweredRequest, 'route' | 'request'>): string => {
    if (route !== undefined) return withoutTrailingSlash(route);
    templateOf ??= routeTemplateMatcher(routes());
    const template = templateOf(request.method, pathOf(request));

    return template === undefined ? unmatchedRoute : withoutTrailingSlash(template);
  };

  const record = (answered: AnsweredRequest, requestContext: RequestContext, status: number) => {
    const { request } = answered;
    const durationMs = performance.now() - requestContext.startedAt;
    const method = knownMethods.has(request.method) ? request.method : 'OTHER';
    const route = routeOf(answered);
    metrics.httpRequest({ method, route, status, durationSeconds: durationMs / 1000 });

    const line = {
      requestId: requestContext.id,
      method,
      route,
      status,
      durationMs: Math.round(durationMs * 100) / 100,
      userId: requestContext.userId,
      clientAddress: requestContext.clientAddress,
    };
    if (status >= 500) {
      logger.error({ ...line, ...describeError(answered.error) }, 'request failed');
    } else {
      logger.info(line, 'request');
    }
  };

  return {
    plugin: observerPlugin((answered) => {
      const requestContext = contextOf(answered.request);
      if (requestContext.answeredByServer) return;
      record(answered, requestContext, statusSent(answered, requestContext));
    }),
    answeredByServer(request, status) {
      const requestContext = contextOf(request);
      if (requestContext.answeredByServer) return;
      requestContext.answeredByServer = true;
      if (status === 504) metrics.requestTimeout();
      record({ request, set: {} }, requestContext, status);
    },
  };
}

function observerPlugin(onAnswered: (answered: AnsweredRequest) => void) {
  return new Elysia({ name: 'http-observer' }).onAfterResponse({ as: 'global' }, (context) =>
    onAnswered(context),
  );
}

/**
 * The status the client was sent. The server's fetch handler answers 504 (or 499 for a client
 * that left) as soon as the deadline's signal aborts and drops the app's late answer; it ends
 * the deadline once the app answers first, so an aborted signal here means the race was lost.
 */
function statusSent(answered: AnsweredRequest, requestContext: RequestContext): number {
  const signal = requestContext.deadline?.signal ?? answered.request.signal;

  return abortedStatus(signal) ?? statusAnswered(answered);
}

// Mirrors Elysia's merge: a returned Response's own status wins unless it is a plain 200, in
// which case `set.status` does. Errors reach `set.status` through the request lifecycle.
function statusAnswered({ responseValue, set }: AnsweredRequest): number {
  const setStatus = typeof set.status === 'string' ? StatusMap[set.status] : set.status;
  if (responseValue instanceof Response && responseValue.status !== 200) {
    return responseValue.status;
  }

  return setStatus ?? 200;
}
