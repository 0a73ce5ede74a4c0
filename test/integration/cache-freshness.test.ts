import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { parseExposition, valueOrZero } from '../observability/exposition.ts';
import type { Entry } from '../../src/entries/entry.ts';
import { startRedisRig, type RedisTestRig } from '../support/redis-app.ts';

let rig: RedisTestRig;
let token: string;
beforeAll(async () => {
  rig = await startRedisRig();
  token = await rig.app.signIn();
});
afterAll(() => rig.stop());

const createEntry = (title: string) => rig.app.createEntry(token, title);

const read = async (id: string) => {
  const response = await rig.app.request('GET', `/entries/${id}`, { token });
  expect(response.status).toBe(200);

  return (await response.json()) as Entry;
};

async function cachedKey(id: string): Promise<string | undefined> {
  const keys = await rig.cachedEntryKeys(id);

  return keys[0];
}

async function readsAnswered(): Promise<number> {
  const exposition = parseExposition(await rig.app.services.metrics.render());

  return valueOrZero(exposition, 'redis_commands_total', { command: 'GET', outcome: 'ok' });
}

describe('the entry cache', () => {
  test('serves a read from Redis once the entry was read', async () => {
    const entry = await createEntry('cached');
    await read(entry.id);
    const key = await cachedKey(entry.id);
    expect(key).toBeDefined();

    // Rewrite the cached copy behind the service's back: the next read must show it.
    await rig.inspect.set(key!, JSON.stringify({ ...entry, title: 'from redis' }), { PX: 60_000 });
    expect((await read(entry.id)).title).toBe('from redis');
  });

  test('a PATCH invalidates, so the next read shows the change', async () => {
    const entry = await createEntry('before');
    await read(entry.id);
    await rig.app.request('PATCH', `/entries/${entry.id}`, { token, body: { title: 'after' } });

    expect((await read(entry.id)).title).toBe('after');
  });

  // A guard: the lookup started as the request arrived must not be followed by a second one.
  test('an entry read started as the request arrived is finished, not sent again', async () => {
    const entry = await createEntry('looked up once');
    await read(entry.id);
    const before = await readsAnswered();

    expect((await read(entry.id)).title).toBe('looked up once');
    expect(await readsAnswered()).toBe(before + 1);
  });

  test('the first page is cached and invalidated by a new entry', async () => {
    await createEntry('page-1');
    const first = await rig.app.request('GET', '/entries?limit=5', { token });
    expect(((await first.json()) as { items: Entry[] }).items[0]?.title).toBe('page-1');
    expect(await rig.cachedPageKeys()).toHaveLength(1);

    await createEntry('page-2');
    const second = await rig.app.request('GET', '/entries?limit=5', { token });
    expect(((await second.json()) as { items: Entry[] }).items[0]?.title).toBe('page-2');
  });

  async function expectFreshFor(id: string, title: string, ms: number) {
    const until = performance.now() + ms;
    while (performance.now() < until) {
      expect((await read(id)).title).toBe(title);
      await Bun.sleep(50);
    }
  }

  test('no stale read after Redis froze during a PATCH', async () => {
    const entry = await createEntry('v1');
    await read(entry.id);
    expect(await cachedKey(entry.id)).toBeDefined();

    rig.redis.freeze();
    // Reads time out until the breaker opens; then the PATCH's delete is never even sent.
    for (let index = 0; index < 4; index++) expect((await read(entry.id)).title).toBe('v1');
    expect(rig.app.services.redis.redis?.health().breaker.state).toBe('open');
    const patch = await rig.app.request('PATCH', `/entries/${entry.id}`, {
      token,
      body: { title: 'v2' },
    });
    expect(patch.status).toBe(200);
    expect((await read(entry.id)).title).toBe('v2');
    rig.redis.resume();

    // Past the cooldown the breaker probes and closes; the old copy must never be served.
    await expectFreshFor(entry.id, 'v2', 2500);
    expect(rig.app.services.redis.redis?.health().breaker.state).toBe('closed');
  });

  test('no stale read after a partition during a PATCH', async () => {
    const entry = await createEntry('p1');
    await read(entry.id);
    const key = (await cachedKey(entry.id))!;

    rig.proxy.refuse();
    const patch = await rig.app.request('PATCH', `/entries/${entry.id}`, {
      token,
      body: { title: 'p2' },
    });
    expect(patch.status).toBe(200);
    rig.proxy.pass();

    await expectFreshFor(entry.id, 'p2', 2500);
    // The remembered invalidation was settled once Redis was back, and the cache serves again.
    expect(rig.app.services.redis.check()).toMatchObject({ status: 'pass', uncertainCacheKeys: 0 });
    expect(JSON.parse((await rig.inspect.get(key)) ?? '{}').title).toBe('p2');
  });

  test('no stale read after Redis restarted empty', async () => {
    const entry = await createEntry('r1');
    await read(entry.id);
    await rig.redis.restart();
    await rig.app.request('PATCH', `/entries/${entry.id}`, { token, body: { title: 'r2' } });

    for (let attempt = 0; attempt < 20; attempt++) {
      expect((await read(entry.id)).title).toBe('r2');
      await Bun.sleep(100);
    }
  });
});
