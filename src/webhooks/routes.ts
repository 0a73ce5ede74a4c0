import { Elysia, t } from 'elysia';
import { requireUser } from '../auth/tokens.ts';
import { problemResponses } from '../http/problem-schema.ts';
import {
  createdWebhook,
  deliveriesQuery,
  deliveryPage,
  newWebhook,
  webhookId,
  webhookList,
} from './schemas.ts';
import type { WebhookService } from './service.ts';

export interface WebhookRoutesDeps {
  webhooks: WebhookService;
  jwtSecret: string;
}

const bearer = { security: [{ bearer: [] }] };

export function webhookRoutes({ webhooks, jwtSecret }: WebhookRoutesDeps) {
  return new Elysia({ prefix: '/webhooks', tags: ['webhooks'] })
    .use(requireUser(jwtSecret))
    .post(
      '/',
      ({ body, userId, set }) => {
        set.status = 201;

        return webhooks.create(userId, body.url, body.events);
      },
      {
        body: newWebhook,
        response: { 201: createdWebhook, ...problemResponses(400, 401, 413, 415, 422, 429, 504) },
        detail: { summary: 'Subscribe a URL to entry events', ...bearer },
      },
    )
    .get('/', ({ userId }) => ({ items: webhooks.list(userId) }), {
      response: { 200: webhookList, ...problemResponses(401, 413, 429, 504) },
      detail: { summary: 'List webhooks', ...bearer },
    })
    .delete(
      '/:id',
      ({ params, userId, set }) => {
        webhooks.remove(userId, params.id);
        set.status = 204;
      },
      {
        params: webhookId,
        response: { 204: t.Void(), ...problemResponses(401, 404, 413, 422, 429, 504) },
        detail: { summary: 'Delete a webhook', ...bearer },
      },
    )
    .get(
      '/:id/deliveries',
      ({ params, query, userId }) =>
        webhooks.deliveries(userId, params.id, query.limit ?? 20, query.cursor),
      {
        params: webhookId,
        query: deliveriesQuery,
        response: { 200: deliveryPage, ...problemResponses(401, 404, 413, 422, 429, 504) },
        detail: { summary: "List a webhook's deliveries, newest first", ...bearer },
      },
    );
}
