import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createMetrics } from '../../src/observability/metrics.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { parseExposition, valueOf, type Exposition } from './exposition.ts';
import { afterResponseHooks } from './captured-log.ts';

const unknownEntryId = '0190a6c4-3f5e-7a4b-8c2d-1e2f3a4b5c6d';

describe('GET /metrics', () => {
  let app: TestApp;
  let response: Response;
  let exposition: Exposition;
  let createdId: string;

  beforeAll(async () => {
    app = startTestApp();
    const token = await app.signIn();
    createdId = (await app.createEntry(token, 't')).id;
    await app.request('GET', `/entries/${createdId}`, { token });
    await app.request('GET', `/entries/${unknownEntryId}`, { token });
    await app.request('POST', '/entries', { token, body: { title: '' } });
    await app.request('GET', '/no/such/route');
    // Elysia records after the response is made; the scrape must come after those records.
    await afterResponseHooks();
    response = await app.request('GET', '/metrics');
    exposition = parseExposition(await response.text());
  });
  afterAll(() => app.close());

  test('answers the Prometheus text format without auth', () => {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toStartWith('text/plain; version=0.0.4');
  });

  test('counts requests by method, route template and status', () => {
    const count = (method: string, route: string, status: string) =>
      valueOf(exposition, 'http_requests_total', { method, route, status });

    expect(exposition.types.get('http_requests_total')).toBe('COUNTER');
    expect(count('POST', '/auth/register', '201')).toBe(1);
    expect(count('POST', '/auth/login', '200')).toBe(1);
    expect(count('POST', '/entries', '201')).toBe(1);
    expect(count('GET', '/entries/:id', '200')).toBe(1);
    expect(count('GET', '/entries/:id', '404')).toBe(1);
    expect(count('POST', '/entries', '422')).toBe(1);
    expect(count('GET', 'unmatched', '404')).toBe(1);
  });

  test('labels routes by template, never by raw path', () => {
    const routes = exposition.samples('http_requests_total').map((sample) => sample.labels.route);

    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      expect(route).not.toContain(createdId);
      expect(route).not.toContain(unknownEntryId);
      expect(route).not.toContain('/no/such/route');
    }
  });

  test('records durations in a histogram with the same labels', () => {
    const labels = { method: 'GET', route: '/entries/:id', status: '404' };
    const count = valueOf(exposition, 'http_request_duration_seconds_count', labels);
    const sum = valueOf(exposition, 'http_request_duration_seconds_sum', labels);
    const infinite = valueOf(exposition, 'http_request_duration_seconds_bucket', {
      ...labels,
      le: '+Inf',
    });

    expect(exposition.types.get('http_request_duration_seconds')).toBe('HISTOGRAM');
    expect(count).toBe(1);
    expect(infinite).toBe(1);
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(10);
  });

  test('exposes every service metric and the process metrics', () => {
    const expected: Record<string, string> = {
      redis_breaker_state: 'GAUGE',
      redis_breaker_transitions_total: 'COUNTER',
      redis_commands_total: 'COUNTER',
      cache_requests_total: 'COUNTER',
      rate_limit_decisions_total: 'COUNTER',
      request_timeouts_total: 'COUNTER',
      retries_total: 'COUNTER',
      process_cpu_seconds_total: 'COUNTER',
      process_resident_memory_bytes: 'GAUGE',
    };

    for (const [name, type] of Object.entries(expected)) expect(exposition.types.get(name)).toBe(type);
    expect(exposition.types.get('nodejs_heap_size_used_bytes')).toBe('GAUGE');
    // Dropped: collecting them walks the heap on every scrape.
    expect([...exposition.types.keys()].filter((name) => name.includes('heap_space'))).toEqual([]);
    expect(valueOf(exposition, 'redis_breaker_state')).toBe(0);
    expect(valueOf(exposition, 'cache_requests_total', { result: 'miss' })).toBe(0);
    expect(valueOf(exposition, 'request_timeouts_total')).toBe(0);
  });

  test('counts the rate limiter decisions by store', () => {
    const allowedInMemory = { decision: 'allowed', store: 'memory' };

    // All seven requests above went through the limiter, without Redis; the scrape does not.
    expect(valueOf(exposition, 'rate_limit_decisions_total', allowedInMemory)).toBe(7);
    const allowedInRedis = { decision: 'allowed', store: 'redis' };
    expect(valueOf(exposition, 'rate_limit_decisions_total', allowedInRedis)).toBe(0);
  });

  test('keeps its own series apart from another service instance in the same process', async () => {
    const other = startTestApp();
    const scraped = await other.request('GET', '/metrics');
    const otherExposition = parseExposition(await scraped.text());
    await other.close();

    expect(otherExposition.samples('http_requests_total')).toEqual([]);
    expect(valueOf(exposition, 'http_requests_total', { route: '/entries', status: '201' })).toBe(1);
  });
});

describe('createMetrics', () => {
  const scrape = async (metrics: ReturnType<typeof createMetrics>) =>
    parseExposition(await metrics.render());

  test('counts cache results, Redis commands, timeouts and retries by their labels', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.cacheRequest('hit');
    metrics.cacheRequest('hit');
    metrics.cacheRequest('bypass');
    metrics.redisCommand('GET', 'ok');
    metrics.redisCommand('GET', 'timeout');
    metrics.redisCommand('SET', 'rejected');
    metrics.requestTimeout();
    metrics.retry();
    metrics.retry();
    const exposition = await scrape(metrics);

    expect(valueOf(exposition, 'cache_requests_total', { result: 'hit' })).toBe(2);
    expect(valueOf(exposition, 'cache_requests_total', { result: 'bypass' })).toBe(1);
    expect(valueOf(exposition, 'cache_requests_total', { result: 'error' })).toBe(0);
    const commands = (command: string, outcome: string) =>
      valueOf(exposition, 'redis_commands_total', { command, outcome });
    expect(commands('GET', 'ok')).toBe(1);
    expect(commands('GET', 'timeout')).toBe(1);
    expect(commands('SET', 'rejected')).toBe(1);
    expect(valueOf(exposition, 'request_timeouts_total')).toBe(1);
    expect(valueOf(exposition, 'retries_total')).toBe(2);
  });

  test('sets the breaker state gauge to the last transition and counts each one', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.breakerTransition('closed', 'open');
    const whileOpen = await scrape(metrics);
    metrics.breakerTransition('open', 'half_open');
    const whileHalfOpen = await scrape(metrics);
    metrics.breakerTransition('half_open', 'closed');
    const exposition = await scrape(metrics);

    expect(valueOf(whileOpen, 'redis_breaker_state')).toBe(1);
    expect(valueOf(whileHalfOpen, 'redis_breaker_state')).toBe(2);
    expect(valueOf(exposition, 'redis_breaker_state')).toBe(0);
    const transition = (from: string, to: string) =>
      valueOf(exposition, 'redis_breaker_transitions_total', { from, to });
    expect(transition('closed', 'open')).toBe(1);
    expect(transition('open', 'half_open')).toBe(1);
    expect(transition('half_open', 'closed')).toBe(1);
  });

  test('leaves out the process metrics when asked to', async () => {
    const exposition = await scrape(createMetrics({ defaultMetrics: false }));

    expect(exposition.types.has('process_cpu_seconds_total')).toBe(false);
    expect(exposition.types.has('http_requests_total')).toBe(true);
  });
});
