import { Elysia } from 'elysia';
import type { Logger } from '../observability/logger.ts';
import { errorResponse } from './error-response.ts';
import { readJsonBody } from './json-body.ts';
import { PayloadTooLarge } from './problems.ts';
import { contextOf } from './request-context.ts';

export interface RequestLifecycleDeps {
  logger: Logger;
  maxBodySizeBytes: number;
  requestTimeoutMs: number;
}

/**
 * Runs first for every request: request id, the deadline signal, body admission (size and
 * media type) and the one mapping of errors to problem+json responses.
 */
export function requestLifecycle({ logger, maxBodySizeBytes, requestTimeoutMs }: RequestLifecycleDeps) {
  return new Elysia({ name: 'request-lifecycle' })
    .onRequest(({ request, set }) => {
      const context = contextOf(request);
      context.deadline ??= AbortSignal.any([request.signal, AbortSignal.timeout(requestTimeoutMs)]);
      set.headers['x-request-id'] = context.id;

      const declared = request.headers.get('content-length');
      if (declared !== null && Number(declared) > maxBodySizeBytes) {
        throw new PayloadTooLarge(`the body is larger than ${maxBodySizeBytes} bytes`);
      }
    })
    .onParse({ as: 'global' }, ({ request }) => readJsonBody(request, maxBodySizeBytes))
    .onError({ as: 'global' }, ({ error, request }) =>
      errorResponse(error, contextOf(request).id, logger),
    );
}
