import { Elysia } from 'elysia';
import { requestUserId, tokenPlugin } from '../auth/tokens.ts';
import { deadlineOf } from '../http/deadline-signal.ts';
import { pathOf } from '../http/request-context.ts';
import { isUuid } from '../http/string-formats.ts';
import { ignore } from '../resilience/pre-rejected.ts';
import type { EntryService } from './service.ts';

export interface EntryReadAheadDeps {
  entries: EntryService;
  jwtSecret: string;
}

const entryPath = /^\/entries\/([^/]+)$/;

/**
 * Starts the cache lookup of `GET /entries/:id` as the request arrives, so that it is in
 * flight beside the rate-limit count rather than after it. With Redis healthy, a read then
 * waits one round trip instead of two. With Redis frozen, a request still waits out one time
 * limit, but both of its commands fail in it, so the breaker opens after half as many
 * requests. A request the limiter refuses has cost Redis one read it did not need.
 */
export function entryReadAhead({ entries, jwtSecret }: EntryReadAheadDeps) {
  const tokens = tokenPlugin(jwtSecret).decorator.tokens;

  return new Elysia({ name: 'entry-read-ahead' }).onRequest(({ request }) => {
    if (request.method !== 'GET') return;
    const id = entryPath.exec(pathOf(request))?.[1];
    if (id === undefined || !isUuid(id)) return;

    const deadline = deadlineOf(request);
    // Not awaited: the hooks after this one wait for the same verified user.
    requestUserId(tokens, request).then((userId) => {
      if (userId) entries.readAhead(userId, id, deadline);
    }, ignore);
  });
}
