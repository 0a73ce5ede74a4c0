import { describe, expect, test } from 'bun:test';
import { newWebhookSecret, signedHeaders } from '../../src/webhooks/signature.ts';

describe('webhook signatures', () => {
  // The example of the Standard Webhooks specification.
  test('match the Standard Webhooks example', () => {
    const headers = signedHeaders(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    );

    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  test('secrets are whsec_ and 32 random bytes, different every time', () => {
    const [first, second] = [newWebhookSecret(), newWebhookSecret()];

    expect(first).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(first.slice(6), 'base64')).toHaveLength(32);
    expect(first).not.toBe(second);
  });
});
