/** A benchmarked variant: runs `iterations` calls and returns when the last one settled. */
export type Loop = (iterations: number) => Promise<void>;

export interface RoundLimits {
  iterations: number;
  minRounds: number;
  maxRounds: number;
  /** No round starts after this much time has passed. */
  budgetMs: number;
}

export interface Measured {
  /** ns per call of every round, in round order, per variant. */
  samples: Record<string, number[]>;
  rounds: number;
  elapsedMs: number;
}

/**
 * Runs every variant once per round, rotating their order from round to round so that no
 * variant always follows the same neighbour; a first round warms the JIT and is dropped.
 */
export async function measureInterleaved(
  variants: Record<string, Loop>,
  limits: RoundLimits,
): Promise<Measured> {
  const names = Object.keys(variants);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const startedAt = performance.now();

  for (const name of names) await variants[name]?.(limits.iterations);

  let rounds = 0;
  while (rounds < limits.maxRounds) {
    const elapsed = performance.now() - startedAt;
    if (rounds >= limits.minRounds && elapsed > limits.budgetMs) break;

    for (let offset = 0; offset < names.length; offset++) {
      const name = names[(rounds + offset) % names.length] ?? '';
      Bun.gc(true);
      const begin = Bun.nanoseconds();
      await variants[name]?.(limits.iterations);
      samples[name]?.push((Bun.nanoseconds() - begin) / limits.iterations);
    }

    rounds++;
  }

  return { samples, rounds, elapsedMs: performance.now() - startedAt };
}

