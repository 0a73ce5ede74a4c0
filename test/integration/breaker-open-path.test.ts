import { afterEach, beforeEach, expect, test } from 'bun:test';
import { parseExposition, valueOrZero } from '../observability/exposition.ts';
import { startRedisRig, type RedisTestRig } from '../support/redis-app.ts';

let rig: RedisTestRig;
let token: string;
let entryId: string;

beforeEach(async () => {
  rig = await startRedisRig({ REDIS_BREAKER_THRESHOLD: '1', REDIS_BREAKER_COOLDOWN: '1m' });
  token = await rig.app.signIn();
  entryId = (await rig.app.createEntry(token, 't')).id;
});
afterEach(() => {
  rig.proxy.pass();

  return rig.stop();
});

async function counter(name: string, labels: Record<string, string>): Promise<number> {
  return valueOrZero(parseExposition(await rig.app.services.metrics.render()), name, labels);
}

const rejected = (command: string) =>
  counter('redis_commands_total', { command, outcome: 'rejected' });
const bypasses = () => counter('cache_requests_total', { result: 'bypass' });
const allowedInMemory = () =>
  counter('rate_limit_decisions_total', { decision: 'allowed', store: 'memory' });

test('with the breaker open, a read counts its refused commands and is served from SQLite', async () => {
  rig.proxy.blackhole();
  await rig.app.request('GET', `/entries/${entryId}`, { token });
  expect(rig.app.services.redis.redis?.health().breaker.state).toBe('open');
  const before = {
    get: await rejected('GET'),
    evalsha: await rejected('EVALSHA'),
    bypass: await bypasses(),
    memory: await allowedInMemory(),
  };

  const response = await rig.app.request('GET', `/entries/${entryId}`, { token });

  expect(response.status).toBe(200);
  expect(((await response.json()) as { title: string }).title).toBe('t');
  expect(await rejected('GET')).toBe(before.get + 1);
  expect(await rejected('EVALSHA')).toBe(before.evalsha + 1);
  expect(await bypasses()).toBe(before.bypass + 1);
  expect(await allowedInMemory()).toBe(before.memory + 1);
});
