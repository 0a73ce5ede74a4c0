import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test';
import { createClient, type RedisClientType, TimeoutReadError } from 'redis';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { PingTimeoutError, rawPing } from './raw-ping';
import { startRedisServer, type RedisServerHandle } from './redis-server';

type Client = RedisClientType;

describe('startFaultProxy', () => {
  let server: RedisServerHandle;
  let admin: Client;
  let proxy: FaultProxy;
  const clients: Client[] = [];

  const connectThroughProxy = async (commandTimeoutMs = 2_000) => {
    const client = createClient({
      url: `redis://${proxy.host}:${proxy.port}`,
      maintNotifications: 'disabled',
      commandOptions: { timeout: commandTimeoutMs, rejectInFlight: true },
      socket: { reconnectStrategy: false },
    });
    client.on('error', () => {});
    clients.push(client);
    await client.connect();

    return client;
  };

  beforeAll(async () => {
    server = await startRedisServer();
    admin = createClient({ url: server.url });
    admin.on('error', () => {});
    await admin.connect();
  });

  afterAll(async () => {
    admin.destroy();
    await server.stop();
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    proxy.close();
    await admin.flushAll();
  });

  /** Resolves when the client's connection is gone for good (it does not reconnect). */
  const terminated = (client: Client) =>
    new Promise<void>((resolve) => client.once('terminated', () => resolve()));

  test('passes bytes both ways and counts accepted connections', async () => {
    proxy = startFaultProxy({ targetPort: server.port });

    expect(await rawPing(proxy.port, 1_000)).toBe('+PONG');
    expect(await rawPing(proxy.port, 1_000)).toBe('+PONG');
    expect(proxy.connectionsAccepted).toBe(2);
  });

  test('refuses a target outside loopback', () => {
    expect(() => startFaultProxy({ targetHost: '10.0.0.1', targetPort: 6379 })).toThrow(
      'loopback',
    );
  });

  test('latency delays each direction by the given time', async () => {
    proxy = startFaultProxy({ targetPort: server.port });
    proxy.latency(150);

    const startedAt = performance.now();
    expect(await rawPing(proxy.port, 5_000)).toBe('+PONG');

    // A lower bound only: a busy machine makes the trip longer, never shorter.
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(300);
  });

  test('latency keeps the order of chunks', async () => {
    proxy = startFaultProxy({ targetPort: server.port });
    const client = await connectThroughProxy();
    proxy.latency(20);

    const replies = await Promise.all(Array.from({ length: 100 }, () => client.incr('order')));

    expect(replies).toEqual(Array.from({ length: 100 }, (_, index) => index + 1));
  });

  test('blackhole leaves new connections unanswered', async () => {
    proxy = startFaultProxy({ targetPort: server.port });
    proxy.blackhole();

    await expect(rawPing(proxy.port, 300)).rejects.toBeInstanceOf(PingTimeoutError);
    expect(proxy.connectionsAccepted).toBe(1);
  });

  test('blackhole silences existing connections and delivers held bytes once lifted', async () => {
    proxy = startFaultProxy({ targetPort: server.port });
    const client = await connectThroughProxy(250);
    expect(await client.incr('held')).toBe(1);

    proxy.blackhole();
    await expect(client.incr('held')).rejects.toBeInstanceOf(TimeoutReadError);
    proxy.pass();

    // The INCR held in the blackhole reaches Redis late, like after a healed partition.
    expect(await client.incr('held')).toBe(3);
  });

  test('reset breaks existing connections and every new one', async () => {
    proxy = startFaultProxy({ targetPort: server.port });
    const client = await connectThroughProxy();
    const ended = terminated(client);
    const errors: Error[] = [];
    client.on('error', (error: Error) => errors.push(error));

    proxy.reset();
    await ended;

    expect(errors.length).toBeGreaterThan(0);
    const reply = rawPing(proxy.port, 1_000);
    await expect(reply).rejects.toBeInstanceOf(Error);
    await expect(reply).rejects.not.toBeInstanceOf(PingTimeoutError);
    expect(proxy.connectionsAccepted).toBe(2);
  });

  test('refuse stops listening until the mode changes again', async () => {
    proxy = startFaultProxy({ targetPort: server.port });
    const client = await connectThroughProxy();
    const ended = terminated(client);

    proxy.refuse();

    await ended;
    await expect(rawPing(proxy.port, 1_000)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    proxy.pass();
    expect(await rawPing(proxy.port, 1_000)).toBe('+PONG');
  });

  test('close stops listening and ends every connection', async () => {
    proxy = startFaultProxy({ targetPort: server.port });
    const client = await connectThroughProxy();
    const ended = terminated(client);

    proxy.close();

    await ended;
    expect(proxy.connectionsOpen).toBe(0);
    await expect(rawPing(proxy.port, 1_000)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
