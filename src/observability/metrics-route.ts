import { Elysia, t } from 'elysia';
import { mediaType } from '../http/openapi-normalize.ts';
import type { Metrics } from './metrics.ts';

/** `GET /metrics`: the Prometheus text exposition, without auth, for the local scraper. */
export function metricsRoute(metrics: Metrics) {
  return new Elysia({ tags: ['operations'] }).get(
    '/metrics',
    async () =>
      new Response(await metrics.render(), {
        headers: { 'content-type': metrics.contentType, 'cache-control': 'no-store' },
      }),
    {
      response: {
        200: t.String({
          description: 'Every metric, as Prometheus scrapes it',
          ...mediaType('text/plain; version=0.0.4'),
        }),
      },
      detail: { summary: 'Metrics in the Prometheus text format' },
    },
  );
}
