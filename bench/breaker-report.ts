import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Measured } from './measure.ts';
import { median, round1 } from './support/stats.ts';

export interface Summary {
  /** Median ns per call of each variant. */
  ns: Record<string, number>;
  overheadNs: Record<string, number>;
  ratios: { breaker: number; retryBreaker: number };
  /** The same ratios taken within each round (neighbours share the load), then the median. */
  pairedRatios: { breaker: number; retryBreaker: number };
  targets: Record<string, boolean>;
}

/** Rows that time a synchronous step, for which an overhead over an async call means nothing. */
const synchronousRows = new Set(['open_decision', 'open_refusal']);

export function summarize(measured: Measured): Summary {
  const ns: Record<string, number> = {};
  for (const [name, samples] of Object.entries(measured.samples)) {
    ns[name] = round1(median(samples));
  }

  const raw = ns.raw ?? Number.NaN;
  const overhead = (name: string) => (ns[name] ?? Number.NaN) - raw;
  const ratio = (ours: string, theirs: string) => overhead(ours) / overhead(theirs);
  const ratios = {
    breaker: ratio('breaker', 'cockatiel_breaker'),
    retryBreaker: ratio('retry_breaker', 'cockatiel_retry_breaker'),
  };

  return {
    ns,
    overheadNs: Object.fromEntries(
      Object.keys(ns)
        .filter((name) => !synchronousRows.has(name))
        .map((name) => [name, round1(overhead(name))]),
    ),
    ratios,
    pairedRatios: {
      breaker: pairedRatio(measured, 'breaker', 'cockatiel_breaker'),
      retryBreaker: pairedRatio(measured, 'retry_breaker', 'cockatiel_retry_breaker'),
    },
    targets: {
      breaker_overhead_at_most_third_of_cockatiel: ratios.breaker <= 1 / 3,
      retry_breaker_overhead_at_most_quarter_of_cockatiel: ratios.retryBreaker <= 1 / 4,
      open_reject_under_200_ns: (ns.open_reject ?? Number.POSITIVE_INFINITY) < 200,
    },
  };
}

function pairedRatio(measured: Measured, ours: string, theirs: string): number {
  const { samples } = measured;
  const perRound = (samples.raw ?? []).map((raw, round) => {
    const mine = (samples[ours]?.[round] ?? Number.NaN) - raw;

    return mine / ((samples[theirs]?.[round] ?? Number.NaN) - raw);
  });

  return median(perRound);
}

export function printSummary(summary: Summary, measured: Measured, iterations: number): void {
  const { ns, ratios, pairedRatios } = summary;
  const seconds = (measured.elapsedMs / 1000).toFixed(1);
  console.log(`bun ${Bun.version}: ${measured.rounds} interleaved rounds of ${iterations} calls`);
  console.log(`each, median ns per call (${seconds} s in all)\n`);
  console.log('| variant | ns/call | overhead vs raw | min–max over rounds |');
  console.log('|---|---:|---:|---:|');
  for (const [name, samples] of Object.entries(measured.samples)) {
    const span = `${round1(Math.min(...samples))}–${round1(Math.max(...samples))}`;
    const overhead = summary.overheadNs[name] ?? 'n/a (no promise)';
    console.log(`| ${name} | ${ns[name]} | ${overhead} | ${span} |`);
  }

  console.log('\noverhead ratios, ours / cockatiel (medians; round by round in brackets):');
  console.log(
    `  breaker: ${ratios.breaker.toFixed(3)} [${pairedRatios.breaker.toFixed(3)}], target <= 0.333`,
  );
  console.log(
    `  retry+breaker: ${ratios.retryBreaker.toFixed(3)} ` +
      `[${pairedRatios.retryBreaker.toFixed(3)}], target <= 0.25`,
  );
  console.log(
    `open rejection: ${ns.open_reject} ns to .catch() (engine floor ${ns.raw_reject}), ` +
      `${ns.open_reject_await} ns awaited in try/catch (floor ${ns.raw_reject_await}), ` +
      `${ns.timed_open_reject} ns through the executor, ${ns.open_refusal} ns asked ` +
      'synchronously; target < 200',
  );
  for (const [target, met] of Object.entries(summary.targets)) {
    console.log(`${met ? 'met' : 'MISSED'}: ${target}`);
  }
}

export function writeSummary(
  path: string,
  summary: Summary,
  measured: Measured,
  iterations: number,
): void {
  const rounded = (value: number) => Number(value.toFixed(3));
  const result = {
    ns_per_call: summary.ns,
    overhead_ns: summary.overheadNs,
    ratios: {
      breaker_overhead_vs_cockatiel: rounded(summary.ratios.breaker),
      retry_breaker_overhead_vs_cockatiel: rounded(summary.ratios.retryBreaker),
      paired_per_round: {
        breaker_overhead_vs_cockatiel: rounded(summary.pairedRatios.breaker),
        retry_breaker_overhead_vs_cockatiel: rounded(summary.pairedRatios.retryBreaker),
      },
    },
    targets: summary.targets,
    rounds: measured.rounds,
    iterations_per_round: iterations,
    elapsed_ms: Math.round(measured.elapsedMs),
    bun_version: Bun.version,
    measured_at: new Date().toISOString(),
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
}
