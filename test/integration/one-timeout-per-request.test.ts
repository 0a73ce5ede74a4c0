import { afterEach, beforeEach, expect, test } from 'bun:test';
import { parseExposition, valueOrZero } from '../observability/exposition.ts';
import { pollUntil } from '../support/poll-until.ts';
import { startRedisRig, type RedisTestRig } from '../support/redis-app.ts';

// A breaker that will not open during these tests, so every command reaches the rule under
// test instead of being refused.
const rigEnv = { REDIS_BREAKER_THRESHOLD: '100' };

let rig: RedisTestRig;
let token: string;
let entryId: string;

beforeEach(async () => {
  rig = await startRedisRig(rigEnv);
  token = await rig.app.signIn();
  entryId = (await rig.app.createEntry(token, 'before')).id;
  // Cached, so that a stale copy would exist to be served wrongly.
  await rig.app.request('GET', `/entries/${entryId}`, { token });
});
afterEach(() => {
  // Commands still held by a blackhole would make the client's close wait its whole limit.
  rig.proxy.pass();

  return rig.stop();
});

async function commandCount(command: string, outcome: string): Promise<number> {
  const exposition = parseExposition(await rig.app.services.metrics.render());

  return valueOrZero(exposition, 'redis_commands_total', { command, outcome });
}

const consecutiveFailures = () =>
  rig.app.services.redis.redis?.health().breaker.consecutiveFailures ?? -1;

// The list is read after the rate-limit count, not beside it (see the read-ahead test below).
test('a read waits out one Redis timeout, not one per command', async () => {
  rig.proxy.blackhole();

  const response = await rig.app.request('GET', '/entries', { token });

  expect(response.status).toBe(200);
  expect(((await response.json()) as { items: { title: string }[] }).items[0]?.title).toBe('before');
  expect(await commandCount('EVALSHA', 'timeout')).toBe(1);
  expect(await commandCount('HGET', 'skipped')).toBe(1);
  expect(await commandCount('HGET', 'timeout')).toBe(0);
  expect(consecutiveFailures()).toBe(1);
});

test("an entry's lookup is in flight beside the rate-limit count: one wait, two failures", async () => {
  rig.proxy.blackhole();

  const response = await rig.app.request('GET', `/entries/${entryId}`, { token });

  expect(response.status).toBe(200);
  expect(((await response.json()) as { title: string }).title).toBe('before');
  expect(await commandCount('EVALSHA', 'timeout')).toBe(1);
  expect(await commandCount('GET', 'timeout')).toBe(1);
  // Had the lookup waited for the count, it would have been skipped after its timeout.
  expect(consecutiveFailures()).toBe(2);
});

/** A PATCH whose rate-limit call times out, so that its invalidation is skipped. */
async function patchWhileBlackholed(): Promise<void> {
  rig.proxy.blackhole();
  const patched = await rig.app.request('PATCH', `/entries/${entryId}`, {
    token,
    body: { title: 'after' },
  });

  expect(patched.status).toBe(200);
  expect(await commandCount('DEL', 'skipped')).toBe(1);
}

test('a write whose invalidation was skipped is never read stale afterwards', async () => {
  await patchWhileBlackholed();
  // The stale copy is still in Redis: only the remembered invalidation keeps it from being served.
  expect(await rig.cachedEntryKeys(entryId)).toHaveLength(1);

  rig.proxy.pass();
  const read = await rig.app.request('GET', `/entries/${entryId}`, { token });
  expect(((await read.json()) as { title: string }).title).toBe('after');
});

test('a skipped invalidation is sent beside the answer, without waiting for a read', async () => {
  await patchWhileBlackholed();

  // No request reaches this instance from here on: only a delete started by the PATCH
  // itself can remove the old copy another instance could serve.
  rig.proxy.pass();
  const deleted = async () => (await rig.cachedEntryKeys(entryId)).length === 0;

  await pollUntil('the old copy deleted from Redis', deleted, { limitMs: 2_000, intervalMs: 20 });
});

test('the next request tries Redis again', async () => {
  rig.proxy.blackhole();
  await rig.app.request('GET', '/entries', { token });
  rig.proxy.pass();
  const sentBefore = await commandCount('EVALSHA', 'ok');

  const response = await rig.app.request('GET', '/entries', { token });

  expect(response.status).toBe(200);
  expect(await commandCount('EVALSHA', 'ok')).toBe(sentBefore + 1);
  expect(await commandCount('HGET', 'ok')).toBe(1);
  expect(await commandCount('HGET', 'skipped')).toBe(1);
  expect(consecutiveFailures()).toBe(0);
});
