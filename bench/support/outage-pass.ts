import type { RedisServerHandle } from '../../test/support/redis-server.ts';
import { getEntry, type SeededJournal } from './journal-client.ts';
import { readBreakerState, readCacheHits } from './service-probe.ts';
import type { Sample } from './stats.ts';

export type PassKind = 'sequential' | 'concurrent';

export type PassPlan = {
  kind: PassKind;
  clients: number;
  /** Each client starts a request at most this often. */
  paceMs: number;
  healthyMs: number;
  /** How long Redis stays frozen, or at most, with `resumeAfterFrozenRequests`. */
  frozenMs: number;
  /** Requests started while Redis is frozen, over all clients. */
  maxFrozenRequests: number;
  /** Resume Redis as soon as the `maxFrozenRequests` requests have all been answered. */
  resumeAfterFrozenRequests: boolean;
  maxRequests: number;
  /** Load goes on at least this long after SIGCONT, and 1 s past recovery. */
  afterResumeMinMs: number;
  /** Recovery is awaited at most this long after SIGCONT. */
  recoveryCapMs: number;
};

export type PassRun = {
  samples: Sample[];
  freezeAtMs: number;
  resumeAtMs: number;
  /** Since the pass began; null when the breaker never reported `open`. */
  breakerOpenAtMs: number | null;
  /** From SIGCONT until `cache_requests_total{result="hit"}` grew; null when it did not. */
  recoveryMs: number | null;
};

const CLIENT_TIMEOUT_MS = 30_000;
const PROBE_INTERVAL_MS = 100;
// Recovery is read from /metrics, whose rendering holds the service's event loop for a few
// milliseconds: polled as often as the breaker state, it would add to the very latencies
// this pass measures.
const RECOVERY_PROBE_INTERVAL_MS = 250;

type Phase = 'healthy' | 'frozen' | 'resumed' | 'stopped';

/** Drives `GET /entries/:id` while Redis is frozen part way through, then resumed. */
export async function runOutagePass(
  service: { baseUrl: string },
  journal: SeededJournal,
  redis: RedisServerHandle,
  plan: PassPlan,
): Promise<PassRun> {
  const startedAt = performance.now();
  const now = () => performance.now() - startedAt;
  const samples: Sample[] = [];
  let phase: Phase = 'healthy';
  // A function, so that TypeScript does not narrow a value that changes across awaits.
  const currentPhase = (): Phase => phase;
  let frozenStarted = 0;
  let frozenAnswered = 0;
  const resumed = Promise.withResolvers<void>();

  const client = async (clientIndex: number) => {
    // Staggered starts: clients that fire together would measure their own queueing.
    let nextStart = (clientIndex * plan.paceMs) / plan.clients;
    for (let request = clientIndex; currentPhase() !== 'stopped'; request += plan.clients) {
      if (samples.length >= plan.maxRequests) return;
      await Bun.sleep(Math.max(0, nextStart - now()));
      if (currentPhase() === 'frozen' && frozenStarted >= plan.maxFrozenRequests) {
        await resumed.promise;
      }

      if (currentPhase() === 'stopped') return;
      const startedFrozen = currentPhase() === 'frozen';
      if (startedFrozen) frozenStarted++;

      const id = journal.entryIds[request % journal.entryIds.length] ?? '';
      const begin = now();
      nextStart = begin + plan.paceMs;
      const status = await getEntry(
        service.baseUrl,
        journal.token,
        id,
        AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      ).then(
        async (response) => {
          await response.arrayBuffer();

          return response.status;
        },
        () => 0,
      );
      samples.push([begin, now() - begin, status]);
      if (startedFrozen) frozenAnswered++;
    }
  };

  const clients = Array.from({ length: plan.clients }, (_, index) => client(index));
  let breakerOpenAtMs: number | null = null;
  let recoveryMs: number | null = null;
  let freezeAtMs = Number.NaN;
  let resumeAtMs = Number.NaN;
  try {
    await Bun.sleep(plan.healthyMs);
    redis.freeze();
    freezeAtMs = now();
    phase = 'frozen';

    const frozenRequestsDone = () =>
      plan.resumeAfterFrozenRequests && frozenAnswered >= plan.maxFrozenRequests;
    while (now() < freezeAtMs + plan.frozenMs && !frozenRequestsDone()) {
      if (breakerOpenAtMs === null && (await readBreakerState(service.baseUrl)) === 'open') {
        breakerOpenAtMs = now();
      }

      await Bun.sleep(Math.min(PROBE_INTERVAL_MS, freezeAtMs + plan.frozenMs - now()));
    }

    // Read before SIGCONT: replies queued in the frozen server arrive at once after it.
    const hitsBefore = await readCacheHits(service.baseUrl);
    redis.resume();
    resumeAtMs = now();
    phase = 'resumed';
    resumed.resolve();

    while (now() < resumeAtMs + plan.recoveryCapMs) {
      if ((await readCacheHits(service.baseUrl)) > hitsBefore) {
        recoveryMs = now() - resumeAtMs;
        break;
      }

      await Bun.sleep(RECOVERY_PROBE_INTERVAL_MS);
    }

    const recoveredAt = recoveryMs === null ? 0 : resumeAtMs + recoveryMs + 1_000;
    await Bun.sleep(Math.max(0, resumeAtMs + plan.afterResumeMinMs - now(), recoveredAt - now()));
  } finally {
    if (redis.frozen) redis.resume();
    phase = 'stopped';
    resumed.resolve();
    await Promise.all(clients);
  }

  samples.sort((a, b) => a[0] - b[0]);

  return { samples, freezeAtMs, resumeAtMs, breakerOpenAtMs, recoveryMs };
}
