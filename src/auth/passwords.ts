import { Semaphore } from '../shared/semaphore.ts';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string | undefined): Promise<boolean>;
}

export interface PasswordHasherOptions {
  /** Hashes computed at once; argon2id is memory-hard, so this bounds memory and CPU. */
  concurrency: number;
  memoryCostKib?: number;
  timeCost?: number;
}

/**
 * argon2id through Bun.password. `verify` with no stored hash still does the full work
 * against a fixed hash, so an unknown email and a wrong password take the same time.
 */
export function createPasswordHasher(options: PasswordHasherOptions): PasswordHasher {
  const slots = new Semaphore(options.concurrency);
  const algorithm = {
    algorithm: 'argon2id' as const,
    memoryCost: options.memoryCostKib ?? 19456,
    timeCost: options.timeCost ?? 2,
  };
  let decoyHash: Promise<string> | undefined;
  const decoy = () => (decoyHash ??= Bun.password.hash(crypto.randomUUID(), algorithm));

  return {
    hash: (password) => slots.run(() => Bun.password.hash(password, algorithm)),
    async verify(password, hash) {
      const target = hash ?? (await decoy());
      const matches = await slots.run(() => Bun.password.verify(password, target, 'argon2id'));

      return matches && hash !== undefined;
    },
  };
}
