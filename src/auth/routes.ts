import { Elysia } from 'elysia';
import { deadlineOf } from '../http/deadline-signal.ts';
import { problemResponses } from '../http/problem-schema.ts';
import { Conflict, Unauthorized } from '../http/problems.ts';
import { isoTimestamp, type Clock } from '../shared/clock.ts';
import type { UserRepository } from '../users/repository.ts';
import type { PasswordHasher } from './passwords.ts';
import { accessToken, credentials, registeredUser } from './schemas.ts';
import { tokenPlugin } from './tokens.ts';

export interface AuthRoutesDeps {
  users: UserRepository;
  passwords: PasswordHasher;
  clock: Clock;
  jwtSecret: string;
  jwtTtlMs: number;
}

const badCredentials = () => new Unauthorized('invalid email or password');

export function authRoutes({ users, passwords, clock, jwtSecret, jwtTtlMs }: AuthRoutesDeps) {
  return new Elysia({ prefix: '/auth', tags: ['auth'] })
    .use(tokenPlugin(jwtSecret))
    .post(
      '/register',
      async ({ body, set, request }) => {
        const user = {
          id: Bun.randomUUIDv7(),
          email: body.email.toLowerCase(),
          passwordHash: await passwords.hash(body.password),
          createdAt: isoTimestamp(clock),
        };
        // Hashing takes a while: a request whose 504 was sent meanwhile must create nothing.
        deadlineOf(request).signal.throwIfAborted();
        if (!users.insert(user)) throw new Conflict('this email is already registered');

        set.status = 201;

        return { id: user.id, email: user.email, createdAt: user.createdAt };
      },
      {
        body: credentials,
        response: { 201: registeredUser, ...problemResponses(400, 409, 413, 415, 422, 429, 504) },
        detail: { summary: 'Create an account' },
      },
    )
    .post(
      '/login',
      async ({ body, tokens }) => {
        const user = users.findByEmail(body.email.toLowerCase());
        // Unknown emails are verified against a decoy hash: same answer, same time.
        if (!(await passwords.verify(body.password, user?.passwordHash)) || !user) {
          throw badCredentials();
        }

        // `exp` counts whole seconds: the advertised expiry is that second, not a later moment.
        const exp = Math.floor((clock.now() + jwtTtlMs) / 1000);
        const token = await tokens.sign({ sub: user.id, exp });

        const expiresAt = new Date(exp * 1000).toISOString();

        return { token, tokenType: 'Bearer' as const, expiresAt };
      },
      {
        body: credentials,
        response: { 200: accessToken, ...problemResponses(400, 401, 413, 415, 422, 429, 504) },
        detail: { summary: 'Exchange credentials for an access token' },
      },
    );
}
