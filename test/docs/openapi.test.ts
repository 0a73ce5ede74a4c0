import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { OpenAPIV3 } from 'openapi-types';
import packageJson from '../../package.json' with { type: 'json' };
import type { OpenApiDocument } from '../../src/http/openapi-document.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let app: TestApp;
let document: OpenApiDocument;

beforeAll(async () => {
  app = startTestApp();
  const response = await app.request('GET', '/docs/json');
  expect(response.status).toBe(200);
  document = (await response.json()) as OpenApiDocument;
});
afterAll(() => app.close());

const entriesOperations = [
  ['/entries', 'post'],
  ['/entries', 'get'],
  ['/entries/{id}', 'get'],
  ['/entries/{id}', 'patch'],
  ['/entries/{id}', 'delete'],
] as const;
const webhookOperations = [
  ['/webhooks', 'post'],
  ['/webhooks', 'get'],
  ['/webhooks/{id}', 'delete'],
  ['/webhooks/{id}/deliveries', 'get'],
] as const;

function allOperations() {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item ?? {}).map((method) => [path, method as OpenAPIV3.HttpMethods] as const),
  );
}

function operation(path: string, method: OpenAPIV3.HttpMethods | `${OpenAPIV3.HttpMethods}`) {
  const found = document.paths[path]?.[method as OpenAPIV3.HttpMethods];
  if (!found) throw new Error(`the document has no ${method} ${path}`);

  return found;
}

function jsonBodySchema(path: string, method: 'post' | 'patch') {
  const body = operation(path, method).requestBody as OpenAPIV3.RequestBodyObject;

  return body.content['application/json']?.schema as OpenAPIV3.SchemaObject;
}

function property(schema: OpenAPIV3.SchemaObject, name: string) {
  return schema.properties?.[name] as OpenAPIV3.SchemaObject;
}

