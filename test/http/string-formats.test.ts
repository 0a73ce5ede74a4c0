import { FormatRegistry } from '@sinclair/typebox';
import { afterAll, describe, expect, test } from 'bun:test';
import { stringFormatChecks } from '../../src/http/string-formats.ts';
import { startTestApp } from '../support/test-app.ts';

const { uuid, email } = stringFormatChecks as Record<'uuid' | 'email', (value: string) => boolean>;

describe('string format checks', () => {
  test('uuid accepts RFC 9562 versions and rejects anything else', () => {
    expect(uuid(Bun.randomUUIDv7())).toBe(true);
    expect(uuid(crypto.randomUUID())).toBe(true);
    expect(uuid(crypto.randomUUID().toUpperCase())).toBe(true);
    expect(uuid('00000000-0000-0000-0000-000000000000')).toBe(true);
    expect(uuid('ffffffff-ffff-ffff-ffff-ffffffffffff')).toBe(true);

    expect(uuid('not-a-uuid')).toBe(false);
    expect(uuid('01a23d1b-f93f-03fd-983a-bec2631a752c')).toBe(false); // version 0
    expect(uuid('01a23d1b-f93f-73fd-783a-bec2631a752c')).toBe(false); // variant 0xxx
    expect(uuid(`${Bun.randomUUIDv7()}0`)).toBe(false);
    expect(uuid(` ${Bun.randomUUIDv7()}`)).toBe(false);
    expect(uuid(`urn:uuid:${Bun.randomUUIDv7()}`)).toBe(false);
  });

  test('email accepts ordinary addresses and rejects malformed ones', () => {
    expect(email('ada@example.com')).toBe(true);
    expect(email('first.last+tag@mail.example.co.uk')).toBe(true);

    for (const malformed of [
      'not-an-email', 'a@b', '@example.com', 'a@', 'a..b@example.com', '.a@example.com',
      'a.@example.com', 'a@-example.com', 'a@example-.com', 'a b@example.com', 'a@example.c0m',
    ]) {
      expect(email(malformed)).toBe(false);
    }
  });
});

describe('the app', () => {
  const app = startTestApp();
  afterAll(() => app.close());

  // The OpenAPI plugin registers its own checks for these formats when its module loads;
  // building the app must leave ours in place.
  test('validates with these checks, not the ones the OpenAPI plugin registers', () => {
    expect(FormatRegistry.Get('uuid')).toBe(stringFormatChecks.uuid);
    expect(FormatRegistry.Get('email')).toBe(stringFormatChecks.email);
  });

  test('answers a malformed entry id with a problem, not a lookup', async () => {
    const token = await app.signIn();
    const response = await app.request('GET', '/entries/01a23d1b-f93f-03fd-983a-bec2631a752c', {
      token,
    });

    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});
