import { t } from 'elysia';

export const credentials = t.Object(
  {
    email: t.String({ format: 'email', maxLength: 254 }),
    password: t.String({ minLength: 8, maxLength: 128 }),
  },
  { additionalProperties: false },
);

export const registeredUser = t.Object({
  id: t.String({ format: 'uuid' }),
  email: t.String(),
  createdAt: t.String({ format: 'date-time' }),
});

export const accessToken = t.Object({
  token: t.String(),
  tokenType: t.Literal('Bearer'),
  expiresAt: t.String({ format: 'date-time' }),
});
