import type { ClaimedDelivery } from './delivery-repository.ts';
import { signedHeaders } from './signature.ts';
import type { WebhookTarget } from './webhook-repository.ts';

export interface SendResult {
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
}

const errorTextLimit = 300;

/**
 * POSTs the delivery's payload once, signed. Delivered means a 2xx within `timeoutMs`;
 * redirects are not followed. Never throws: a failure is a result.
 */
export async function sendDelivery(
  target: WebhookTarget,
  delivery: ClaimedDelivery,
  options: { timeoutMs: number; signal: AbortSignal; nowMs: number; userAgent: string },
): Promise<SendResult> {
  const timestampS = Math.floor(options.nowMs / 1000);
  const headers = {
    'content-type': 'application/json',
    'user-agent': options.userAgent,
    ...signedHeaders(target.secret, delivery.id, timestampS, delivery.payload),
  };
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers,
      body: delivery.payload,
      redirect: 'manual',
      signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]),
    });
    // The receiver's body is of no use here; not reading it frees the connection sooner.
    await response.body?.cancel();
    const delivered = response.status >= 200 && response.status < 300;

    return {
      delivered,
      statusCode: response.status,
      error: delivered ? null : `answered ${response.status}`,
    };
  } catch (error) {
    return { delivered: false, statusCode: null, error: failureText(error, options.timeoutMs) };
  }
}

function failureText(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `no answer within ${timeoutMs} ms`;
  }
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);

  return text.slice(0, errorTextLimit);
}
