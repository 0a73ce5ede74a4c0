import { jwt } from '@elysiajs/jwt';
import { Elysia } from 'elysia';
import { Unauthorized } from '../http/problems.ts';
import { contextOf } from '../http/request-context.ts';
import { VerifiedTokens } from './verified-tokens.ts';

const algorithm = 'HS256';

/** Signs access tokens with the one algorithm it will later accept. */
export function tokenPlugin(secret: string) {
  return jwt({ name: 'tokens', secret, alg: algorithm, typ: 'JWT' });
}

/** A verifier for hooks that run before routing; share one, so that its memo is shared. */
export function tokenVerifier(secret: string): TokenVerifier {
  return tokenPlugin(secret).decorator.tokens;
}

/** The token of an `Authorization: Bearer …` header; the scheme is case-insensitive (RFC 9110). */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = authorization?.match(/^Bearer +([A-Za-z0-9_.-]{1,4096}) *$/i);

  return match?.[1];
}

export type TokenVerifier = { verify: (token?: string, options?: object) => Promise<unknown> };

// HMAC verification through WebCrypto was the largest cost of an authenticated request. Each
// verifier object remembers the tokens it accepted, so a memo never outlives its secret; a
// client sends the same token for as long as it is valid.
const verifiedTokenCapacity = 10_000;
const verifiedBy = new WeakMap<TokenVerifier, VerifiedTokens>();

/**
 * The user id a valid bearer token of the request names, or undefined. Verified once per
 * request, however many hooks ask (the rate limiter, then the route's guard).
 */
export function requestUserId(tokens: TokenVerifier, request: Request): Promise<string | undefined> {
  const context = contextOf(request);
  context.verifiedUserId ??= verifiedUserId(tokens, request.headers.get('authorization') ?? undefined);

  return context.verifiedUserId;
}

/** The user id a valid token names, or undefined for any token that is not exactly valid. */
async function verifiedUserId(
  tokens: TokenVerifier,
  authorization: string | undefined,
): Promise<string | undefined> {
  const token = bearerToken(authorization);
  if (!token) return undefined;

  let verified = verifiedBy.get(tokens);
  if (!verified) {
    verified = new VerifiedTokens(verifiedTokenCapacity);
    verifiedBy.set(tokens, verified);
  }
  const known = verified.userIdOf(token);
  if (known !== undefined) return known;

  // Pinning the algorithm refuses `alg: none` and other HS variants; `exp` must be present.
  const claims = await tokens.verify(token, {
    algorithms: [algorithm],
    requiredClaims: ['exp', 'sub'],
  });
  if (!claims || typeof claims !== 'object') return undefined;
  const { sub: subject, exp } = claims as { sub?: unknown; exp?: unknown };
  if (typeof subject !== 'string' || subject.length === 0) return undefined;

  if (typeof exp === 'number') verified.remember(token, subject, exp * 1000);

  return subject;
}

/** Resolves `userId` for routes that need a signed-in user; 401 otherwise. */
export function requireUser(secret: string) {
  return new Elysia({ name: 'require-user' })
    .use(tokenPlugin(secret))
    .resolve({ as: 'scoped' }, async ({ tokens, request }) => {
      const userId = await requestUserId(tokens, request);
      if (!userId) throw new Unauthorized('a valid bearer token is required');
      contextOf(request).userId = userId;

      return { userId };
    });
}
