import { t } from 'elysia';

const title = t.String({ minLength: 1, maxLength: 200 });
const body = t.String({ maxLength: 100_000 });

export const entryId = t.Object({ id: t.String({ format: 'uuid' }) });

export const newEntry = t.Object({ title, body }, { additionalProperties: false });

export const entryChanges = t.Object(
  { title: t.Optional(title), body: t.Optional(body) },
  { additionalProperties: false, minProperties: 1 },
);

export const listQuery = t.Object(
  {
    limit: t.Optional(t.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: t.Optional(t.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const entry = t.Object({
  id: t.String({ format: 'uuid' }),
  title: t.String(),
  body: t.String(),
  createdAt: t.String({ format: 'date-time' }),
  updatedAt: t.String({ format: 'date-time' }),
});

export const entryPage = t.Object({
  items: t.Array(entry),
  nextCursor: t.Union([t.String(), t.Null()]),
});
