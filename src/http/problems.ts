/**
 * Failures that reach a client. Each kind has a stable `code`, an HTTP `status` and a fixed
 * `title`; `detail` says what went wrong in this request and never carries secrets.
 */
export abstract class HttpProblem extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  abstract readonly title: string;
  readonly headers: Record<string, string> = {};
  readonly extensions: Record<string, unknown> = {};

  constructor(detail: string, options?: ErrorOptions) {
    super(detail, options);
    this.name = new.target.name;
  }
}

export class MalformedBody extends HttpProblem {
  readonly status = 400;
  readonly code = 'malformed_body';
  readonly title = 'Malformed request body';
}

export class Unauthorized extends HttpProblem {
  readonly status = 401;
  readonly code = 'unauthorized';
  readonly title = 'Unauthorized';
  override readonly headers = { 'www-authenticate': 'Bearer' };
}

export class NotFound extends HttpProblem {
  readonly status = 404;
  readonly code = 'not_found';
  readonly title = 'Not found';
}

export class MethodNotAllowed extends HttpProblem {
  readonly status = 405;
  readonly code = 'method_not_allowed';
  readonly title = 'Method not allowed';

  constructor(method: string, allowed: readonly string[]) {
    super(`${method} is not one of the methods of this resource: ${allowed.join(', ')}`);
    this.headers.allow = allowed.join(', ');
  }
}

export class Conflict extends HttpProblem {
  readonly status = 409;
  readonly code = 'conflict';
  readonly title = 'Conflict';
}

export class PayloadTooLarge extends HttpProblem {
  readonly status = 413;
  readonly code = 'payload_too_large';
  readonly title = 'Payload too large';
  // The rest of the body was never read: the connection cannot carry another request, and
  // left open it would hold a graceful shutdown until SHUTDOWN_TIMEOUT.
  override readonly headers = { connection: 'close' };
}

export class UnsupportedMediaType extends HttpProblem {
  readonly status = 415;
  readonly code = 'unsupported_media_type';
  readonly title = 'Unsupported media type';
}

export interface InvalidField {
  pointer: string;
  detail: string;
}

export class InvalidInput extends HttpProblem {
  readonly status = 422;
  readonly code = 'invalid_input';
  readonly title = 'Invalid input';

  constructor(detail: string, errors: InvalidField[] = []) {
    super(detail);
    if (errors.length > 0) this.extensions.errors = errors;
  }
}

/** Anything not meant to reach a client; its detail never says what went wrong. */
export class InternalError extends HttpProblem {
  readonly status = 500;
  readonly code = 'internal';
  readonly title = 'Internal server error';
}

export class DeadlineExceeded extends HttpProblem {
  readonly status = 504;
  readonly code = 'deadline_exceeded';
  readonly title = 'Deadline exceeded';
}

export class RateLimited extends HttpProblem {
  readonly status = 429;
  readonly code = 'rate_limited';
  readonly title = 'Too many requests';
}
