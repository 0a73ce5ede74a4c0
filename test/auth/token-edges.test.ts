import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { decodeJwt, SignJWT } from 'jose';
import { bearerToken } from '../../src/auth/tokens.ts';
import { startTestApp, testSecret, type TestApp } from '../support/test-app.ts';

let app: TestApp;
beforeAll(() => {
  app = startTestApp();
});
afterAll(() => app.close());

describe('bearer tokens', () => {
  test('are read whatever the case of the scheme (RFC 9110), and nothing else is', () => {
    expect(bearerToken('Bearer a.b.c')).toBe('a.b.c');
    expect(bearerToken('bearer a.b.c')).toBe('a.b.c');
    expect(bearerToken('BEARER  a.b.c')).toBe('a.b.c');
    expect(bearerToken('Basic a.b.c')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
  });

  test('expire at the moment login advertises, not later', async () => {
    const credentials = { email: 'expiry@example.com', password: 'correct horse battery' };
    await app.request('POST', '/auth/register', { body: credentials });
    const login = await app.request('POST', '/auth/login', { body: credentials });
    const { token, expiresAt } = (await login.json()) as { token: string; expiresAt: string };

    expect(Date.parse(expiresAt)).toBe((decodeJwt(token).exp ?? 0) * 1000);
  });

  test('naming a user the database lacks get 401 for writes, and nothing is stored', async () => {
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const ghost = await new SignJWT({ sub: Bun.randomUUIDv7(), exp })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(testSecret));
    const entry = await app.request('POST', '/entries', {
      token: ghost,
      body: { title: 't', body: 'b' },
    });
    const webhook = await app.request('POST', '/webhooks', {
      token: ghost,
      body: { url: 'http://127.0.0.1:9/hook', events: ['entry.created'] },
    });
    const stored = app.services.database.sqlite
      .query<{ count: number }, []>(
        'select (select count(*) from entries) + (select count(*) from webhooks) as count',
      )
      .get();

    expect([entry.status, webhook.status]).toEqual([401, 401]);
    expect(entry.headers.get('content-type')).toBe('application/problem+json');
    expect(stored?.count).toBe(0);
  });
});
