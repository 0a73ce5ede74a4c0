import { systemClock, type Clock } from '../shared/clock.ts';

interface Verified {
  userId: string;
  expiresAtMs: number;
}

/**
 * Bearer tokens whose signature and claims were verified already, with the user they name,
 * until they expire. Keyed by the whole compact token, signature included, so only a token
 * identical to a verified one is found. Bounded: past `capacity`, the oldest is forgotten.
 */
export class VerifiedTokens {
  private readonly tokens = new Map<string, Verified>();

  constructor(
    private readonly capacity: number,
    private readonly clock: Clock = systemClock,
  ) {}

  get size(): number {
    return this.tokens.size;
  }

  /** The user id of a verified token that has not expired yet. */
  userIdOf(token: string): string | undefined {
    const verified = this.tokens.get(token);
    if (verified === undefined) return undefined;
    if (this.clock.now() >= verified.expiresAtMs) {
      this.tokens.delete(token);

      return undefined;
    }

    return verified.userId;
  }

  remember(token: string, userId: string, expiresAtMs: number): void {
    if (this.tokens.size >= this.capacity && !this.tokens.has(token)) {
      const oldest = this.tokens.keys().next().value;
      if (oldest !== undefined) this.tokens.delete(oldest);
    }

    this.tokens.set(token, { userId, expiresAtMs });
  }
}
