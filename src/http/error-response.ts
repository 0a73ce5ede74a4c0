import { NotFoundError, ParseError, ValidationError } from 'elysia';
import type { Logger } from '../observability/logger.ts';
import { DeadlineExceededError } from '../resilience/errors.ts';
import {
  DeadlineExceeded,
  HttpProblem,
  InternalError,
  InvalidInput,
  MalformedBody,
  MethodNotAllowed,
  NotFound,
  type InvalidField,
} from './problems.ts';

const problemContentType = 'application/problem+json';

/** What the request sent, for errors that do not say where they come from. */
export interface SentInput {
  query?: Record<string, unknown>;
  method?: string;
  /** For a request that matched no route: the methods other routes answer at its path. */
  allowedMethods?: readonly string[];
}

/** The one place that turns an error into a response: known problems as they are, the rest 500. */
export function errorResponse(
  error: unknown,
  requestId: string,
  logger: Logger,
  sent: SentInput = {},
): Response {
  const problem = asProblem(error, sent);
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

function asProblem(error: unknown, sent: SentInput): HttpProblem | undefined {
  if (error instanceof HttpProblem) return error;
  if (error instanceof ValidationError) {
    return error.type === 'property' ? unconvertedQuery(error, sent) : invalidInput(error);
  }
  if (error instanceof ParseError) {
    // Elysia wraps whatever a body parser throws, including our own problems.
    if (error.cause instanceof HttpProblem) return error.cause;

    return new MalformedBody('the body is not valid JSON');
  }
  if (error instanceof NotFoundError) {
    const { method = 'this method', allowedMethods = [] } = sent;

    return allowedMethods.length > 0
      ? new MethodNotAllowed(method, allowedMethods)
      : new NotFound('no such route');
  }
  if (error instanceof DeadlineExceededError) {
    return new DeadlineExceeded('the request deadline passed', { cause: error });
  }

  return undefined;
}

// Messages name the offending field and the rule, never the value: it may be a password.
function invalidInput(error: ValidationError): InvalidInput {
  const where = error.type;
  const errors: InvalidField[] = error.all.map((issue) => ({
    pointer: 'path' in issue && issue.path ? `${where}${issue.path}` : where,
    detail: ruleOf(issue),
  }));

  return invalidFields(where, errors);
}

// Elysia converts a numeric query value after the query passed validation, and a value out of
// range then fails as a bare `property` error naming neither the parameter nor the query
// (elysia's compose.ts rethrows TransformDecodeError's inner error, dropping its path). The
// parameter is the one whose text converts to the value that failed.
function unconvertedQuery(error: ValidationError, { query = {} }: SentInput): InvalidInput {
  const detail = ruleOf(error.valueError ?? { message: 'Expected a valid value' });
  const names = Object.entries(query)
    .filter(([, text]) => typeof text === 'string' && Number(text) === error.value)
    .map(([name]) => name);
  if (names.length === 0) return new InvalidInput(`a value does not match the schema: ${detail}`);

  return invalidFields('query', names.map((name) => ({ pointer: `query/${name}`, detail })));
}

function invalidFields(where: string, errors: InvalidField[]): InvalidInput {
  const fields = new Set(errors.map(({ pointer }) => pointer.slice(where.length + 1) || where));
  const named = [...fields].join(', ');

  return new InvalidInput(`the ${where} does not match the schema at ${named}`, errors);
}

// TypeBox cannot describe Elysia's own kinds (t.UnionEnum: "Expected kind 'UnionEnum'"); their
// allowed values are the clearer message.
function ruleOf(issue: { message: string; schema?: unknown }): string {
  const allowed = (issue.schema as { enum?: unknown } | undefined)?.enum;

  return Array.isArray(allowed) ? `Expected one of: ${allowed.join(', ')}` : issue.message;
}
