import { afterEach, describe, expect, test } from 'bun:test';
import { createClient, type RedisClientType } from 'redis';
import { PingTimeoutError, rawPing } from './raw-ping';
import { startRedisServer, type RedisServerHandle } from './redis-server';

const SYSTEM_REDIS_PORT = 6379;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function withClient<T>(url: string, use: (client: RedisClientType) => Promise<T>) {
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  try {
    return await use(client);
  } finally {
    client.destroy();
  }
}

describe('startRedisServer', () => {
  const started: RedisServerHandle[] = [];
  const start = async () => {
    const server = await startRedisServer();
    started.push(server);

    return server;
  };

  afterEach(async () => {
    await Promise.all(started.splice(0).map((server) => server.stop()));
  });

  test('starts a private server on a free loopback port that answers PING', async () => {
    const server = await start();

    expect(server.port).not.toBe(SYSTEM_REDIS_PORT);
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(isAlive(server.pid)).toBe(true);
    expect(await rawPing(server.port, 1_000)).toBe('+PONG');
  });

  test('gives two servers two ports', async () => {
    const [first, second] = await Promise.all([start(), start()]);

    expect(first.port).not.toBe(second.port);
  });

  test('runs without persistence', async () => {
    const server = await start();

    const config = await withClient(server.url, (client) =>
      client.configGet(['save', 'appendonly']),
    );

    expect(config).toEqual({ save: '', appendonly: 'no' });
  });

  test('freeze makes a PING time out and resume answers it again', async () => {
    const server = await start();

    server.freeze();

    await expect(rawPing(server.port, 300)).rejects.toBeInstanceOf(PingTimeoutError);
    server.resume();
    expect(await rawPing(server.port, 2_000)).toBe('+PONG');
  });

  test('kill ends the process and refuses connections until restart', async () => {
    const server = await start();
    const firstPid = server.pid;

    await server.kill();

    expect(isAlive(firstPid)).toBe(false);
    await expect(rawPing(server.port, 1_000)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  test('restart starts an empty server on the same port', async () => {
    const server = await start();
    const { port } = server;
    await withClient(server.url, (client) => client.set('survives', 'no'));

    await server.restart();

    expect(server.port).toBe(port);
    expect(await rawPing(port, 1_000)).toBe('+PONG');
    expect(await withClient(server.url, (client) => client.get('survives'))).toBeNull();
  });

  test('restart replaces a frozen process', async () => {
    const server = await start();
    const frozenPid = server.pid;
    server.freeze();

    await server.restart();

    expect(server.frozen).toBe(false);
    expect(isAlive(frozenPid)).toBe(false);
    expect(await rawPing(server.port, 1_000)).toBe('+PONG');
  });

  test('stop ends a frozen server and is safe to call twice', async () => {
    const server = await start();
    const { pid } = server;
    server.freeze();

    await server.stop();
    await server.stop();

    expect(isAlive(pid)).toBe(false);
    await expect(rawPing(server.port, 1_000)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
