import { Elysia } from 'elysia';
import type { Metrics } from './metrics.ts';

/** `GET /metrics`: the Prometheus text exposition, without auth, for the local scraper. */
export function metricsRoute(metrics: Metrics) {
  return new Elysia({ tags: ['operations'] }).get(
    '/metrics',
    async () =>
      new Response(await metrics.render(), {
        headers: { 'content-type': metrics.contentType, 'cache-control': 'no-store' },
      }),
    { detail: { summary: 'Metrics in the Prometheus text format' } },
  );
}
