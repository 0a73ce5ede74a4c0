import type { PassRun } from './outage-pass.ts';
import { percentile, round1, type Sample } from './stats.ts';

export type PassSummary = {
  requests: number;
  /** Requests started while Redis was frozen. */
  outage_requests: number;
  /** Sum, over requests that ended after SIGSTOP, of latency above the healthy median. */
  lost_ms: number;
  /** p50/p99/max over requests started while Redis was frozen. */
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  /** p99 over requests started while frozen and after the breaker reported `open`. */
  p99_after_open_ms: number | null;
  healthy_p50_ms: number;
  healthy_p99_ms: number;
  non2xx: number;
  /** From SIGSTOP until `/health/ready` first reported the breaker `open`. */
  breaker_open_ms: number | null;
  recovery_ms: number | null;
  freeze_at_ms: number;
  resume_at_ms: number;
  samples: Sample[];
};

export function summarisePass(run: PassRun): PassSummary {
  const { samples, freezeAtMs, resumeAtMs, breakerOpenAtMs } = run;
  const latencies = (selected: Sample[]) => selected.map(([, latency]) => latency);
  const healthy = latencies(samples.filter(([t, latency]) => t + latency < freezeAtMs));
  const outage = samples.filter(([t]) => t >= freezeAtMs && t < resumeAtMs);
  const afterOpen = outage.filter(([t]) => breakerOpenAtMs !== null && t >= breakerOpenAtMs);
  const healthyMedian = percentile(healthy, 0.5);
  const lost = samples
    .filter(([t, latency]) => t + latency >= freezeAtMs)
    .reduce((sum, [, latency]) => sum + Math.max(0, latency - healthyMedian), 0);

  return {
    requests: samples.length,
    outage_requests: outage.length,
    lost_ms: round1(lost),
    p50_ms: round1(percentile(latencies(outage), 0.5)),
    p99_ms: round1(percentile(latencies(outage), 0.99)),
    max_ms: round1(Math.max(...latencies(outage))),
    p99_after_open_ms: afterOpen.length > 0 ? round1(percentile(latencies(afterOpen), 0.99)) : null,
    healthy_p50_ms: round1(healthyMedian),
    healthy_p99_ms: round1(percentile(healthy, 0.99)),
    non2xx: samples.filter(([, , status]) => status < 200 || status > 299).length,
    breaker_open_ms: breakerOpenAtMs === null ? null : round1(breakerOpenAtMs - freezeAtMs),
    recovery_ms: run.recoveryMs === null ? null : round1(run.recoveryMs),
    freeze_at_ms: round1(freezeAtMs),
    resume_at_ms: round1(resumeAtMs),
    samples: samples.map(([t, latency, status]) => [round1(t), round1(latency), status]),
  };
}
