import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Entry } from '../../src/entries/entry.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let app: TestApp;
let token: string;
beforeAll(async () => {
  app = startTestApp();
  token = await app.signIn();
});
afterAll(() => app.close());

const create = (title: string, body = 'text', as = token) => app.createEntry(as, title, body);

describe('entries', () => {
  test('are created, read, changed and deleted by their owner', async () => {
    const created = await create('first', 'hello');
    expect(Object.keys(created).sort()).toEqual(['body', 'createdAt', 'id', 'title', 'updatedAt']);
    expect(created.createdAt).toBe(created.updatedAt);
    expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);

    const read = await app.request('GET', `/entries/${created.id}`, { token });
    expect(await read.json()).toEqual(created);

    const patched = await app.request('PATCH', `/entries/${created.id}`, {
      token,
      body: { body: 'changed' },
    });
    expect(patched.status).toBe(200);
    const changed = (await patched.json()) as Entry;
    expect(changed).toMatchObject({ id: created.id, title: 'first', body: 'changed' });
    expect(changed.createdAt).toBe(created.createdAt);
    const retitled = await app.request('PATCH', `/entries/${created.id}`, {
      token,
      body: { title: 'renamed' },
    });
    const renamed = (await retitled.json()) as Entry;
    expect(renamed).toMatchObject({ title: 'renamed', body: 'changed' });
    expect(await (await app.request('GET', `/entries/${created.id}`, { token })).json()).toEqual(
      renamed,
    );

    const deleted = await app.request('DELETE', `/entries/${created.id}`, { token });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    expect((await app.request('GET', `/entries/${created.id}`, { token })).status).toBe(404);
    expect((await app.request('DELETE', `/entries/${created.id}`, { token })).status).toBe(404);
  });

  test("are invisible to other users: another user's entry is a 404 and stays unchanged", async () => {
    const mine = await create('private');
    const stranger = await app.signIn();

    for (const [method, body] of [['GET'], ['PATCH', { title: 'x' }], ['DELETE']] as const) {
      const response = await app.request(method, `/entries/${mine.id}`, { token: stranger, body });
      expect(response.status).toBe(404);
    }

    const list = await app.request('GET', '/entries', { token: stranger });
    expect(((await list.json()) as { items: Entry[] }).items).toEqual([]);
    expect(await (await app.request('GET', `/entries/${mine.id}`, { token })).json()).toEqual(mine);
  });

  test('are listed newest first, page by page with a cursor', async () => {
    const owner = await app.signIn();
    const made: Entry[] = [];
    for (let index = 0; index < 5; index++) made.push(await create(`n${index}`, 'b', owner));

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const response = await app.request('GET', `/entries${query}`, { token: owner });
      const page = (await response.json()) as { items: Entry[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((entry) => entry.title));
      cursor = page.nextCursor;
    } while (cursor);

    expect(seen).toEqual(['n4', 'n3', 'n2', 'n1', 'n0']);
  });

  test('keep SQL in any field literally', async () => {
    const sql = "'); DROP TABLE entries; --";
    const created = await create(sql, `${sql} OR 1=1`);
    const read = await app.request('GET', `/entries/${created.id}`, { token });

    expect(((await read.json()) as Entry).title).toBe(sql);
    expect((await app.request('GET', '/entries', { token })).status).toBe(200);
  });
});

describe('entry input', () => {
  const cases: Array<[string, unknown]> = [
    ['an empty title', { title: '', body: 'b' }],
    ['a title over 200 characters', { title: 'x'.repeat(201), body: 'b' }],
    ['a body over 100,000 characters', { title: 't', body: 'x'.repeat(100_001) }],
    ['a number as title', { title: 5, body: 'b' }],
    ['a missing body', { title: 't' }],
    ['an unknown field', { title: 't', body: 'b', owner: 'someone' }],
    ['an array', [{ title: 't', body: 'b' }]],
  ];

  for (const [name, body] of cases) {
    test(`is refused with 422 for ${name}`, async () => {
      const response = await app.request('POST', '/entries', { token, body });

      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    });
  }

  test('is refused with 422 for a __proto__ member, and nothing is written', async () => {
    const before = await app.request('GET', '/entries?limit=100', { token });
    const response = await app.request('POST', '/entries', {
      token,
      rawBody: '{"title":"t","body":"b","__proto__":{"isAdmin":true}}',
    });
    const after = await app.request('GET', '/entries?limit=100', { token });

    expect(response.status).toBe(422);
    expect(await after.json()).toEqual(await before.json());
  });

  test('is refused with 4xx when deeply nested', async () => {
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const response = await app.request('POST', '/entries', { token, rawBody: deep });

    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });

  test('is refused with 400 when the JSON is malformed', async () => {
    const response = await app.request('POST', '/entries', { token, rawBody: '{"title": ' });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { status: number }).status).toBe(400);
  });

  test('is refused with 415 when not JSON', async () => {
    const response = await app.request('POST', '/entries', {
      token,
      rawBody: 'title=t&body=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

    expect(response.status).toBe(415);
  });

  test('is refused with 413 above MAX_BODY_SIZE', async () => {
    const body = { title: 't', body: 'x'.repeat(2 * 1024 * 1024) };
    const response = await app.request('POST', '/entries', { token, body });

    expect(response.status).toBe(413);
  });

  test('PATCH with no field is refused with 422', async () => {
    const created = await create('patch-me');
    const response = await app.request('PATCH', `/entries/${created.id}`, { token, body: {} });

    expect(response.status).toBe(422);
  });

  test('a malformed id is a 422 and a well-formed unknown one a 404', async () => {
    expect((await app.request('GET', '/entries/not-a-uuid', { token })).status).toBe(422);
    const unknown = '01900000-0000-7000-8000-000000000000';
    expect((await app.request('GET', `/entries/${unknown}`, { token })).status).toBe(404);
  });

  test('list limits outside 1 to 100 and foreign cursors are refused with 422', async () => {
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'cursor=bm90LWEtY3Vyc29y']) {
      const response = await app.request('GET', `/entries?${query}`, { token });
      expect(response.status).toBe(422);
    }
  });
});
