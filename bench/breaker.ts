import {
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleAll,
  retry,
  wrap,
} from 'cockatiel';
import Opossum from 'opossum';
import { resolve } from 'node:path';
import { measureInterleaved, type Loop } from './measure.ts';
import { printSummary, summarize, writeSummary } from './breaker-report.ts';
import { CircuitBreaker } from '../src/resilience/breaker.ts';
import { BreakerOpenError } from '../src/resilience/errors.ts';
import { createDeadline } from '../src/resilience/deadline.ts';
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

// The service's own path: every Redis call carries the request's deadline and a per-attempt
// limit, so it gets a permit, an attempt signal with its timer, and a race.
const attemptTimeoutMs = 250;
const timedExecutor = new ResilientExecutor({
  name: 'bench',
  breaker: new CircuitBreaker({ name: 'bench', failureThreshold: threshold, cooldownMs }),
  retry: new RetryPolicy({ name: 'bench', ...retryOptions }),
  attemptTimeoutMs,
});
const openTimedExecutor = new ResilientExecutor({
  name: 'bench',
  breaker: new CircuitBreaker({ name: 'bench', failureThreshold: 1, cooldownMs: 1e12 }),
  retry: new RetryPolicy({ name: 'bench', ...retryOptions }),
  attemptTimeoutMs,
});
const requestDeadline = createDeadline({ timeoutMs: 3_600_000 });
const timedRead = { deadline: requestDeadline, idempotent: true };

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
  await openTimedExecutor.execute(failing, { deadline: requestDeadline }).catch(() => {});
  for (let i = 0; i < threshold; i++) await cockatielOpen.execute(failing).catch(() => {});
  opossumOpen.open();
}

/**
 * Ours first, then the libraries, then reference points. `open_reject` hands the rejection
 * to .catch(); the `*_await` rows await it inside try/catch. The engine's floor for each
 * idiom is the matching `raw_` row. `open_refusal` is the question the service's cache and
 * rate limiter ask before any Redis call, `open_decision` the permit check; neither makes a
 * promise. The `timed_` rows are the executor with a request deadline and a per-attempt
 * limit, as every Redis command runs while the breaker admits it.
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
    for (let i = 0; i < n; i++) await openBreaker.execute(work).catch(ignore);
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
  open_reject_await: async (n) => {
    for (let i = 0; i < n; i++) {
      try {
        await openBreaker.execute(work);
      } catch {}
    }
  },
  timed_retry_breaker: async (n) => {
    for (let i = 0; i < n; i++) await timedExecutor.execute(work, timedRead);
  },
  timed_open_reject: async (n) => {
    for (let i = 0; i < n; i++) await openTimedExecutor.execute(work, timedRead).catch(ignore);
  },
  open_refusal: async (n) => {
    let admitted = 0;
    for (let i = 0; i < n; i++) {
      if (openBreaker.refusal() === undefined) admitted++;
    }
    if (admitted > 0) throw new Error('an open breaker admitted a call');
  },
  open_decision: async (n) => {
    let admitted = 0;
    for (let i = 0; i < n; i++) {
      if (!(openBreaker.acquire() instanceof BreakerOpenError)) admitted++;
    }
    if (admitted > 0) throw new Error('an open breaker admitted a call');
  },
  raw_reject: async (n) => {
    for (let i = 0; i < n; i++) await Promise.reject(preallocated).catch(ignore);
  },
  raw_reject_await: async (n) => {
    for (let i = 0; i < n; i++) {
      try {
        await Promise.reject(preallocated);
      } catch {}
    }
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

if (openTimedExecutor.execute(work) !== openTimedExecutor.execute(work)) {
  throw new Error('the open-state executor did not refuse with its shared rejection');
}

const measured = await measureInterleaved(variants, limits);
requestDeadline.dispose();
for (const circuit of [opossum, opossumNoTimeout, opossumOpen]) circuit.shutdown();

const summary = summarize(measured);
printSummary(summary, measured, limits.iterations);
writeSummary(resultPath, summary, measured, limits.iterations);
console.log(`\nwrote ${resultPath}`);
