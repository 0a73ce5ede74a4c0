import type { BreakerStateName } from '../../src/resilience/breaker-types.ts';

export type BreakerState = BreakerStateName | 'unknown';

/** The breaker state as `/health/ready` reports it. */
export async function readBreakerState(baseUrl: string): Promise<BreakerState> {
  const response = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(2_000) });
  const body = (await response.json()) as { checks?: { redis?: { breaker?: BreakerState } } };

  return body.checks?.redis?.breaker ?? 'unknown';
}

const HIT_SERIES = /^cache_requests_total\{result="hit"\} (\d+(?:\.\d+)?)$/m;

/** `cache_requests_total{result="hit"}` from `/metrics`. */
export async function readCacheHits(baseUrl: string): Promise<number> {
  const response = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(2_000) });
  const match = HIT_SERIES.exec(await response.text());
  if (!match?.[1]) throw new Error('cache_requests_total{result="hit"} missing from /metrics');

  return Number(match[1]);
}
