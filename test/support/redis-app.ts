import { createClient, type RedisClientType } from 'redis';
import { entryKey, pageKey } from '../../src/cache/redis-entry-cache.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { startRedisServer, type RedisServerHandle } from './redis-server.ts';
import { startTestApp, type TestApp } from './test-app.ts';

/** A private redis-server behind a fault proxy, for a service started by the test. */
export interface ProxiedRedis {
  redis: RedisServerHandle;
  proxy: FaultProxy;
  /** Where the service is pointed: through the proxy. */
  url: string;
  /** A direct client to the test Redis, bypassing the proxy, for inspecting keys. */
  inspect: RedisClientType;
  /** The keys under which Redis holds a cached copy of the entry, for any user. */
  cachedEntryKeys(entryId: string): Promise<string[]>;
  /** The keys under which Redis holds a first page, for any user. */
  cachedPageKeys(): Promise<string[]>;
  stop(): Promise<void>;
}

export interface RedisTestRig extends ProxiedRedis {
  app: TestApp;
}

/** Short Redis limits, so outage tests take seconds. */
export const redisRigEnv = {
  REDIS_TIMEOUT: '200ms',
  REDIS_BREAKER_THRESHOLD: '3',
  REDIS_BREAKER_COOLDOWN: '1s',
  REDIS_CONNECT_DELAY: '100ms',
};

export async function startProxiedRedis(): Promise<ProxiedRedis> {
  const redis = await startRedisServer();
  const proxy = startFaultProxy({ targetPort: redis.port });
  const inspect: RedisClientType = createClient({ url: redis.url, disableOfflineQueue: true });
  inspect.on('error', () => {});
  await inspect.connect();

  return {
    redis,
    proxy,
    url: `redis://127.0.0.1:${proxy.port}`,
    inspect,
    cachedEntryKeys: (entryId) => inspect.keys(entryKey('*', entryId)),
    cachedPageKeys: () => inspect.keys(pageKey('*')),
    async stop() {
      inspect.destroy();
      proxy.close();
      await redis.stop();
    },
  };
}

/** The service in-process, talking to a private redis-server through a fault proxy. */
export async function startRedisRig(env: Record<string, string> = {}): Promise<RedisTestRig> {
  const proxied = await startProxiedRedis();
  const app = startTestApp({ REDIS_URL: proxied.url, ...redisRigEnv, ...env });
  await app.services.redis.ready;
  // What the first read would start: the cache confirms the Redis run (and purges) first.
  await app.services.redis.settle();

  return {
    ...proxied,
    app,
    async stop() {
      await app.close();
      await proxied.stop();
    },
  };
}

/** Sends a request and measures how long the answer took. */
export async function timed(request: Promise<Response>): Promise<{ response: Response; ms: number }> {
  const started = performance.now();
  const response = await request;

  return { response, ms: performance.now() - started };
}
