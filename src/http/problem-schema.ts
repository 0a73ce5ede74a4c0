import { Type } from '@sinclair/typebox';
import { t } from 'elysia';
import { mediaType } from './openapi-normalize.ts';
import {
  Conflict,
  DeadlineExceeded,
  InternalError,
  InvalidInput,
  MalformedBody,
  NotFound,
  PayloadTooLarge,
  RateLimited,
  Unauthorized,
  UnsupportedMediaType,
} from './problems.ts';

const problemKinds = [
  MalformedBody,
  Unauthorized,
  NotFound,
  Conflict,
  PayloadTooLarge,
  UnsupportedMediaType,
  InvalidInput,
  RateLimited,
  InternalError,
  DeadlineExceeded,
] as const;

export type ProblemStatus = InstanceType<(typeof problemKinds)[number]>['status'];

const titles = new Map<number, string>(
  problemKinds.map((Kind) => {
    const { status, title } = new Kind('');

    return [status, title];
  }),
);

/** The fixed title of the problem a status stands for, as error-response.ts sends it. */
export function problemTitle(status: number): string | undefined {
  return titles.get(status);
}

const invalidField = t.Object({
  pointer: t.String({ description: 'Where the input is wrong: `body/title`, `query/limit`…' }),
  detail: t.String({ description: 'The rule it breaks; never the value sent' }),
});

/** The body of every error response, as error-response.ts writes it (RFC 9457). */
export const problem = t.Object(
  {
    type: t.String({ description: 'urn:breakwater:problem:<code>, one per kind of failure' }),
    title: t.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: t.String(),
    requestId: t.String({ description: 'The X-Request-Id of the response' }),
    errors: t.Optional(t.Array(invalidField, { description: 'With 422 only: each invalid field' })),
  },
  { title: 'Problem', ...mediaType('application/problem+json') },
);

/** A route's `response` entries for the problems it can answer with. */
export function problemResponses<Status extends ProblemStatus>(...statuses: Status[]) {
  const entries = statuses.map((status) => [status, problem] as const);

  return Object.fromEntries(entries) as Record<Status, typeof problem>;
}
