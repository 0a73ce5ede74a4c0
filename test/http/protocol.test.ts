import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let app: TestApp;
beforeAll(() => {
  app = startTestApp();
});
afterAll(() => app.close());

describe('X-Request-Id', () => {
  test('echoes a valid incoming id', async () => {
    const id = '0190a6c4-3f5e-7a4b-8c2d-1e2f3a4b5c6d';
    const response = await app.request('GET', '/health/live', { headers: { 'x-request-id': id } });

    expect(response.headers.get('x-request-id')).toBe(id);
  });

  test('replaces an invalid incoming id with a new UUIDv7', async () => {
    const response = await app.request('GET', '/health/live', {
      headers: { 'x-request-id': 'bad id\twith "quotes"' },
    });

    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('is carried by problem responses in header and body', async () => {
    const response = await app.request('GET', '/no/such/route');
    const body = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(body).toMatchObject({ status: 404, title: 'Not found' });
    expect(body.requestId).toBe(response.headers.get('x-request-id') ?? '');
    expect(typeof body.type).toBe('string');
    expect(typeof body.detail).toBe('string');
  });
});

describe('health', () => {
  test('/health/live answers pass', async () => {
    const response = await app.request('GET', '/health/live');

    expect(await response.json()).toEqual({ status: 'pass' });
  });

  test('/health/ready reports the sqlite check as application/health+json', async () => {
    const response = await app.request('GET', '/health/ready');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/health+json');
    expect(await response.json()).toMatchObject({ status: 'pass', checks: { sqlite: { status: 'pass' } } });
  });

  test('/health/ready fails with 503 once shutdown began', async () => {
    const other = startTestApp();
    void other.services.beginShutdown();
    const response = await other.request('GET', '/health/ready');
    await other.close();

    expect(response.status).toBe(503);
    expect(((await response.json()) as { status: string }).status).toBe('fail');
  });
});
