import { Elysia, t } from 'elysia';
import { requireUser } from '../auth/tokens.ts';
import { deadlineOf } from '../http/deadline-signal.ts';
import { problemResponses } from '../http/problem-schema.ts';
import { entry, entryChanges, entryId, entryPage, listQuery, newEntry } from './schemas.ts';
import type { EntryService } from './service.ts';

export interface EntryRoutesDeps {
  entries: EntryService;
  jwtSecret: string;
}

const bearer = { security: [{ bearer: [] }] };

export function entryRoutes({ entries, jwtSecret }: EntryRoutesDeps) {
  return new Elysia({ prefix: '/entries', tags: ['entries'] })
    .use(requireUser(jwtSecret))
    .post(
      '/',
      async ({ body, userId, request, set }) => {
        const created = await entries.create(userId, body.title, body.body, deadlineOf(request));
        set.status = 201;

        return created;
      },
      {
        body: newEntry,
        response: { 201: entry, ...problemResponses(400, 401, 413, 415, 422, 429, 504) },
        detail: { summary: 'Write an entry', ...bearer },
      },
    )
    .get(
      '/',
      ({ query, userId, request }) =>
        entries.list(userId, query.limit ?? 20, query.cursor, deadlineOf(request)),
      {
        query: listQuery,
        response: { 200: entryPage, ...problemResponses(401, 413, 422, 429, 504) },
        detail: { summary: 'List entries', ...bearer },
      },
    )
    .get('/:id', ({ params, userId, request }) => entries.get(userId, params.id, deadlineOf(request)), {
      params: entryId,
      response: { 200: entry, ...problemResponses(401, 404, 413, 422, 429, 504) },
      detail: { summary: 'Read an entry', ...bearer },
    })
    .patch(
      '/:id',
      ({ params, body, userId, request }) =>
        entries.update(userId, params.id, body, deadlineOf(request)),
      {
        params: entryId,
        body: entryChanges,
        response: { 200: entry, ...problemResponses(400, 401, 404, 413, 415, 422, 429, 504) },
        detail: { summary: 'Change an entry', ...bearer },
      },
    )
    .delete(
      '/:id',
      async ({ params, userId, request, set }) => {
        await entries.remove(userId, params.id, deadlineOf(request));
        set.status = 204;
      },
      {
        params: entryId,
        response: { 204: t.Void(), ...problemResponses(401, 404, 413, 422, 429, 504) },
        detail: { summary: 'Delete an entry', ...bearer },
      },
    );
}
