import { SQLiteError } from 'bun:sqlite';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { users } from '../db/schema.ts';

export interface User {
  id: string;
  email: string;
  passwordHash: string;
  createdAt: string;
}

export interface UserRepository {
  /** Returns false when the email is already registered. */
  insert(user: User): boolean;
  findByEmail(email: string): User | undefined;
}

export function createUserRepository(db: Db): UserRepository {
  const insert = db
    .insert(users)
    .values({
      id: sql.placeholder('id'),
      email: sql.placeholder('email'),
      passwordHash: sql.placeholder('passwordHash'),
      createdAt: sql.placeholder('createdAt'),
    })
    .prepare();
  const byEmail = db
    .select()
    .from(users)
    .where(eq(users.email, sql.placeholder('email')))
    .prepare();

  return {
    insert(user) {
      try {
        insert.run({ ...user });

        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },
    findByEmail: (email) => byEmail.get({ email }),
  };
}

function isUniqueViolation(error: unknown): boolean {
  const cause = error instanceof Error && error.cause instanceof SQLiteError ? error.cause : error;

  return cause instanceof SQLiteError && cause.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
