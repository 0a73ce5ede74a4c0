import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { TransformDecodeError, Value } from '@sinclair/typebox/value';
import { listQuery } from '../../src/entries/schemas.ts';
import { errorResponse } from '../../src/http/error-response.ts';
import { captureLog } from '../observability/captured-log.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

interface InvalidInputBody {
  detail: string;
  errors: { pointer: string; detail: string }[];
}

/** The error Elysia's query conversion throws for `text`: a bare `property` ValidationError. */
function conversionError(query: Record<string, string>): unknown {
  try {
    Value.Decode(listQuery, query);
  } catch (error) {
    if (error instanceof TransformDecodeError) return error.error;
  }
  throw new Error('the query converted without an error');
}

const { logger } = captureLog('error', 'json');

describe('errorResponse', () => {
  test('points a query value that fails after conversion at its parameter, and names it', async () => {
    for (const limit of ['0', '101', '-1']) {
      const query = { limit, cursor: 'abc' };
      const response = errorResponse(conversionError(query), 'id', logger, { query });
      const problem = (await response.json()) as InvalidInputBody;

      expect(response.status).toBe(422);
      expect(problem.detail).toBe('the query does not match the schema at limit');
      expect(problem.errors).toEqual([{ pointer: 'query/limit', detail: expect.any(String) }]);
      expect(problem.errors[0]?.detail).toMatch(/^Expected integer to be (greater|less) or equal/);
    }
  });

  test('does not guess a field when it does not know what the request sent', async () => {
    const response = errorResponse(conversionError({ limit: '0' }), 'id', logger);
    const problem = (await response.json()) as InvalidInputBody;

    expect(response.status).toBe(422);
    expect(problem.detail).toStartWith('a value does not match the schema: Expected integer');
    expect(JSON.stringify(problem)).not.toContain('property');
  });
});

describe('invalid input', () => {
  let app: TestApp;
  let token: string;
  beforeAll(async () => {
    app = startTestApp();
    token = await app.signIn();
  });
  afterAll(() => app.close());

  test('names an unknown webhook event by the events allowed', async () => {
    const response = await app.request('POST', '/webhooks', {
      token,
      body: { url: 'https://example.com/hook', events: ['entry.created', 'entry.read'] },
    });
    const problem = (await response.json()) as InvalidInputBody;

    expect(response.status).toBe(422);
    expect(problem.detail).toBe('the body does not match the schema at events/1');
    expect(problem.errors).toEqual([
      {
        pointer: 'body/events/1',
        detail: 'Expected one of: entry.created, entry.updated, entry.deleted',
      },
    ]);
  });

  test('points at each invalid body field and names them in the detail', async () => {
    const response = await app.request('POST', '/entries', { token, body: { title: '' } });
    const problem = (await response.json()) as InvalidInputBody;

    expect(response.status).toBe(422);
    expect(problem.detail).toBe('the body does not match the schema at body, title');
    expect(problem.errors.map(({ pointer }) => pointer)).toContain('body/title');
  });

  test('points an out-of-range limit at the query parameter', async () => {
    const hook = await app.request('POST', '/webhooks', {
      token,
      body: { url: 'https://example.com/hook', events: ['entry.created'] },
    });
    const { id } = (await hook.json()) as { id: string };
    const paths = ['/entries?limit=0', '/entries?limit=101', `/webhooks/${id}/deliveries?limit=-1`];
    for (const path of paths) {
      const response = await app.request('GET', path, { token });
      const problem = (await response.json()) as InvalidInputBody;

      expect(response.status).toBe(422);
      expect(problem.errors[0]?.pointer).toBe('query/limit');
      expect(problem.detail).toBe('the query does not match the schema at limit');
    }
  });
});
