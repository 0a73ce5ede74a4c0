import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { startRedisRig, type RedisTestRig } from '../support/redis-app.ts';
import { startTestApp } from '../support/test-app.ts';

let rig: RedisTestRig;
beforeAll(async () => {
  rig = await startRedisRig({
    RATE_LIMIT_REQUESTS: '20',
    RATE_LIMIT_WINDOW: '1m',
    AUTH_RATE_LIMIT_REQUESTS: '5',
    TRUST_PROXY: '1',
  });
});
afterAll(() => rig.stop());

const fromAddress = (address: string) => ({ headers: { 'x-forwarded-for': address } });

describe('rate limiting in Redis', () => {
  test('200 parallel requests against a limit of 20 let exactly 20 through', async () => {
    const responses = await Promise.all(
      Array.from({ length: 200 }, () => rig.app.request('GET', '/entries', fromAddress('198.51.100.1'))),
    );
    const limited = responses.filter((response) => response.status === 429);

    expect(responses.length - limited.length).toBe(20);
    expect(limited).toHaveLength(180);
    const sample = limited[0]!;
    expect(Number(sample.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(sample.headers.get('ratelimit-policy')).toBe('"default";q=20;w=60');
    expect(sample.headers.get('ratelimit')).toMatch(/^"default";r=0;t=\d+$/);
    expect(sample.headers.get('content-type')).toBe('application/problem+json');
  });

  test('answers carry RateLimit fields with the remaining quota', async () => {
    const response = await rig.app.request('GET', '/entries', fromAddress('198.51.100.2'));

    expect(response.headers.get('ratelimit')).toMatch(/^"default";r=19;t=\d+$/);
  });

  test('operations routes are not limited', async () => {
    for (let index = 0; index < 30; index++) {
      const response = await rig.app.request('GET', '/health/live', fromAddress('198.51.100.1'));
      expect(response.status).toBe(200);
    }
  });

  test('login and register have their own stricter limit per address', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () =>
        rig.app.request('POST', '/auth/login', {
          ...fromAddress('198.51.100.3'),
          body: { email: 'nobody@example.com', password: 'wrong password' },
        }),
      ),
    );

    expect(attempts.filter((response) => response.status === 401)).toHaveLength(5);
    expect(attempts.filter((response) => response.status === 429)).toHaveLength(3);
  });

  test('with Redis down, the in-process limiter applies the same limit', async () => {
    rig.proxy.refuse();
    const responses: Response[] = [];
    for (let index = 0; index < 25; index++) {
      responses.push(await rig.app.request('GET', '/entries', fromAddress('198.51.100.4')));
    }
    rig.proxy.pass();

    expect(responses.filter((response) => response.status === 429)).toHaveLength(5);
    expect(responses.every((response) => response.status < 500)).toBe(true);
  });

  test('a signed-in user is limited by user id, whatever the address', async () => {
    const token = await rig.app.signIn();
    let allowed = 0;
    for (let index = 0; index < 22; index++) {
      const response = await rig.app.request('GET', '/entries', {
        token,
        ...fromAddress(`203.0.113.${index}`),
      });
      if (response.status === 200) allowed++;
    }

    expect(allowed).toBe(20);
  });
});

describe('rate limiting across a Redis outage', () => {
  let blip: RedisTestRig;
  beforeAll(async () => {
    blip = await startRedisRig({ RATE_LIMIT_REQUESTS: '5', RATE_LIMIT_WINDOW: '1m' });
  });
  afterAll(() => blip.stop());

  const getEntries = async (count: number) => {
    const responses: Response[] = [];
    for (let index = 0; index < count; index++) {
      responses.push(await blip.app.request('GET', '/entries'));
    }

    return responses;
  };

  test('the in-process limiter goes on from the count Redis kept in this window', async () => {
    const whileUp = await getEntries(5);
    const [key] = await blip.inspect.keys('bw:rl:default:*');
    blip.proxy.refuse();
    const whileDown = await getEntries(5);
    blip.proxy.pass();

    expect(whileUp.map((response) => response.status)).toEqual([401, 401, 401, 401, 401]);
    expect(await blip.inspect.get(key!)).toBe('5');
    expect(whileDown.map((response) => response.status)).toEqual([429, 429, 429, 429, 429]);
    expect(whileDown[0]!.headers.get('ratelimit')).toMatch(/^"default";r=0;t=(59|60)$/);
  });
});

describe('rate limiting without Redis', () => {
  test('REDIS_URL=off limits in process', async () => {
    const app = startTestApp({ RATE_LIMIT_REQUESTS: '3', REDIS_URL: 'off' });
    const statuses: number[] = [];
    for (let index = 0; index < 5; index++) statuses.push((await app.request('GET', '/entries')).status);
    await app.close();

    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });
});
