import type { Database } from 'bun:sqlite';
import { Elysia } from 'elysia';
import { authRoutes, type AuthRoutesDeps } from '../auth/routes.ts';
import { tokenVerifier } from '../auth/tokens.ts';
import { entryReadAhead } from '../entries/read-ahead.ts';
import { entryRoutes } from '../entries/routes.ts';
import type { EntryService } from '../entries/service.ts';
import { healthRoutes, type ReadinessCheck } from '../health/routes.ts';
import type { HttpObserver } from '../observability/http-observer.ts';
import type { Logger } from '../observability/logger.ts';
import { metricsRoute } from '../observability/metrics-route.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { RouteSummary } from '../observability/route-templates.ts';
import { rateLimit, type RateLimitPluginDeps } from '../rate-limit/plugin.ts';
import { webhookRoutes } from '../webhooks/routes.ts';
import type { WebhookService } from '../webhooks/service.ts';
import { docsRoutes } from './docs.ts';
import { requestLifecycle } from './request-lifecycle.ts';
import { registerStringFormats } from './string-formats.ts';

export interface AppDeps extends AuthRoutesDeps {
  logger: Logger;
  httpObserver: HttpObserver;
  metrics: Metrics;
  sqlite: Database;
  entries: EntryService;
  webhooks: WebhookService;
  maxBodySizeBytes: number;
  requestTimeoutMs: number;
  isShuttingDown: () => boolean;
  readinessChecks: Record<string, ReadinessCheck>;
  trustProxy: number;
  rateLimit: Omit<RateLimitPluginDeps, 'tokens'>;
}

export function createApp(deps: AppDeps) {
  registerStringFormats();
  const tokens = tokenVerifier(deps.jwtSecret);

  const app = new Elysia({ normalize: false })
    .use(requestLifecycle({ ...deps, routes: (): readonly RouteSummary[] => app.routes }))
    .use(deps.httpObserver.plugin)
    // In this order: the entry lookup starts before the rate-limit count is sent.
    .use(entryReadAhead({ entries: deps.entries, tokens }))
    .use(rateLimit({ ...deps.rateLimit, tokens }))
    .use(
      healthRoutes({
        sqlite: deps.sqlite,
        isShuttingDown: deps.isShuttingDown,
        extraChecks: deps.readinessChecks,
      }),
    )
    .use(metricsRoute(deps.metrics))
    .use(docsRoutes())
    .use(authRoutes(deps))
    .use(entryRoutes({ entries: deps.entries, jwtSecret: deps.jwtSecret }))
    .use(webhookRoutes({ webhooks: deps.webhooks, jwtSecret: deps.jwtSecret }));

  return app;
}

export type App = ReturnType<typeof createApp>;
