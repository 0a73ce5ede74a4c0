import { describe, expect, test } from 'bun:test';
import { requestUserId } from '../../src/auth/tokens.ts';
import { VerifiedTokens } from '../../src/auth/verified-tokens.ts';
import { fakeClock } from '../support/fake-clock.ts';

describe('VerifiedTokens', () => {
  test('knows a remembered token until the moment it expires', () => {
    const clock = fakeClock();
    const tokens = new VerifiedTokens(10, clock);
    tokens.remember('a.b.c', 'user-1', clock.now() + 1_000);

    expect(tokens.userIdOf('a.b.c')).toBe('user-1');
    expect(tokens.userIdOf('a.b.d')).toBeUndefined();
    clock.advance(999);
    expect(tokens.userIdOf('a.b.c')).toBe('user-1');
    clock.advance(1);
    expect(tokens.userIdOf('a.b.c')).toBeUndefined();
    expect(tokens.size).toBe(0);
  });

  test('forgets the oldest token past its capacity', () => {
    const clock = fakeClock();
    const tokens = new VerifiedTokens(2, clock);
    const later = clock.now() + 60_000;
    tokens.remember('t1', 'u1', later);
    tokens.remember('t2', 'u2', later);
    tokens.remember('t2', 'u2', later);
    expect(tokens.size).toBe(2);

    tokens.remember('t3', 'u3', later);

    expect(tokens.size).toBe(2);
    expect(tokens.userIdOf('t1')).toBeUndefined();
    expect(tokens.userIdOf('t2')).toBe('u2');
    expect(tokens.userIdOf('t3')).toBe('u3');
  });
});

describe('requestUserId', () => {
  test('verifies a token once, then knows it from later requests', async () => {
    let verifications = 0;
    const exp = Math.floor(Date.now() / 1000) + 60;
    const verifier = {
      verify: async () => {
        verifications++;

        return { sub: 'user-7', exp };
      },
    };
    const request = () =>
      new Request('http://localhost/entries', { headers: { authorization: 'Bearer aa.bb.cc' } });

    expect(await requestUserId(verifier, request())).toBe('user-7');
    expect(await requestUserId(verifier, request())).toBe('user-7');
    expect(verifications).toBe(1);

    const otherVerifier = { verify: async () => false };
    expect(await requestUserId(otherVerifier, request())).toBeUndefined();
  });
});
