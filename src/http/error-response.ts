import { NotFoundError, ParseError, ValidationError } from 'elysia';
import type { Logger } from '../observability/logger.ts';
import { DeadlineExceededError } from '../resilience/errors.ts';
import {
  DeadlineExceeded,
  HttpProblem,
  InternalError,
  InvalidInput,
  MalformedBody,
  NotFound,
  type InvalidField,
} from './problems.ts';

const problemContentType = 'application/problem+json';

/** The one place that turns an error into a response: known problems as they are, the rest 500. */
export function errorResponse(error: unknown, requestId: string, logger: Logger): Response {
  const problem = asProblem(error);
  if (!problem) {
    logger.error({ err: error, requestId }, 'unhandled error');

    return problemResponse(new InternalError('unexpected error'), requestId);
  }

  return problemResponse(problem, requestId);
}

export function problemResponse(problem: HttpProblem, requestId: string): Response {
  const body = {
    type: `urn:breakwater:problem:${problem.code}`,
    title: problem.title,
    status: problem.status,
    detail: problem.message,
    requestId,
    ...problem.extensions,
  };

  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { 'content-type': problemContentType, 'x-request-id': requestId, ...problem.headers },
  });
}

function asProblem(error: unknown): HttpProblem | undefined {
  if (error instanceof HttpProblem) return error;
  if (error instanceof ValidationError) return invalidInput(error);
  if (error instanceof ParseError) {
    // Elysia wraps whatever a body parser throws, including our own problems.
    if (error.cause instanceof HttpProblem) return error.cause;

    return new MalformedBody('the body is not valid JSON');
  }
  if (error instanceof NotFoundError) return new NotFound('no such route');
  if (error instanceof DeadlineExceededError) {
    return new DeadlineExceeded('the request deadline passed', { cause: error });
  }

  return undefined;
}

function invalidInput(error: ValidationError): InvalidInput {
  const where = error.type;
  // Messages name the offending field and the rule, never the value: it may be a password.
  const errors: InvalidField[] = error.all.map((issue) => ({
    pointer: 'path' in issue ? `${where}${issue.path}` : where,
    detail: issue.message,
  }));

  return new InvalidInput(`the ${where} does not match the schema`, errors);
}
