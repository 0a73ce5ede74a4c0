import type { Database } from 'bun:sqlite';
import { Elysia } from 'elysia';
import { liveness, readiness } from './schemas.ts';

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface HealthCheck {
  status: CheckStatus;
  [detail: string]: unknown;
}

/** A named dependency check; it must answer quickly even when the dependency does not. */
export type ReadinessCheck = () => Promise<HealthCheck> | HealthCheck;

export interface HealthRoutesDeps {
  sqlite: Database;
  /** True once shutdown began: the service must stop receiving traffic. */
  isShuttingDown: () => boolean;
  extraChecks: Record<string, ReadinessCheck>;
}

const healthContentType = 'application/health+json';

export function healthRoutes({ sqlite, isShuttingDown, extraChecks }: HealthRoutesDeps) {
  const checkSqlite = (): HealthCheck => {
    try {
      sqlite.query('SELECT 1').get();

      return { status: 'pass' };
    } catch (error) {
      return { status: 'fail', output: error instanceof Error ? error.message : String(error) };
    }
  };

  return new Elysia({ prefix: '/health', tags: ['operations'] })
    .get('/live', () => ({ status: 'pass' as const }), {
      response: { 200: liveness },
      detail: { summary: 'Liveness' },
    })
    .get(
      '/ready',
      async () => {
        const checks: Record<string, HealthCheck> = { sqlite: checkSqlite() };
        for (const [name, check] of Object.entries(extraChecks)) checks[name] = await check();
        if (isShuttingDown()) checks.lifecycle = { status: 'fail', output: 'shutting down' };

        const status = overallStatus(Object.values(checks));

        return new Response(JSON.stringify({ status, checks }), {
          status: status === 'fail' ? 503 : 200,
          headers: { 'content-type': healthContentType, 'cache-control': 'no-store' },
        });
      },
      {
        response: { 200: readiness, 503: readiness },
        detail: { summary: 'Readiness: pass, warn (degraded) or fail' },
      },
    );
}

function overallStatus(checks: HealthCheck[]): CheckStatus {
  if (checks.some((check) => check.status === 'fail')) return 'fail';
  if (checks.some((check) => check.status === 'warn')) return 'warn';

  return 'pass';
}
