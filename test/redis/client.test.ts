import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test';
import { EventEmitter } from 'node:events';
import { ClientOfflineError, createClient, type RedisClientType, TimeoutReadError } from 'redis';
import {
  createRedisClient,
  type RedisClient,
  type RedisClientOptions,
} from '../../src/redis/client';
import { closeWithin } from '../../src/redis/close-within';
import {
  trackConnectionState,
  type RedisConnectionEvent,
} from '../../src/redis/connection-state';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { pollUntil } from '../support/poll-until';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server';

const COMMAND_TIMEOUT_MS = 250;
// Generous: a busy 2-core machine delays timers, but never by three command timeouts.
const FAIL_FAST_LIMIT_MS = 3 * COMMAND_TIMEOUT_MS;

async function elapsedMs<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const startedAt = performance.now();
  const result = await run();

  return { result, ms: performance.now() - startedAt };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }

  throw new Error('expected the command to fail');
}

describe('trackConnectionState', () => {
  class FakeClient extends EventEmitter {
    isReady = false;
  }

  const track = () => {
    const client = new FakeClient();
    const events: RedisConnectionEvent['type'][] = [];
    trackConnectionState(client, (event) => events.push(event.type));

    return { client, events };
  };

  const failAttempt = (client: FakeClient) => {
    client.emit('error', new Error('connect ECONNREFUSED'));
    client.emit('reconnecting');
  };

  test('reports an outage once however many attempts it takes', () => {
    const { client, events } = track();
    client.isReady = true;
    client.emit('ready');

    client.isReady = false;
    for (let attempt = 0; attempt < 5; attempt++) failAttempt(client);
    client.isReady = true;
    client.emit('ready');

    expect(events).toEqual(['connected', 'lost', 'reconnecting', 'connected']);
  });

  test('passes the error that caused the loss', () => {
    const client = new FakeClient();
    const events: RedisConnectionEvent[] = [];
    trackConnectionState(client, (event) => events.push(event));
    const cause = new Error('read ECONNRESET');

    client.emit('error', cause);

    expect(events).toEqual([{ type: 'lost', error: cause }]);
  });

  test('ignores errors while the connection stays ready', () => {
    const { client, events } = track();
    client.isReady = true;
    client.emit('ready');

    client.emit('error', new Error('keep-alive PING timed out'));

    expect(events).toEqual(['connected']);
  });

  test('reports a first connection that fails as lost', () => {
    const { client, events } = track();

    failAttempt(client);
    failAttempt(client);

    expect(events).toEqual(['lost', 'reconnecting']);
  });

  test('reports nothing after the client is closed', () => {
    const { client, events } = track();
    client.emit('end');

    failAttempt(client);
    client.emit('ready');

    expect(events).toEqual([]);
  });
});

describe('createRedisClient options', () => {
  const valid: RedisClientOptions = { url: 'redis://127.0.0.1:1', commandTimeoutMs: 250 };

  test.each([
    ['a URL of another scheme', { url: 'http://127.0.0.1:6379' }, 'url'],
    ['a URL that does not parse', { url: 'not a url' }, 'url'],
    ['a zero command timeout', { commandTimeoutMs: 0 }, 'commandTimeoutMs'],
    ['a fractional connect timeout', { connectTimeoutMs: 10.5 }, 'connectTimeoutMs'],
    ['a command timeout as long as the connect timeout', { connectTimeoutMs: 250 }, 'shorter'],
    ['a queue too short for the handshake', { commandsQueueMaxLength: 3 }, 'commandsQueue'],
  ] as const)('refuses %s when called', (_, override, message) => {
    expect(() => createRedisClient({ ...valid, ...override })).toThrow(message);
  });

  test('never puts the URL, which may hold a password, in its error', () => {
    const url = 'http://user:secret@127.0.0.1:6379';

    const error = (() => {
      try {
        createRedisClient({ ...valid, url });
      } catch (thrown) {
        return thrown;
      }
    })();

    expect(error).toBeInstanceOf(RangeError);
    expect(String(error)).not.toContain('secret');
  });
});

