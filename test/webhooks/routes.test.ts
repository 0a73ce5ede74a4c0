import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let app: TestApp;
let token: string;
beforeAll(async () => {
  app = startTestApp();
  token = await app.signIn();
});
afterAll(() => app.close());

interface Webhook {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
  secret?: string;
}

// Nothing listens there: deliveries to it fail, which these tests do not wait for.
const url = 'http://127.0.0.1:9/hooks';

const subscribe = (body: unknown, as = token) =>
  app.request('POST', '/webhooks', { token: as, body });

async function created(events = ['entry.created'], as = token): Promise<Webhook> {
  const response = await subscribe({ url, events }, as);
  expect(response.status).toBe(201);

  return (await response.json()) as Webhook;
}

describe('webhooks', () => {
  test('are created with a signing secret shown once, listed and deleted by their owner', async () => {
    const owner = await app.signIn();
    const webhook = await created(['entry.created', 'entry.deleted'], owner);
    expect(Object.keys(webhook).sort()).toEqual(['createdAt', 'events', 'id', 'secret', 'url']);
    expect(webhook).toMatchObject({ url, events: ['entry.created', 'entry.deleted'] });
    expect(webhook.secret).toStartWith('whsec_');

    const listed = await app.request('GET', '/webhooks', { token: owner });
    expect(listed.status).toBe(200);
    const { secret: _, ...withoutSecret } = webhook;
    expect(await listed.json()).toEqual({ items: [withoutSecret] });

    expect((await app.request('DELETE', `/webhooks/${webhook.id}`, { token: owner })).status).toBe(
      204,
    );
    expect((await app.request('DELETE', `/webhooks/${webhook.id}`, { token: owner })).status).toBe(
      404,
    );
    expect(await (await app.request('GET', '/webhooks', { token: owner })).json()).toEqual({
      items: [],
    });
  });

  test.each([
    [
      'a URL that is not http or https',
      { url: 'ftp://example.com/hook', events: ['entry.created'] },
    ],
    ['no URL at all', { url: 'not a url', events: ['entry.created'] }],
    ['no events', { url, events: [] }],
    ['an unknown event', { url, events: ['entry.read'] }],
    ['the same event twice', { url, events: ['entry.created', 'entry.created'] }],
    ['an unknown field', { url, events: ['entry.created'], secret: 'mine' }],
    [
      'credentials in the URL',
      { url: 'https://user:pass@example.com/hook', events: ['entry.created'] },
    ],
  ])('refuses %s with 422 and stores nothing', async (_case, body) => {
    const owner = await app.signIn();
    const response = await subscribe(body, owner);

    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toStartWith('application/problem+json');
    expect(await (await app.request('GET', '/webhooks', { token: owner })).json()).toEqual({
      items: [],
    });
  });

  test('keep the URL in its normal form, and their secret out of the log', async () => {
    const owner = await app.signIn();
    const response = await subscribe(
      { url: ' HTTP://Example.COM:80/a/../hook', events: ['entry.created'] },
      owner,
    );
    const { url: stored, secret } = (await response.json()) as Webhook;

    expect(stored).toBe('http://example.com/hook');
    expect(app.logLines.some((line) => line.includes(secret!))).toBe(false);
  });

  test('refuse a deliveries cursor they did not issue with 422', async () => {
    const webhook = await created();

    const response = await app.request('GET', `/webhooks/${webhook.id}/deliveries?cursor=bm9wZQ`, {
      token,
    });

    expect(response.status).toBe(422);
  });

  test("are another user's business: 404 for their deliveries and their deletion", async () => {
    const webhook = await created();
    const stranger = await app.signIn();

    const deliveries = await app.request('GET', `/webhooks/${webhook.id}/deliveries`, {
      token: stranger,
    });
    const deletion = await app.request('DELETE', `/webhooks/${webhook.id}`, { token: stranger });

    expect(deliveries.status).toBe(404);
    expect(deletion.status).toBe(404);
    expect((await app.request('GET', `/webhooks/${webhook.id}/deliveries`, { token })).status).toBe(
      200,
    );
  });

  test('are limited per user, since every entry write fans out to each of them', async () => {
    const owner = await app.signIn();
    for (let index = 0; index < 10; index++) await created(['entry.updated'], owner);

    const response = await subscribe({ url, events: ['entry.updated'] }, owner);

    expect(response.status).toBe(409);
    expect(((await response.json()) as { detail: string }).detail).toContain('at most 10');
  });

  test('need a signed-in user', async () => {
    expect((await app.request('GET', '/webhooks')).status).toBe(401);
    expect(
      (await app.request('POST', '/webhooks', { body: { url, events: ['entry.created'] } })).status,
    ).toBe(401);
  });

  test('list deliveries newest first, a page at a time', async () => {
    const owner = await app.signIn();
    const webhook = await created(['entry.created'], owner);
    for (let index = 0; index < 3; index++) {
      await app.request('POST', '/entries', {
        token: owner,
        body: { title: `t${index}`, body: 'b' },
      });
    }

    const path = `/webhooks/${webhook.id}/deliveries`;
    const first = (await (
      await app.request('GET', `${path}?limit=2`, { token: owner })
    ).json()) as {
      items: { id: string; event: string }[];
      nextCursor: string | null;
    };
    expect(first.items).toHaveLength(2);
    expect(first.items.every(({ event }) => event === 'entry.created')).toBe(true);
    expect(first.nextCursor).not.toBeNull();

    const rest = await app.request('GET', `${path}?limit=2&cursor=${first.nextCursor}`, {
      token: owner,
    });
    const second = (await rest.json()) as { items: { id: string }[]; nextCursor: string | null };
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const ids = [...first.items, ...second.items].map(({ id }) => id);
    expect(ids).toEqual([...ids].sort().reverse());
  });
});