describe('GET /docs/json', () => {
  test('is an OpenAPI 3 document titled breakwater with the package version', () => {
    expect(document.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(document.info.title).toBe('breakwater');
    expect(document.info.version).toBe(packageJson.version);
  });

  test('lists the contract routes with their methods, none under a trailing slash', () => {
    const methodsByPath = Object.fromEntries(
      Object.entries(document.paths).map(([path, item]) => [path, Object.keys(item ?? {}).sort()]),
    );

    expect(methodsByPath).toMatchObject({
      '/auth/register': ['post'],
      '/auth/login': ['post'],
      '/entries': ['get', 'post'],
      '/entries/{id}': ['delete', 'get', 'patch'],
      '/webhooks': ['get', 'post'],
      '/webhooks/{id}': ['delete'],
      '/webhooks/{id}/deliveries': ['get'],
      '/health/live': ['get'],
      '/health/ready': ['get'],
    });
    expect(Object.keys(methodsByPath).filter((path) => path.endsWith('/'))).toEqual([]);
  });

  test('leaves out its own routes: the page, the document and the assets', () => {
    expect(Object.keys(document.paths).filter((path) => path.startsWith('/docs'))).toEqual([]);
  });

  test('describes request bodies as JSON with the limits the routes enforce', () => {
    const newEntry = jsonBodySchema('/entries', 'post');
    expect(newEntry.required).toEqual(['title', 'body']);
    expect(property(newEntry, 'title')).toMatchObject({ minLength: 1, maxLength: 200 });
    expect(property(newEntry, 'body')).toMatchObject({ maxLength: 100_000 });

    const changes = jsonBodySchema('/entries/{id}', 'patch');
    expect(changes.required ?? []).toEqual([]);
    expect(property(changes, 'title')).toMatchObject({ maxLength: 200 });

    const credentials = jsonBodySchema('/auth/register', 'post');
    expect(property(credentials, 'password')).toMatchObject({ minLength: 8, maxLength: 128 });
    expect(jsonBodySchema('/auth/login', 'post')).toEqual(credentials);

    const register = operation('/auth/register', 'post').requestBody as OpenAPIV3.RequestBodyObject;
    expect(Object.keys(register.content)).toEqual(['application/json']);
  });

  test('describes the path parameter and the query of the entries routes', () => {
    for (const method of ['get', 'patch', 'delete'] as const) {
      expect(operation('/entries/{id}', method).parameters).toEqual([
        { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
      ]);
    }

    const query = operation('/entries', 'get').parameters as OpenAPIV3.ParameterObject[];
    expect(query.map(({ name, in: where, required }) => [name, where, required])).toEqual([
      ['limit', 'query', false],
      ['cursor', 'query', false],
    ]);
    expect(query[0]?.schema).toEqual({ type: 'integer', minimum: 1, maximum: 100, default: 20 });
    expect(query[1]?.schema).toEqual({ type: 'string', maxLength: 200 });
  });

  test('describes responses: the success bodies and a 204 without content', () => {
    const created = operation('/entries', 'post').responses['201'] as OpenAPIV3.ResponseObject;
    const entry = created.content?.['application/json']?.schema as OpenAPIV3.SchemaObject;
    expect(entry.required).toEqual(['id', 'title', 'body', 'createdAt', 'updatedAt']);

    const page = operation('/entries', 'get').responses['200'] as OpenAPIV3.ResponseObject;
    const pageSchema = page.content?.['application/json']?.schema as OpenAPIV3.SchemaObject;
    expect(pageSchema.required).toEqual(['items', 'nextCursor']);

    const token = operation('/auth/login', 'post').responses['200'] as OpenAPIV3.ResponseObject;
    expect(token.content?.['application/json']?.schema).toMatchObject({
      properties: { tokenType: { const: 'Bearer' } },
    });

    const deleted = operation('/entries/{id}', 'delete').responses['204'];
    expect(deleted).toBeDefined();
    expect(deleted).not.toHaveProperty('content');
  });

  test('declares every tag that an operation carries', () => {
    const used = new Set(
      allOperations().flatMap(([path, method]) => operation(path, method).tags ?? []),
    );

    expect([...used].sort()).toEqual(['auth', 'entries', 'operations', 'webhooks']);
    expect(document.tags.map(({ name }) => name).sort()).toEqual([...used].sort());
  });

  test('documents the problems each operation answers with', () => {
    const statuses = (path: string, method: OpenAPIV3.HttpMethods | `${OpenAPIV3.HttpMethods}`) =>
      Object.keys(operation(path, method).responses);

    expect(statuses('/auth/register', 'post')).toContainValues(['409', '422', '400', '413']);
    expect(statuses('/auth/login', 'post')).toContainValues(['401', '422', '415', '429']);
    for (const [path, method] of [...entriesOperations, ...webhookOperations]) {
      expect(statuses(path, method)).toContainValues(['401', '413', '429', '504']);
      if (path.includes('{id}')) expect(statuses(path, method)).toContainValues(['404', '422']);
      if (method === 'post' || method === 'patch') {
        expect(statuses(path, method)).toContainValues(['400', '415', '422']);
      }
    }
  });

  test('describes every problem as application/problem+json with the one Problem schema', () => {
    // The readiness report's 503 is a health report, not a problem.
    const problems = allOperations()
      .filter(([path]) => path !== '/health/ready')
      .flatMap(([path, method]) =>
        Object.entries(operation(path, method).responses).filter(([status]) => +status >= 400),
      );

    expect(problems.length).toBeGreaterThan(40);
    for (const [status, response] of problems) {
      expect(response).toEqual({
        description: expect.any(String),
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      });
      expect((response as OpenAPIV3.ResponseObject).description).not.toContain(status);
    }
    const schema = document.components.schemas.Problem as OpenAPIV3.SchemaObject;
    expect(schema.required).toEqual(['type', 'title', 'status', 'detail', 'requestId']);
    expect(Object.keys(schema.properties ?? {})).toContain('errors');
  });

  test('describes the operations routes: health as (health+)JSON with 200 and 503, metrics as text', () => {
    const mediaTypes = (path: string) =>
      Object.fromEntries(
        Object.entries(operation(path, 'get').responses).map(([status, response]) => [
          status,
          Object.keys((response as OpenAPIV3.ResponseObject).content ?? {}),
        ]),
      );

    expect(mediaTypes('/health/live')).toEqual({ '200': ['application/json'] });
    expect(mediaTypes('/health/ready')).toEqual({
      '200': ['application/health+json'],
      '503': ['application/health+json'],
    });
    expect(mediaTypes('/metrics')).toEqual({ '200': ['text/plain; version=0.0.4'] });
  });

  test('declares a bearer scheme that every entries and webhooks operation requires, and auth does not', () => {
    expect(document.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    for (const [path, method] of [...entriesOperations, ...webhookOperations]) {
      expect(operation(path, method).security).toEqual([{ bearer: [] }]);
    }
    expect(operation('/auth/login', 'post').security).toBeUndefined();
    expect(operation('/auth/register', 'post').security).toBeUndefined();
  });

  test('gives every entries operation its summary', () => {
    const summaries = entriesOperations.map(([path, method]) => operation(path, method).summary);

    expect(summaries).toEqual([
      'Write an entry',
      'List entries',
      'Read an entry',
      'Change an entry',
      'Delete an entry',
    ]);
  });

  test('describes the webhook body: an http(s) URL and the entry events to send', () => {
    const newWebhook = jsonBodySchema('/webhooks', 'post');

    expect(newWebhook.required).toEqual(['url', 'events']);
    expect(newWebhook.properties?.url).toMatchObject({ type: 'string', format: 'http-url', maxLength: 2048 });
    expect(newWebhook.properties?.events).toMatchObject({
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { enum: ['entry.created', 'entry.updated', 'entry.deleted'] },
    });
  });
});

describe('GET /docs', () => {
  test('serves a page that loads scripts and styles of this service only', async () => {
    const response = await app.request('GET', '/docs');
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toStartWith('text/html');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const references = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    expect(references).toEqual([
      'data:,',
      '/docs/swagger-ui.css',
      '/docs/swagger-ui-bundle.js',
      '/docs/start.js',
    ]);
  });

  test('serves the Swagger UI assets and the script that points it at /docs/json', async () => {
    const assets = [
      ['/docs/swagger-ui.css', 'text/css', '.swagger-ui'],
      ['/docs/swagger-ui-bundle.js', 'text/javascript', 'SwaggerUIBundle'],
      ['/docs/start.js', 'text/javascript', '"url":"/docs/json"'],
    ] as const;

    for (const [path, contentType, sample] of assets) {
      const response = await app.request('GET', path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toStartWith(contentType);
      expect(await response.text()).toContain(sample);
    }
  });
});

describe('the docs routes', () => {
  test('need no token and stay open to a client that used up its rate limit', async () => {
    const limited = startTestApp({ RATE_LIMIT_REQUESTS: '1', RATE_LIMIT_WINDOW: '1h' });
    try {
      await limited.request('GET', '/entries');
      expect((await limited.request('GET', '/entries')).status).toBe(429);

      for (const path of ['/docs', '/docs/json', '/docs/start.js', '/docs/swagger-ui.css']) {
        const response = await limited.request('GET', path);
        expect(response.status).toBe(200);
        expect(response.headers.has('ratelimit-policy')).toBe(false);
      }
    } finally {
      await limited.close();
    }
  });
});
