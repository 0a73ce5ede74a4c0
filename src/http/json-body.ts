import { MalformedBody, PayloadTooLarge, UnsupportedMediaType } from './problems.ts';

const jsonMediaType = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

/**
 * Reads a request body as JSON within the size limit. An empty body is `undefined`, left to
 * the route's schema to refuse; anything but JSON is a 415.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength === 0) return undefined;
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
  if (!jsonMediaType.test(request.headers.get('content-type') ?? '')) {
    throw new UnsupportedMediaType('bodies must be application/json');
  }

  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new MalformedBody('the body is not valid UTF-8 JSON', { cause: error });
  }
}

function tooLarge(maxBytes: number): PayloadTooLarge {
  return new PayloadTooLarge(`the body is larger than ${maxBytes} bytes`);
}
