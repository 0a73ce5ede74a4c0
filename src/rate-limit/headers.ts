import type { RateLimitDecision } from './rate-limiter.ts';

/** The IETF RateLimit-Policy and RateLimit fields (draft-ietf-httpapi-ratelimit-headers). */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const { policy } = decision;
  const resetSeconds = Math.max(0, Math.ceil(decision.resetMs / 1000));
  const headers: Record<string, string> = {
    'ratelimit-policy': `"${policy.name}";q=${policy.limit};w=${Math.ceil(policy.windowMs / 1000)}`,
    ratelimit: `"${policy.name}";r=${decision.remaining};t=${resetSeconds}`,
  };
  if (!decision.allowed) headers['retry-after'] = String(Math.max(1, resetSeconds));

  return headers;
}
