import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Value } from '@sinclair/typebox/value';
import type { OpenAPIV3 } from 'openapi-types';
import type { OpenApiDocument } from '../../src/http/openapi-document.ts';
import { problem } from '../../src/http/problem-schema.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let app: TestApp;
let document: OpenApiDocument;
let token: string;

beforeAll(async () => {
  app = startTestApp();
  document = (await (await app.request('GET', '/docs/json')).json()) as OpenApiDocument;
  token = await app.signIn('taken@example.com');
});
afterAll(() => app.close());

const unknownId = '01900000-0000-7000-8000-000000000000';
const credentials = { email: 'taken@example.com', password: 'correct horse battery' };

describe('the problems the app sends', () => {
  test('are documented for their operation and match the Problem schema', async () => {
    const sent = [
      ['post', '/auth/register', '/auth/register', { body: credentials }, 409],
      ['post', '/auth/register', '/auth/register', { body: { email: 'x' } }, 422],
      ['post', '/auth/login', '/auth/login', { body: { ...credentials, password: 'wrong one' } }, 401],
      ['post', '/auth/login', '/auth/login', { rawBody: '{', token }, 400],
      ['get', '/entries', '/entries', {}, 401],
      ['post', '/entries', '/entries', { token, body: 'x', headers: { 'content-type': 'text/plain' } }, 415],
      ['get', '/entries?limit=0', '/entries', { token }, 422],
      ['get', `/entries/${unknownId}`, '/entries/{id}', { token }, 404],
      ['get', '/webhooks', '/webhooks', { token, headers: { 'content-length': '99999999' } }, 413],
      ['delete', `/webhooks/${unknownId}`, '/webhooks/{id}', { token }, 404],
      ['post', '/webhooks', '/webhooks', { token, body: { url: 'https://example.com', events: [] } }, 422],
    ] as const;

    for (const [method, path, template, options, status] of sent) {
      const response = await app.request(method.toUpperCase(), path, options);
      const body = await response.json();
      const documented = document.paths[template]?.[method as OpenAPIV3.HttpMethods]?.responses;

      expect([path, response.status]).toEqual([path, status]);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(Value.Check(problem, body)).toBe(true);
      expect(documented?.[String(status)]).toBeDefined();
    }
  });
});
