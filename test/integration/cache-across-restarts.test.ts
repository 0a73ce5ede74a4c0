import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Entry } from '../../src/entries/entry.ts';
import { pollUntil } from '../support/poll-until.ts';
import { redisRigEnv, startProxiedRedis, type ProxiedRedis } from '../support/redis-app.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

// Every run of the service here shares one SQLite file and one Redis, as a deploy would.
let redis: ProxiedRedis;
let folder: string;
const running: TestApp[] = [];
beforeEach(async () => {
  redis = await startProxiedRedis();
  folder = mkdtempSync(join(tmpdir(), 'breakwater-restarts-'));
});
afterEach(async () => {
  for (const app of running.splice(0)) await app.close();
  await redis.stop();
  rmSync(folder, { recursive: true, force: true });
});

async function startRun(): Promise<TestApp> {
  const app = startTestApp({
    REDIS_URL: redis.url,
    DB_PATH: join(folder, 'journal.db'),
    ...redisRigEnv,
  });
  running.push(app);
  await app.services.redis.ready;
  await app.services.redis.settle();

  return app;
}

async function stopRun(app: TestApp): Promise<void> {
  running.splice(running.indexOf(app), 1);
  await app.close();
}

const titleRead = async (app: TestApp, token: string, id: string) => {
  const response = await app.request('GET', `/entries/${id}`, { token });
  expect(response.status).toBe(200);

  return ((await response.json()) as Entry).title;
};

const patchTitle = (app: TestApp, token: string, id: string, title: string) =>
  app.request('PATCH', `/entries/${id}`, { token, body: { title } });

/** Reads a few times, letting the cache settle in between: every answer must be `title`. */
async function readsOnly(app: TestApp, token: string, id: string, title: string) {
  for (let read = 0; read < 5; read++) {
    expect(await titleRead(app, token, id)).toBe(title);
    await app.services.redis.settle();
  }
}

describe('the entry cache across restarts', () => {
  test('a write whose invalidation failed is not read stale after a restart', async () => {
    const first = await startRun();
    const token = await first.signIn('restart@example.com');
    const entry = await first.createEntry(token, 'v1');
    await titleRead(first, token, entry.id);
    expect(await redis.cachedEntryKeys(entry.id)).toHaveLength(1);

    redis.proxy.refuse();
    expect((await patchTitle(first, token, entry.id, 'v2')).status).toBe(200);
    await stopRun(first);
    redis.proxy.pass();

    const second = await startRun();
    await readsOnly(second, token, entry.id, 'v2');
  });

  test('a clean shutdown with every invalidation applied lets the next run keep it', async () => {
    const first = await startRun();
    const token = await first.signIn('clean@example.com');
    const entry = await first.createEntry(token, 'kept');
    await titleRead(first, token, entry.id);
    await stopRun(first);

    const second = await startRun();
    expect(second.services.redis.check()).toMatchObject({ status: 'pass', uncertainCacheKeys: 0 });
    expect(await redis.cachedEntryKeys(entry.id)).toHaveLength(1);
    await readsOnly(second, token, entry.id, 'kept');
  });

  test('an entry cached before Redis restarted from an older snapshot is not served', async () => {
    const app = await startRun();
    const token = await app.signIn('snapshot@example.com');
    const entry = await app.createEntry(token, 's1');
    await titleRead(app, token, entry.id);
    await redis.inspect.sendCommand(['SAVE']);

    expect((await patchTitle(app, token, entry.id, 's2')).status).toBe(200);
    expect(await redis.cachedEntryKeys(entry.id)).toHaveLength(0);
    // The snapshot still holds s1: the restarted Redis brings it back.
    await redis.redis.restart();
    const reconnected = () => app.services.redis.check().connected === true;
    await pollUntil('the service to reconnect', reconnected, { limitMs: 5_000 });

    await readsOnly(app, token, entry.id, 's2');
  });

  test('a run with no record of a clean shutdown purges the namespace, and only it', async () => {
    const stale = Array.from({ length: 5_000 }, (_, index) => `bw:cache:entry:u:${index}`);
    for (let start = 0; start < stale.length; start += 1_000) {
      const batch = stale.slice(start, start + 1_000);
      await redis.inspect.mSet(batch.map((key): [string, string] => [key, 'old']));
    }
    await redis.inspect.set('not-ours', 'kept');
    // Each SCAN-and-UNLINK step then takes about 120 ms: the whole purge does not fit in one
    // 200 ms REDIS_TIMEOUT, so it must go on from pass to pass.
    redis.proxy.latency(30);

    const app = await startRun();
    const purged = async () => {
      await app.services.redis.settle();

      return (await redis.inspect.dbSize()) === 1;
    };
    await pollUntil('the purge to finish', purged, { limitMs: 5_000 });

    expect(await redis.inspect.get('not-ours')).toBe('kept');
  });
});
