import { t } from 'elysia';
import { mediaType } from '../http/openapi-normalize.ts';

const checkStatus = t.Union([t.Literal('pass'), t.Literal('warn'), t.Literal('fail')]);

export const liveness = t.Object(
  { status: t.Literal('pass') },
  { description: 'The process answers' },
);

export const readiness = t.Object(
  {
    status: checkStatus,
    checks: t.Record(t.String(), t.Object({ status: checkStatus, output: t.Optional(t.String()) })),
  },
  {
    description: 'pass or warn (degraded) with 200; fail with 503',
    ...mediaType('application/health+json'),
  },
);
