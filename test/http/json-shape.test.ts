import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { checkJsonShape, maxJsonDepth } from '../../src/http/json-shape.ts';
import { InvalidInput } from '../../src/http/problems.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('checkJsonShape', () => {
  test(`accepts ${maxJsonDepth} levels of nesting and refuses one more`, () => {
    expect(() => checkJsonShape(JSON.parse(nestedArrays(maxJsonDepth)))).not.toThrow();
    expect(() => checkJsonShape(JSON.parse(nestedArrays(maxJsonDepth + 1)))).toThrow(
      InvalidInput,
    );
  });

  test('refuses lone surrogates in values and in keys, and accepts paired ones', () => {
    expect(() => checkJsonShape({ title: 'a\ud800b' })).toThrow(InvalidInput);
    expect(() => checkJsonShape({ ['\udc00']: 'x' })).toThrow(InvalidInput);
    expect(() => checkJsonShape({ list: [{ deep: 'x\udfff' }] })).toThrow(InvalidInput);
    expect(() => checkJsonShape({ title: '😀 ok', n: 1, none: null })).not.toThrow();
  });
});

describe('request bodies', () => {
  let app: TestApp;
  let token: string;
  beforeAll(async () => {
    app = startTestApp();
    token = await app.signIn();
  });
  afterAll(() => app.close());

  test('nested past the limit are refused with 422 before any route sees them', async () => {
    // 400 KB of nesting: before the limit, validation errors rendered it for seconds, then
    // overflowed the stack into a 500.
    for (const path of ['/auth/login', '/entries']) {
      const response = await app.request('POST', path, { token, rawBody: nestedArrays(200_000) });
      const problem = (await response.json()) as { detail: string };

      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(problem.detail).toContain(`deeper than ${maxJsonDepth} levels`);
    }
  });

  test('with a lone surrogate are refused with 422, and nothing is stored', async () => {
    const response = await app.request('POST', '/entries', {
      token,
      rawBody: '{"title":"a","body":"\\ud800x"}',
    });
    const list = await app.request('GET', '/entries', { token });

    expect(response.status).toBe(422);
    expect(((await list.json()) as { items: unknown[] }).items).toEqual([]);
  });
});
