import { createClient, type RedisClientType } from 'redis';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { startRedisServer, type RedisServerHandle } from './redis-server.ts';
import { startTestApp, type TestApp } from './test-app.ts';

export interface RedisTestRig {
  redis: RedisServerHandle;
  proxy: FaultProxy;
  app: TestApp;
  /** A direct client to the test Redis, bypassing the proxy, for inspecting keys. */
  inspect: RedisClientType;
  stop(): Promise<void>;
}

/** Short Redis limits, so outage tests take seconds. */
export const redisRigEnv = {
  REDIS_TIMEOUT: '200ms',
  REDIS_BREAKER_THRESHOLD: '3',
  REDIS_BREAKER_COOLDOWN: '1s',
  REDIS_CONNECT_DELAY: '100ms',
};

/** The service in-process, talking to a private redis-server through a fault proxy. */
export async function startRedisRig(env: Record<string, string> = {}): Promise<RedisTestRig> {
  const redis = await startRedisServer();
  const proxy = startFaultProxy({ targetPort: redis.port });
  const app = startTestApp({
    REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
    ...redisRigEnv,
    ...env,
  });
  await app.services.redis.ready;
  const inspect: RedisClientType = createClient({ url: redis.url, disableOfflineQueue: true });
  inspect.on('error', () => {});
  await inspect.connect();

  return {
    redis,
    proxy,
    app,
    inspect,
    async stop() {
      inspect.destroy();
      await app.close();
      proxy.close();
      await redis.stop();
    },
  };
}

/** Sends a request and measures how long the answer took. */
export async function timed(request: Promise<Response>): Promise<{ response: Response; ms: number }> {
  const started = performance.now();
  const response = await request;

  return { response, ms: performance.now() - started };
}