describe('createRedisClient against a real redis-server', () => {
  let server: RedisServerHandle;
  let blocker: RedisClientType | undefined;
  const clients: RedisClient[] = [];
  const proxies: FaultProxy[] = [];

  const create = (overrides: Partial<RedisClientOptions> = {}) => {
    const events: RedisConnectionEvent['type'][] = [];
    const errors: Error[] = [];
    const client = createRedisClient({
      url: server.url,
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
      onEvent: (event) => events.push(event.type),
      onError: (error) => errors.push(error),
      ...overrides,
    });
    clients.push(client);

    return { client, events, errors };
  };

  beforeAll(async () => {
    server = await startRedisServer({ extraArgs: ['--enable-debug-command', 'local'] });
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const proxy of proxies.splice(0)) proxy.close();
    blocker?.destroy();
    blocker = undefined;
    if (server.frozen) server.resume();
    await server.restart();
  });

  afterAll(async () => {
    await server.stop();
  });

  test('fails a GET written before the freeze within its time limit', async () => {
    const { client } = create();
    await client.connect();
    const sleeper = createClient({ url: server.url });
    blocker = sleeper;
    sleeper.on('error', () => {});
    await sleeper.connect();
    // The server sleeps, so the GET is written and read but not answered before the freeze.
    sleeper.sendCommand(['DEBUG', 'SLEEP', '2']).catch(() => {});
    await Bun.sleep(50);

    const { result: error, ms } = await elapsedMs(async () => {
      const get = failure(client.get('key'));
      await Bun.sleep(50);
      server.freeze();

      return get;
    });

    expect(error).toBeInstanceOf(TimeoutReadError);
    expect(ms).toBeLessThan(FAIL_FAST_LIMIT_MS);
  });

  test('fails a GET sent to a frozen server within its time limit, again and again', async () => {
    const { client } = create();
    await client.connect();
    server.freeze();

    for (let attempt = 0; attempt < 3; attempt++) {
      const { result: error, ms } = await elapsedMs(() => failure(client.get('key')));

      expect(error).toBeInstanceOf(TimeoutReadError);
      expect(ms).toBeLessThan(FAIL_FAST_LIMIT_MS);
    }
  });

  test('gives each command its own reply once a frozen server resumes', async () => {
    const { client } = create();
    await client.connect();
    await client.mSet({ first: 'one', second: 'two' });
    server.freeze();
    await failure(client.get('first'));

    server.resume();

    // The late reply to the timed-out GET is discarded, not handed to the next command.
    expect(await client.get('second')).toBe('two');
  });

  test('keeps a quiet connection open past its inactivity limit', async () => {
    const { client, events, errors } = create({ connectTimeoutMs: 1_000 });
    await client.connect();

    await Bun.sleep(2_500);

    expect(events).toEqual(['connected']);
    expect(errors).toEqual([]);
  });

  test('keeps its connection through a freeze longer than the inactivity limit', async () => {
    const { client, events } = create({ connectTimeoutMs: 1_000 });
    await client.connect();
    await client.set('key', 'value');
    server.freeze();

    await Bun.sleep(2_500);
    server.resume();

    expect(await client.get('key')).toBe('value');
    expect(events).toEqual(['connected']);
  });

  test('rejects at once what does not fit in the command queue', async () => {
    const { client } = create({ commandsQueueMaxLength: 10 });
    await client.connect();
    server.freeze();

    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) => client.get(`key-${index}`)),
    );

    const full = outcomes.filter(
      (outcome) => outcome.status === 'rejected' && outcome.reason.message === 'The queue is full',
    );
    expect(full.length).toBeGreaterThanOrEqual(10);
  });

  test('does not hang connecting to a frozen server, and connects once it resumes', async () => {
    const { client, events } = create({ connectTimeoutMs: 500 });
    server.freeze();

    const connecting = client.connect();
    await pollUntil('the failed attempt', () => events.includes('lost'), { limitMs: 3_000 });
    server.resume();
    await connecting;

    expect(events).toEqual(['lost', 'reconnecting', 'connected']);
  });

  test('closeWithin destroys a client whose close hangs on a frozen server', async () => {
    const { client } = create();
    await client.connect();
    server.freeze();
    const pending = failure(client.get('key'));

    const { result: outcome, ms } = await elapsedMs(() => closeWithin(client, 300));

    expect(outcome).toBe('destroyed');
    expect(ms).toBeLessThan(300 + FAIL_FAST_LIMIT_MS);
    expect(client.isOpen).toBe(false);
    await pending;
  });

  test('closeWithin closes gracefully when the server answers', async () => {
    const { client } = create();
    await client.connect();
    const get = client.get('key');

    const outcome = await closeWithin(client, 2_000);

    expect(outcome).toBe('closed');
    expect(await get).toBeNull();
  });

  test('fails commands at once while Redis is killed, with no offline queue', async () => {
    const { client, events } = create();
    await client.connect();

    await server.kill();
    await pollUntil('the loss', () => events.includes('lost'), { limitMs: 2_000 });
    const { result: error, ms } = await elapsedMs(() => failure(client.get('key')));

    expect(error).toBeInstanceOf(ClientOfflineError);
    expect(ms).toBeLessThan(COMMAND_TIMEOUT_MS);
  });

  test('reconnects after a restart and reports each change of state once', async () => {
    const { client, events, errors } = create();
    await client.connect();
    await client.set('before', 'restart');

    await server.kill();
    await pollUntil('several failed attempts', () => errors.length >= 4, { limitMs: 5_000 });
    await server.restart();
    await pollUntil('the reconnection', () => client.isReady, { limitMs: 5_000 });

    expect(events).toEqual(['connected', 'lost', 'reconnecting', 'connected']);
    expect(await client.get('before')).toBeNull();
  });

  test('times commands out through a blackholed network and recovers when it heals', async () => {
    const proxy = startFaultProxy({ targetPort: server.port });
    proxies.push(proxy);
    const { client } = create({ url: `redis://${proxy.host}:${proxy.port}` });
    await client.connect();

    proxy.blackhole();
    const { result: error, ms } = await elapsedMs(() => failure(client.get('key')));
    proxy.pass();

    expect(error).toBeInstanceOf(TimeoutReadError);
    expect(ms).toBeLessThan(FAIL_FAST_LIMIT_MS);
    expect(await client.ping()).toBe('PONG');
  });

  test('keeps reconnecting without a crash while nothing listens', async () => {
    await server.kill();
    // No onError nor onEvent: an `error` event with no listener would throw and fail the run.
    const client = createRedisClient({ url: server.url, commandTimeoutMs: COMMAND_TIMEOUT_MS });
    clients.push(client);
    let attempts = 0;
    client.on('reconnecting', () => attempts++);

    const connecting = client.connect();
    await pollUntil('several reconnect attempts', () => attempts >= 3, { limitMs: 5_000 });
    await server.restart();
    await connecting;

    expect(client.isReady).toBe(true);
  });
});
