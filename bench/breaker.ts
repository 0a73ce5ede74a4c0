import {
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleAll,
  retry,
  wrap,
} from 'cockatiel';
import Opossum from 'opossum';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { median, measureInterleaved, round1, type Loop } from './measure.ts';
import { CircuitBreaker } from '../src/resilience/breaker.ts';
import { BreakerOpenError } from '../src/resilience/errors.ts';
import { ResilientExecutor } from '../src/resilience/executor.ts';
import { RetryBudget } from '../src/resilience/retry-budget.ts';
import { RetryPolicy } from '../src/resilience/retry.ts';

// Same policy everywhere: open after 5 consecutive failures, 30 s cooldown, 3 attempts.
const threshold = 5;
const cooldownMs = 30_000;
const limits = { iterations: 100_000, minRounds: 5, maxRounds: 15, budgetMs: 35_000 };
const resultPath = resolve(import.meta.dir, 'results/breaker.json');

async function work(): Promise<number> {
  return 1;
}

async function failing(): Promise<number> {
  throw new Error('down');
}

const retryOptions = { attempts: 3, firstDelayMs: 100, growthFactor: 2, maxDelayMs: 1_000 };
const breaker = new CircuitBreaker({ name: 'bench', failureThreshold: threshold, cooldownMs });
const retryBreaker = new ResilientExecutor({
  name: 'bench',
  breaker: new CircuitBreaker({ name: 'bench', failureThreshold: threshold, cooldownMs }),
  retry: new RetryPolicy({ name: 'bench', ...retryOptions }),
});
const budgetedRetryBreaker = new ResilientExecutor({
  name: 'bench',
  breaker: new CircuitBreaker({ name: 'bench', failureThreshold: threshold, cooldownMs }),
  retry: new RetryPolicy({
    name: 'bench',
    ...retryOptions,
    budget: new RetryBudget({ ratio: 0.1, windowMs: 10_000, minRetriesPerSecond: 1 }),
  }),
});
const idempotent = { idempotent: true };
const openBreaker = new CircuitBreaker({ name: 'bench', failureThreshold: 1, cooldownMs: 1e12 });

const cockatielBreaker = () =>
  circuitBreaker(handleAll, {
    halfOpenAfter: cooldownMs,
    breaker: new ConsecutiveBreaker(threshold),
  });
const cockatiel = cockatielBreaker();
const cockatielRetryBreaker = wrap(
  retry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff() }),
  cockatielBreaker(),
);
const cockatielOpen = cockatielBreaker();
const opossum = new Opossum(work);
const opossumNoTimeout = new Opossum(work, { timeout: false });
const opossumOpen = new Opossum(work);
const preallocated = new Error('open');
const ignore = (): void => {};
let handWrittenFailures = 0;

/** The smallest breaker one would write inline: a flag, a counter, an async frame. */
async function handWrittenCheck(): Promise<number> {
  if (handWrittenFailures >= threshold) throw preallocated;
  try {
    const value = await work();
    handWrittenFailures = 0;

    return value;
  } catch (error) {
    handWrittenFailures++;
    throw error;
  }
}

async function tripAll(): Promise<void> {
  await openBreaker.execute(failing).catch(() => {});
  for (let i = 0; i < threshold; i++) await cockatielOpen.execute(failing).catch(() => {});
  opossumOpen.open();
}

/**
 * Ours first, then the libraries, then reference points. The `*_reject` rows await a
 * rejection inside try/catch; the `*_catch` rows hand it to .catch(): the engine's floor for
 * each idiom is the matching `raw_` row. `open_decision` is the breaker's own synchronous
 * refusal, without any promise.
 */
const variants: Record<string, Loop> = {
  raw: async (n) => {
    for (let i = 0; i < n; i++) await work();
  },
  breaker: async (n) => {
    for (let i = 0; i < n; i++) await breaker.execute(work);
  },
  retry_breaker: async (n) => {
    for (let i = 0; i < n; i++) await retryBreaker.execute(work, idempotent);
  },
  open_reject: async (n) => {
    for (let i = 0; i < n; i++) {
      try {
        await openBreaker.execute(work);
      } catch {}
    }
  },
  cockatiel_breaker: async (n) => {
    for (let i = 0; i < n; i++) await cockatiel.execute(work);
  },
  cockatiel_retry_breaker: async (n) => {
    for (let i = 0; i < n; i++) await cockatielRetryBreaker.execute(work);
  },
  opossum: async (n) => {
    for (let i = 0; i < n; i++) await opossum.fire();
  },
  retry_budget_breaker: async (n) => {
    for (let i = 0; i < n; i++) await budgetedRetryBreaker.execute(work, idempotent);
  },
  open_reject_catch: async (n) => {
    for (let i = 0; i < n; i++) await openBreaker.execute(work).catch(ignore);
  },
  open_decision: async (n) => {
    let admitted = 0;
    for (let i = 0; i < n; i++) if (!(openBreaker.acquire() instanceof BreakerOpenError)) admitted++;
    if (admitted > 0) throw new Error('an open breaker admitted a call');
  },
  raw_reject: async (n) => {
    for (let i = 0; i < n; i++) {
      try {
        await Promise.reject(preallocated);
      } catch {}
    }
  },
  raw_reject_catch: async (n) => {
    for (let i = 0; i < n; i++) await Promise.reject(preallocated).catch(ignore);
  },
  hand_written_check: async (n) => {
    for (let i = 0; i < n; i++) await handWrittenCheck();
  },
  cockatiel_open_reject: async (n) => {
    for (let i = 0; i < n; i++) {
      try {
        await cockatielOpen.execute(work);
      } catch {}
    }
  },
  opossum_no_timeout: async (n) => {
    for (let i = 0; i < n; i++) await opossumNoTimeout.fire();
  },
  opossum_open_reject: async (n) => {
    for (let i = 0; i < n; i++) {
      try {
        await opossumOpen.fire();
      } catch {}
    }
  },
};

