import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let app: TestApp;
beforeAll(() => {
  app = startTestApp();
});
afterAll(() => app.close());

describe('a method no route answers at a known path', () => {
  test('gets 405 with the methods of the resource in Allow', async () => {
    const cases = [
      ['PUT', '/entries', 'GET, HEAD, POST'],
      ['PUT', '/entries/0190a6c4-3f5e-7a4b-8c2d-1e2f3a4b5c6d', 'DELETE, GET, HEAD, PATCH'],
      ['DELETE', '/auth/login', 'POST'],
    ] as const;
    for (const [method, path, allow] of cases) {
      const response = await app.request(method, path);
      const problem = (await response.json()) as { status: number; detail: string };

      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe(allow);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(problem.detail).toContain(method);
    }
  });

  test('an unknown path is still 404', async () => {
    const response = await app.request('PUT', '/no/such/thing');

    expect(response.status).toBe(404);
    expect(response.headers.get('allow')).toBeNull();
  });
});
