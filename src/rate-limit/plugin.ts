import { Elysia } from 'elysia';
import { requestUserId, type TokenVerifier } from '../auth/tokens.ts';
import { deadlineOf } from '../http/deadline-signal.ts';
import { RateLimited } from '../http/problems.ts';
import { contextOf, pathOf } from '../http/request-context.ts';
import { withoutTrailingSlash } from '../shared/paths.ts';
import { rateLimitHeaders } from './headers.ts';
import type { RateLimitPolicy, RateLimiter } from './rate-limiter.ts';

export interface RateLimitPluginDeps {
  limiter: RateLimiter;
  tokens: TokenVerifier;
  general: RateLimitPolicy;
  /** Login and register: stricter, per client address. */
  auth: RateLimitPolicy;
}

const unlimitedPrefixes = ['/health/', '/metrics', '/docs'];
const authPaths = new Set(['/auth/login', '/auth/register']);

/**
 * Limits every route but the operations ones, before routing and any handler: only the early
 * cache lookup of `GET /entries/:id` (see `entries/read-ahead.ts`) is started before it.
 */
export function rateLimit({ limiter, tokens, general, auth }: RateLimitPluginDeps) {
  return new Elysia({ name: 'rate-limit' }).onRequest(async ({ request, set }) => {
    const path = pathOf(request);
    if (unlimitedPrefixes.some((prefix) => path.startsWith(prefix))) return;

    const isAuth = authPaths.has(withoutTrailingSlash(path));
    const userId = isAuth ? undefined : await requestUserId(tokens, request);
    const policy = isAuth ? auth : general;
    const client = userId ? `user:${userId}` : `addr:${contextOf(request).clientAddress}`;

    const decision = await limiter.hit(policy, client, deadlineOf(request));
    const headers = rateLimitHeaders(decision);
    if (!decision.allowed) {
      const problem = new RateLimited(`the limit of ${policy.limit} requests per window is reached`);
      Object.assign(problem.headers, headers);
      throw problem;
    }

    Object.assign(set.headers, headers);
  });
}
