// `bun run bench:outage`: GET /entries/:id latency while Redis is frozen (SIGSTOP) part way
// through, for the compiled service with no breaker, a classic breaker and its defaults.
import { mkdirSync } from 'node:fs';
import { buildExecutable } from '../test/support/executable.ts';
import { startRedisServer } from '../test/support/redis-server.ts';
import { seedJournal, warmCache } from './support/journal-client.ts';
import { runOutagePass, type PassKind, type PassPlan } from './support/outage-pass.ts';
import { outageTable, type ConfigName, type OutageResults } from './support/outage-report.ts';
import { summarisePass, type PassSummary } from './support/outage-summary.ts';
import { startService } from './support/service-process.ts';

const COOLDOWN_MS = 30_000;
const configs: Record<ConfigName, Record<string, string>> = {
  'no-breaker': { REDIS_BREAKER_THRESHOLD: '0', REDIS_TIMEOUT: '5s' },
  classic: { REDIS_BREAKER_THRESHOLD: '5', REDIS_BREAKER_COOLDOWN: '30s', REDIS_TIMEOUT: '5s' },
  breakwater: {},
};

const common = { afterResumeMinMs: 3_000, recoveryCapMs: COOLDOWN_MS + 5_000 };
const plans: Record<PassKind, PassPlan> = {
  // 100 requests against the frozen Redis, however long they take: without a breaker, each
  // waits out a 5 s REDIS_TIMEOUT, so the freeze may last 500 s.
  sequential: {
    kind: 'sequential', clients: 1, paceMs: 200, healthyMs: 3_000, frozenMs: 600_000,
    maxFrozenRequests: 100, resumeAfterFrozenRequests: true, maxRequests: 400, ...common,
  },
  concurrent: {
    kind: 'concurrent', clients: 50, paceMs: 100, healthyMs: 5_000, frozenMs: 10_000,
    maxFrozenRequests: 10_000, resumeAfterFrozenRequests: false, maxRequests: 40_000,
    ...common, afterResumeMinMs: 5_000,
  },
};

const resultsDir = new URL('./results/', import.meta.url).pathname;
const binary = await buildExecutable();
const results: OutageResults = { configs: {} };

for (const [name, env] of Object.entries(configs) as [ConfigName, Record<string, string>][]) {
  const passes: Partial<Record<PassKind, PassSummary>> = {};
  for (const plan of Object.values(plans)) {
    passes[plan.kind] = await runOnFreshService(env, plan);
    console.error(`${name} ${plan.kind}: done`);
  }

  results.configs[name] = { sequential: passes.sequential!, concurrent: passes.concurrent! };
}

const table = outageTable(results);
console.log(table);
mkdirSync(resultsDir, { recursive: true });
await Bun.write(`${resultsDir}outage.json`, `${JSON.stringify(results)}\n`);
await Bun.write(`${resultsDir}outage.md`, `${outageMarkdown(table)}\n`);

async function runOnFreshService(env: Record<string, string>, plan: PassPlan) {
  const redis = await startRedisServer();
  try {
    const service = await startService(binary, { ...env, REDIS_URL: redis.url });
    try {
      const journal = await seedJournal(service.baseUrl, 20);
      await warmCache(service.baseUrl, journal);

      return summarisePass(await runOutagePass(service, journal, redis, plan));
    } finally {
      await service.stop();
    }
  } finally {
    await redis.stop();
  }
}

function outageMarkdown(table: string) {
  const { sequential, concurrent } = plans;

  return [
    '# Redis outage: GET /entries/:id',
    '',
    'Produced by `bun run bench:outage` (compiled `dist/breakwater`, private `redis-server`,',
    'loopback). Redis gets SIGSTOP after the healthy phase and SIGCONT after the frozen one.',
    '',
    `- sequential: 1 client, a request every ${sequential.paceMs} ms at most; healthy`,
    `  ${sequential.healthyMs / 1000} s, then frozen until the ${sequential.maxFrozenRequests}`,
    `  requests started while frozen were answered (at most ${sequential.frozenMs / 1000} s)`,
    `- concurrent: ${concurrent.clients} clients, each a request every ${concurrent.paceMs} ms`,
    `  at most; healthy ${concurrent.healthyMs / 1000} s, frozen ${concurrent.frozenMs / 1000} s`,
    '- after SIGCONT load goes on until 1 s past recovery (at least a few seconds), at most',
    `  ${common.recoveryCapMs / 1000} s; breaker cooldown ${COOLDOWN_MS / 1000} s`,
    '- lost_ms: sum over requests that ended after SIGSTOP of latency above the healthy median;',
    '  p50/p99/max: requests started while frozen; p99_after_open: those started after',
    '  `/health/ready` reported the breaker open; recovery_ms: SIGCONT until',
    '  `cache_requests_total{result="hit"}` grew (read from /metrics every 250 ms);',
    '  breaker_open_ms: SIGSTOP until open (read from /health/ready every 100 ms).',
    '',
    table,
  ].join('\n');
}
