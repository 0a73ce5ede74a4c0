import { checkJsonShape } from './json-shape.ts';
import { MalformedBody, PayloadTooLarge, UnsupportedMediaType } from './problems.ts';

// Decoding without `stream` keeps no state between calls: one decoder serves every body.
const utf8 = new TextDecoder('utf-8', { fatal: true });

const jsonMediaType = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

/**
 * Reads a request body as JSON within the size limit and the shape limits of `checkJsonShape`.
 * An empty body is `undefined`, left to the route's schema to refuse; anything but JSON is a 415.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const bytes = await readAtMost(request, maxBytes);
  if (bytes.byteLength === 0) return undefined;
  if (!jsonMediaType.test(request.headers.get('content-type') ?? '')) {
    throw new UnsupportedMediaType('bodies must be application/json');
  }

  let body: unknown;
  try {
    body = JSON.parse(utf8.decode(bytes));
  } catch (error) {
    throw new MalformedBody('the body is not valid UTF-8 JSON', { cause: error });
  }
  checkJsonShape(body);

  return body;
}

export function bodyTooLarge(maxBytes: number): PayloadTooLarge {
  return new PayloadTooLarge(`the body is larger than ${maxBytes} bytes`);
}

// Streams the body and stops at the limit, so a chunked body without Content-Length is
// refused as soon as it passes the limit instead of being buffered whole first.
async function readAtMost(request: Request, maxBytes: number): Promise<Uint8Array> {
  const reader = request.body?.getReader();
  if (!reader) return new Uint8Array();

  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }

  return new Uint8Array(Bun.concatArrayBuffers(chunks));
}
