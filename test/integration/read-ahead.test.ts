import { afterEach, beforeEach, expect, test } from 'bun:test';
import { createDeadline } from '../../src/resilience/deadline.ts';
import { parseExposition, valueOrZero } from '../observability/exposition.ts';
import { startRedisRig, type RedisTestRig } from '../support/redis-app.ts';

let rig: RedisTestRig;
let token: string;

beforeEach(async () => {
  rig = await startRedisRig({ RATE_LIMIT_REQUESTS: '4' });
  token = await rig.app.signIn();
});
afterEach(() => rig.stop());

const createEntry = (title: string) => rig.app.createEntry(token, title);

async function counter(name: string, labels: Record<string, string>): Promise<number> {
  return valueOrZero(parseExposition(await rig.app.services.metrics.render()), name, labels);
}

test('a lookup started ahead serves only the entry it was started for', async () => {
  const [ahead, other] = [await createEntry('ahead'), await createEntry('other')];
  await rig.app.request('GET', `/entries/${ahead.id}`, { token });
  const userId = (JSON.parse(atob(token.split('.')[1] ?? '')) as { sub: string }).sub;
  const cache = rig.app.services.redis.cache;
  const deadline = createDeadline({ timeoutMs: 1_000 });

  try {
    cache.readAhead(userId, ahead.id, deadline);
    const found = await cache.entry(userId, other.id, () => other, deadline);

    expect(found).toEqual(other);
  } finally {
    deadline.dispose();
  }
});

test('a read the limiter refuses answers 429; its early lookup is dropped uncounted', async () => {
  const entry = await createEntry('limited');
  const path = `/entries/${entry.id}`;
  let status = 200;
  for (let sent = 0; sent < 10 && status === 200; sent++) {
    status = (await rig.app.request('GET', path, { token })).status;
  }
  expect(status).toBe(429);
  const before = {
    sent: await counter('redis_commands_total', { command: 'GET', outcome: 'ok' }),
    hits: await counter('cache_requests_total', { result: 'hit' }),
  };

  const refused = await rig.app.request('GET', path, { token });

  expect(refused.status).toBe(429);
  expect(await counter('redis_commands_total', { command: 'GET', outcome: 'ok' })).toBe(
    before.sent + 1,
  );
  expect(await counter('cache_requests_total', { result: 'hit' })).toBe(before.hits);
});