await tripAll();
if (openBreaker.stateName !== 'open') throw new Error('the open-state breaker did not open');

const measured = await measureInterleaved(variants, limits);
for (const circuit of [opossum, opossumNoTimeout, opossumOpen]) circuit.shutdown();

const ns = Object.fromEntries(
  Object.entries(measured.samples).map(([name, samples]) => [name, round1(median(samples))]),
) as Record<keyof typeof variants, number>;
const overhead = (name: string) => (ns[name] ?? Number.NaN) - (ns.raw ?? Number.NaN);
const breakerRatio = overhead('breaker') / overhead('cockatiel_breaker');
const retryBreakerRatio = overhead('retry_breaker') / overhead('cockatiel_retry_breaker');

/** The same ratio computed within each round, where neighbours share the machine's load. */
function pairedRatio(ours: string, theirs: string): number {
  const { samples } = measured;
  const perRound = (samples.raw ?? []).map((raw, round) => {
    const mine = (samples[ours]?.[round] ?? Number.NaN) - raw;

    return mine / ((samples[theirs]?.[round] ?? Number.NaN) - raw);
  });

  return median(perRound);
}
const targets = {
  breaker_overhead_at_most_third_of_cockatiel: breakerRatio <= 1 / 3,
  retry_breaker_overhead_at_most_quarter_of_cockatiel: retryBreakerRatio <= 1 / 4,
  open_reject_under_200_ns: (ns.open_reject ?? Number.POSITIVE_INFINITY) < 200,
};

console.log(`bun ${Bun.version}, ${measured.rounds} interleaved rounds of ${limits.iterations} calls,`);
console.log(`median ns per call (${(measured.elapsedMs / 1000).toFixed(1)} s in all)\n`);
console.log('| variant | ns/call | overhead vs raw | min–max over rounds |');
console.log('|---|---:|---:|---:|');
for (const [name, samples] of Object.entries(measured.samples)) {
  const span = `${round1(Math.min(...samples))}–${round1(Math.max(...samples))}`;
  const extra = name === 'open_decision' ? 'n/a (no promise)' : round1(overhead(name));
  console.log(`| ${name} | ${ns[name]} | ${extra} | ${span} |`);
}

console.log(`\nbreaker overhead / cockatiel breaker overhead: ${breakerRatio.toFixed(3)} (target <= 0.333)`);
console.log(
  `retry+breaker overhead / cockatiel retry+breaker overhead: ${retryBreakerRatio.toFixed(3)} (target <= 0.25)`,
);
console.log(
  `same ratios taken round by round, then the median: ${pairedRatio('breaker', 'cockatiel_breaker').toFixed(3)}, ${pairedRatio('retry_breaker', 'cockatiel_retry_breaker').toFixed(3)}`,
);
console.log(
  `open rejection: ${ns.open_reject} ns with try/await (engine floor ${ns.raw_reject}), ` +
    `${ns.open_reject_catch} ns with .catch() (floor ${ns.raw_reject_catch}), target < 200`,
);
for (const [target, met] of Object.entries(targets)) console.log(`${met ? 'met' : 'MISSED'}: ${target}`);

mkdirSync(dirname(resultPath), { recursive: true });
writeFileSync(
  resultPath,
  `${JSON.stringify(
    {
      ns_per_call: ns,
      overhead_ns: Object.fromEntries(Object.keys(ns).map((name) => [name, round1(overhead(name))])),
      ratios: {
        breaker_overhead_vs_cockatiel: Number(breakerRatio.toFixed(3)),
        retry_breaker_overhead_vs_cockatiel: Number(retryBreakerRatio.toFixed(3)),
        paired_per_round: {
          breaker_overhead_vs_cockatiel: Number(
            pairedRatio('breaker', 'cockatiel_breaker').toFixed(3),
          ),
          retry_breaker_overhead_vs_cockatiel: Number(
            pairedRatio('retry_breaker', 'cockatiel_retry_breaker').toFixed(3),
          ),
        },
      },
      targets,
      rounds: measured.rounds,
      iterations_per_round: limits.iterations,
      elapsed_ms: Math.round(measured.elapsedMs),
      bun_version: Bun.version,
      measured_at: new Date().toISOString(),
    },
    null,
    2,
  )}\n`,
);
console.log(`\nwrote ${resultPath}`);
