import type { Database } from 'bun:sqlite';
import { Elysia } from 'elysia';
import { authRoutes, type AuthRoutesDeps } from '../auth/routes.ts';
import { entryRoutes } from '../entries/routes.ts';
import type { EntryService } from '../entries/service.ts';
import { healthRoutes, type ReadinessCheck } from '../health/routes.ts';
import type { Logger } from '../observability/logger.ts';
import { requestLifecycle } from './request-lifecycle.ts';

export interface AppDeps extends AuthRoutesDeps {
  logger: Logger;
  sqlite: Database;
  entries: EntryService;
  maxBodySizeBytes: number;
  requestTimeoutMs: number;
  isShuttingDown: () => boolean;
  readinessChecks?: Record<string, ReadinessCheck>;
}

export function createApp(deps: AppDeps) {
  return new Elysia({ normalize: false })
    .use(requestLifecycle(deps))
    .use(
      healthRoutes({
        sqlite: deps.sqlite,
        isShuttingDown: deps.isShuttingDown,
        extraChecks: deps.readinessChecks ?? {},
      }),
    )
    .use(authRoutes(deps))
    .use(entryRoutes({ entries: deps.entries, jwtSecret: deps.jwtSecret }));
}

export type App = ReturnType<typeof createApp>;
