import { isMissingReference } from '../db/missing-reference.ts';
import { Unauthorized } from '../http/problems.ts';

/**
 * Runs a write owned by the signed-in user. A valid token can name a user the database no
 * longer has (it was restored from a backup, or created anew under the same JWT_SECRET): the
 * write is then refused as unauthenticated instead of failing on its foreign key.
 */
export function asExistingUser<T>(write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (isMissingReference(error)) {
      throw new Unauthorized('the token names a user that does not exist', { cause: error });
    }

    throw error;
  }
}
