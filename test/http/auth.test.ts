import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { SignJWT } from 'jose';
import { startTestApp, testSecret, type TestApp } from '../support/test-app.ts';

let app: TestApp;
beforeAll(() => {
  app = startTestApp();
});
afterAll(() => app.close());

const credentials = (email: string) => ({ email, password: 'a long enough password' });

describe('POST /auth/register', () => {
  test('creates an account and answers 201 without the password', async () => {
    const response = await app.request('POST', '/auth/register', {
      body: credentials('Ada@Example.com'),
    });

    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['createdAt', 'email', 'id']);
    expect(body.email).toBe('ada@example.com');
    expect(body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
  });

  test('answers 409 for an email already registered, in any letter case', async () => {
    await app.request('POST', '/auth/register', { body: credentials('twice@example.com') });
    const again = await app.request('POST', '/auth/register', {
      body: credentials('TWICE@example.com'),
    });

    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
  });

  test('answers 422 for a password shorter than 8 or longer than 128 characters', async () => {
    for (const password of ['short', 'x'.repeat(129)]) {
      const response = await app.request('POST', '/auth/register', {
        body: { email: 'pw@example.com', password },
      });
      expect(response.status).toBe(422);
      expect(await response.text()).not.toContain(password);
    }
  });

  test('answers 422 for an invalid email', async () => {
    const response = await app.request('POST', '/auth/register', {
      body: { email: 'not-an-email', password: 'long enough password' },
    });

    expect(response.status).toBe(422);
  });
});

describe('POST /auth/login', () => {
  test('returns a bearer token with its expiry', async () => {
    await app.request('POST', '/auth/register', { body: credentials('login@example.com') });
    const response = await app.request('POST', '/auth/login', {
      body: credentials('login@example.com'),
    });

    expect(response.status).toBe(200);
    const body = (await response.json()) as { token: string; tokenType: string; expiresAt: string };
    expect(body.tokenType).toBe('Bearer');
    expect(body.token.split('.')).toHaveLength(3);
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now() + 50 * 60_000);
  });

  test('answers an unknown email and a wrong password with the same 401', async () => {
    await app.request('POST', '/auth/register', { body: credentials('known@example.com') });
    const wrong = await app.request('POST', '/auth/login', {
      body: { email: 'known@example.com', password: 'not the password' },
    });
    const unknown = await app.request('POST', '/auth/login', {
      body: { email: 'nobody@example.com', password: 'not the password' },
    });

    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = (body: unknown) => ({ ...(body as object), requestId: undefined });
    expect(strip(await wrong.json())).toEqual(strip(await unknown.json()));
  });
});

describe('bearer tokens', () => {
  let userId: string;
  beforeAll(async () => {
    const response = await app.request('POST', '/auth/register', {
      body: credentials('tokens@example.com'),
    });
    userId = ((await response.json()) as { id: string }).id;
  });

  const key = new TextEncoder().encode(testSecret);
  const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
  const status = async (token: string) =>
    (await app.request('GET', '/entries', { token })).status;

  test('a token signed by this service is accepted', async () => {
    const token = await new SignJWT({ sub: userId, exp: inAnHour() })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(key);

    expect(await status(token)).toBe(200);
  });

  test('a token signed with another secret is refused', async () => {
    const token = await new SignJWT({ sub: userId, exp: inAnHour() })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('another-secret-that-is-long-enough-000000'));

    expect(await status(token)).toBe(401);
  });

  test('an expired token is refused', async () => {
    const token = await new SignJWT({ sub: userId, exp: Math.floor(Date.now() / 1000) - 60 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(key);

    expect(await status(token)).toBe(401);
  });

  test('a token accepted before is refused once it has expired', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 1;
    const token = await new SignJWT({ sub: userId, exp: expiresAt })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(key);
    expect(await status(token)).toBe(200);
    expect(await status(token)).toBe(200);

    await Bun.sleep(Math.max(0, expiresAt * 1000 - Date.now()) + 5);

    expect(await status(token)).toBe(401);
  });

  test('a token without exp is refused', async () => {
    const token = await new SignJWT({ sub: userId }).setProtectedHeader({ alg: 'HS256' }).sign(key);

    expect(await status(token)).toBe(401);
  });

  test('a token with alg none is refused', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: userId, exp: inAnHour() })}.`;

    expect(await status(token)).toBe(401);
  });

  test('a token of another HS algorithm with the same secret is refused', async () => {
    const token = await new SignJWT({ sub: userId, exp: inAnHour() })
      .setProtectedHeader({ alg: 'HS512' })
      .sign(key);

    expect(await status(token)).toBe(401);
  });

  test('malformed tokens and headers are refused with problem+json', async () => {
    for (const authorization of ['Bearer', 'Bearer abc', 'Basic dXNlcjpwYXNz', 'Bearer a.b.c', '']) {
      const response = await app.request('GET', '/entries', { headers: { authorization } });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
  });
});
