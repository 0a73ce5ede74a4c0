// `bun run bench:http`: throughput and p99 of GET /entries/:id with wrk on loopback, cases
// interleaved round by round, against a bare Bun.serve JSON route as the ceiling.
import { mkdirSync } from 'node:fs';
import { buildExecutable } from '../test/support/executable.ts';
import { startRedisServer, type RedisServerHandle } from '../test/support/redis-server.ts';
import { startBareServer } from './support/bare-server.ts';
import { getEntry, seedJournal, warmCache } from './support/journal-client.ts';
import { readBreakerState } from './support/service-probe.ts';
import { startService, type ServiceProcess } from './support/service-process.ts';
import { processCpuMs } from './support/process-cpu.ts';
import { median, round1 } from './support/stats.ts';
import { requireWrk, runWrk, type WrkResult } from './support/wrk.ts';

type CaseName = 'bare' | 'healthy' | 'breaker_open' | 'redis_off';
/** `pid`: the process that serves the target, whose CPU time each run reads. */
type Target = { url: string; headers: string[]; pid: number; beforeRun?: () => Promise<void> };
type Measurement = WrkResult & { cpu_us_per_request: number };

const ROUNDS = 5;
const DURATION_S = 5;
const WARMUP_S = 1;
const wrkShape = { threads: 2, connections: 50 };

requireWrk();
const binary = await buildExecutable();
const cleanups: (() => Promise<void> | void)[] = [];
try {
  const targets = await startTargets();
  const rounds: Record<CaseName, Measurement[]> = {
    bare: [], healthy: [], breaker_open: [], redis_off: [],
  };
  const names = Object.keys(targets) as CaseName[];
  for (const name of names) await measure(targets[name], WARMUP_S);
  for (let round = 0; round < ROUNDS; round++) {
    for (let offset = 0; offset < names.length; offset++) {
      const name = names[(round + offset) % names.length] as CaseName;
      rounds[name].push(await measure(targets[name], DURATION_S));
      console.error(`round ${round + 1} ${name}: ${JSON.stringify(rounds[name].at(-1))}`);
    }
  }

  const results = summarise(rounds);
  console.log(JSON.stringify(results, null, 2));
  const resultsDir = new URL('./results/', import.meta.url).pathname;
  mkdirSync(resultsDir, { recursive: true });
  await Bun.write(`${resultsDir}http.json`, `${JSON.stringify(results, null, 2)}\n`);
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
}

async function startTargets(): Promise<Record<CaseName, Target>> {
  const bare = startBareServer();
  cleanups.push(() => bare.stop(true));
  const healthyRedis = await startOwnedRedis();
  const frozenRedis = await startOwnedRedis();
  const healthy = await startReadService({ REDIS_URL: healthyRedis.url });
  const breakerOpen = await startReadService({ REDIS_URL: frozenRedis.url });
  const redisOff = await startReadService({ REDIS_URL: 'off' });
  frozenRedis.freeze();

  return {
    bare: { url: `${bare.url.origin}/entries/x`, headers: [], pid: process.pid },
    healthy: healthy.target,
    breaker_open: { ...breakerOpen.target, beforeRun: () => tripBreaker(breakerOpen) },
    redis_off: redisOff.target,
  };
}

async function startOwnedRedis(): Promise<RedisServerHandle> {
  const redis = await startRedisServer();
  cleanups.push(() => redis.stop());

  return redis;
}

type ReadService = { service: ServiceProcess; token: string; id: string; target: Target };

async function startReadService(env: Record<string, string>): Promise<ReadService> {
  const service = await startService(binary, env);
  cleanups.push(() => service.stop());
  const journal = await seedJournal(service.baseUrl, 1);
  await warmCache(service.baseUrl, journal);
  const id = journal.entryIds[0] ?? '';
  const target = {
    url: `${service.baseUrl}/entries/${id}`,
    headers: [`Authorization: Bearer ${journal.token}`],
    pid: service.pid,
  };

  return { service, token: journal.token, id, target };
}

// Redis stays frozen; a breaker that half-opened after its cooldown is tripped again, so that
// every measured run starts with it open.
async function tripBreaker({ service, token, id }: ReadService) {
  for (let attempt = 0; attempt < 20; attempt++) {
    if ((await readBreakerState(service.baseUrl)) === 'open') return;
    await Promise.all(
      Array.from({ length: 5 }, async () => {
        await (await getEntry(service.baseUrl, token, id)).arrayBuffer();
      }),
    );
  }

  throw new Error('breaker did not open with Redis frozen');
}

// CPU time per request is steadier than throughput on a shared machine: it does not depend
// on how much of a core the service got while wrk ran beside it.
async function measure(target: Target, durationS: number): Promise<Measurement> {
  await target.beforeRun?.();
  const cpuBefore = await processCpuMs(target.pid);
  const result = await runWrk({ url: target.url, headers: target.headers, durationS, ...wrkShape });
  const cpuMs = (await processCpuMs(target.pid)) - cpuBefore;
  const requests = result.rps * durationS;

  return { ...result, cpu_us_per_request: round1((cpuMs * 1000) / requests) };
}

function summarise(rounds: Record<CaseName, Measurement[]>) {
  const summarised = (runs: Measurement[]) => ({
    rps: round1(median(runs.map((run) => run.rps))),
    p99_ms: Math.round(median(runs.map((run) => run.p99_ms)) * 100) / 100,
    cpu_us_per_request: round1(median(runs.map((run) => run.cpu_us_per_request))),
    non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
    socket_errors: runs.reduce((sum, run) => sum + run.socket_errors, 0),
    rounds: runs,
  });
  const cases = {} as Record<CaseName, ReturnType<typeof summarised>>;
  const ratiosToBare = {} as Record<CaseName, { rps: number; p99: number }>;
  for (const name of Object.keys(rounds) as CaseName[]) cases[name] = summarised(rounds[name]);
  for (const name of Object.keys(cases) as CaseName[]) {
    const { rps, p99_ms } = cases[name];
    ratiosToBare[name] = {
      rps: Math.round((rps / cases.bare.rps) * 100) / 100,
      p99: Math.round((p99_ms / cases.bare.p99_ms) * 10) / 10,
    };
  }

  return {
    setup: {
      tool: 'wrk', ...wrkShape, duration_s: DURATION_S, rounds: ROUNDS, statistic: 'median',
    },
    cases,
    ratios_to_bare: ratiosToBare,
    ratios_to_healthy: {
      breaker_open_rps: Math.round((cases.breaker_open.rps / cases.healthy.rps) * 100) / 100,
      redis_off_rps: Math.round((cases.redis_off.rps / cases.healthy.rps) * 100) / 100,
      // The same ratio taken within each round, where the two runs sat side by side.
      paired_breaker_open_rps: pairedRatio(rounds.breaker_open, rounds.healthy),
    },
    targets: {
      breaker_open_at_least_0_9_of_healthy: cases.breaker_open.rps >= 0.9 * cases.healthy.rps,
    },
  };
}

function pairedRatio(ours: Measurement[], theirs: Measurement[]): number {
  const perRound = ours.map((run, round) => run.rps / (theirs[round]?.rps ?? Number.NaN));

  return Math.round(median(perRound) * 100) / 100;
}
