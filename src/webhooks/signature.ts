import { createHmac, randomBytes } from 'node:crypto';

// The Standard Webhooks scheme (standardwebhooks.com), so that receivers can verify with any
// of its libraries: `whsec_` and a base64 key; the signature is HMAC-SHA256 over
// `{id}.{timestamp}.{body}`, sent as `v1,{base64}`.
const secretPrefix = 'whsec_';

export function newWebhookSecret(): string {
  return `${secretPrefix}${randomBytes(32).toString('base64')}`;
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export function signedHeaders(
  secret: string,
  deliveryId: string,
  timestampS: number,
  body: string,
): SignedHeaders {
  const key = Buffer.from(secret.slice(secretPrefix.length), 'base64');
  const signature = createHmac('sha256', key)
    .update(`${deliveryId}.${timestampS}.${body}`)
    .digest('base64');

  return {
    'webhook-id': deliveryId,
    'webhook-timestamp': String(timestampS),
    'webhook-signature': `v1,${signature}`,
  };
}
