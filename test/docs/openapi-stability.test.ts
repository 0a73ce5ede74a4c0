import { afterAll, describe, expect, test } from 'bun:test';
import type { OpenAPIV3 } from 'openapi-types';
import type { OpenApiDocument } from '../../src/http/openapi-document.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const apps: TestApp[] = [];
afterAll(() => Promise.all(apps.map((app) => app.close())));

function freshApp(): TestApp {
  const app = startTestApp();
  apps.push(app);

  return app;
}

async function documentOf(app: TestApp): Promise<OpenApiDocument> {
  const response = await app.request('GET', '/docs/json');
  expect(response.status).toBe(200);

  return (await response.json()) as OpenApiDocument;
}

/** Sends one request to every documented operation; answers which ones it sent. */
async function requestEveryRoute(app: TestApp): Promise<string[]> {
  const token = await app.signIn();
  const entry = await app.createEntry(token, 'first');
  const created = await app.request('POST', '/webhooks', {
    token,
    body: { url: 'https://example.com/hook', events: ['entry.created'] },
  });
  const webhook = (await created.json()) as { id: string };
  const requests = [
    ['GET', '/entries', '/entries'],
    ['GET', `/entries/${entry.id}`, '/entries/{id}'],
    ['PATCH', `/entries/${entry.id}`, '/entries/{id}'],
    ['DELETE', `/entries/${entry.id}`, '/entries/{id}'],
    ['GET', '/webhooks', '/webhooks'],
    ['GET', `/webhooks/${webhook.id}/deliveries`, '/webhooks/{id}/deliveries'],
    ['DELETE', `/webhooks/${webhook.id}`, '/webhooks/{id}'],
    ['GET', '/health/live', '/health/live'],
    ['GET', '/health/ready', '/health/ready'],
    ['GET', '/metrics', '/metrics'],
  ] as const;
  for (const [method, path] of requests) {
    const response = await app.request(method, path, { token, body: patchBody(method) });
    expect(response.status).toBeLessThan(300);
  }

  const sent = requests.map(([method, , template]) => `${method.toLowerCase()} ${template}`);

  return [...sent, 'post /auth/register', 'post /auth/login', 'post /entries', 'post /webhooks'];
}

const patchBody = (method: string) => (method === 'PATCH' ? { title: 'changed' } : undefined);

function operationsOf(document: OpenApiDocument): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item ?? {}).map((method) => `${method} ${path}`),
  );
}

function closedObjectsIn(value: unknown, where = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];

  return Object.entries(value).flatMap(([key, member]) =>
    key === 'additionalProperties' && member === false
      ? [where]
      : closedObjectsIn(member, `${where}/${key}`),
  );
}

describe('GET /docs/json', () => {
  test('serves the same document before any traffic and after a request to every route', async () => {
    const app = freshApp();
    const before = await documentOf(app);

    const sent = await requestEveryRoute(app);

    expect(sent.sort()).toEqual(operationsOf(before).sort());
    expect(await documentOf(app)).toEqual(before);
    expect(await documentOf(freshApp())).toEqual(before);
  });

  test('documents response bodies as open objects whatever routes served before', async () => {
    const app = freshApp();
    await requestEveryRoute(app);

    const { paths } = await documentOf(freshApp());
    const operations = Object.values(paths).flatMap((item) => Object.values(item ?? {}));
    const responses = (operations as OpenAPIV3.OperationObject[]).map(({ responses }) => responses);

    expect(closedObjectsIn(responses)).toEqual([]);
  });
});
