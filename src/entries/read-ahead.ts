import { Elysia } from 'elysia';
import { requestUserId, type TokenVerifier } from '../auth/tokens.ts';
import { deadlineOf } from '../http/deadline-signal.ts';
import { pathOf } from '../http/request-context.ts';
import { isUuid } from '../http/string-formats.ts';
import { ignore } from '../resilience/pre-rejected.ts';
import type { EntryService } from './service.ts';

export interface EntryReadAheadDeps {
  entries: EntryService;
  tokens: TokenVerifier;
}

const entryPath = /^\/entries\/([^/]+)$/;

/**
 * Starts the cache lookup of `GET /entries/:id` as the request arrives, so that it is in
 * flight beside the rate-limit count rather than after it. With Redis healthy, a read then
 * waits one round trip instead of two. With Redis frozen, a request still waits out one time
 * limit, but both of its commands fail in it, so the breaker's consecutive failures add up
 * twice as fast (threshold 5: open on the third request, not the fifth). A request the
 * limiter refuses has cost Redis one read it did not need, and counts no cache result.
 */
export function entryReadAhead({ entries, tokens }: EntryReadAheadDeps) {
  return new Elysia({ name: 'entry-read-ahead' }).onRequest(({ request }) => {
    if (request.method !== 'GET') return;
    const id = entryPath.exec(pathOf(request))?.[1];
    if (id === undefined || !isUuid(id)) return;

    const deadline = deadlineOf(request);
    // Not awaited: the hooks after this one wait for the same verified user, and this
    // reaction, registered first, sends the lookup before the rate limiter sends its count.
    requestUserId(tokens, request)
      .then((userId) => {
        if (userId) entries.readAhead(userId, id, deadline);
      })
      .catch(ignore);
  });
}
