import { createClient, type RedisClientType } from 'redis';
import { trackConnectionState, type RedisConnectionEvent } from './connection-state';
import { createReconnectDelay } from './reconnect-delay';

export type RedisClient = RedisClientType;

export type RedisClientOptions = {
  /** `redis://` or `rediss://` URL. */
  url: string;
  /** Time limit of one command, from the call until its reply, sent or not. */
  commandTimeoutMs: number;
  /**
   * Time limit of one connection attempt, TCP connect and handshake (`HELLO`) together. It is
   * also the longest a connection may carry no traffic: the client pings to keep it busy.
   */
  connectTimeoutMs?: number;
  /** Commands waiting to be sent or answered; more are rejected at once. */
  commandsQueueMaxLength?: number;
  /**
   * The delay before reconnect attempt `retries` (0 for the first), called once per failed
   * attempt. It must return a number: node-redis stops for good on anything else. Unset, it
   * doubles from 100 ms up to 2 s, jittered.
   */
  reconnectDelay?: (retries: number) => number;
  /** Each change of connection state, once (not each reconnect attempt). */
  onEvent?: (event: RedisConnectionEvent) => void;
  /** Every `error` event of the client, connection attempts and failed pings included. */
  onError?: (error: Error) => void;
};

const REDIS_CLIENT_DEFAULTS = {
  connectTimeoutMs: 1_000,
  // node-redis queues its handshake (HELLO, two CLIENT SETINFO) like any command, so a limit
  // of 3 or less (4 or less with maintenance notifications on) never lets it connect.
  commandsQueueMaxLength: 1_000,
  reconnectFirstDelayMs: 100,
  reconnectMaxDelayMs: 2_000,
} as const;

const MIN_QUEUE_LENGTH = 10;

/**
 * A node-redis client that fails fast instead of waiting for Redis: no offline queue, a
 * bounded queue, a time limit on every command (also once written), on connecting and on a
 * silent connection, and reconnection that never stops. It does no retries and has no
 * breaker: the resilience layer adds those on top. It is returned unconnected.
 */
export function createRedisClient(options: RedisClientOptions): RedisClient {
  const settings = checkOptions(options);
  const reconnectDelay =
    options.reconnectDelay ??
    createReconnectDelay({
      firstDelayMs: REDIS_CLIENT_DEFAULTS.reconnectFirstDelayMs,
      maxDelayMs: REDIS_CLIENT_DEFAULTS.reconnectMaxDelayMs,
    });

  const client: RedisClient = createClient({
    url: settings.url,
    disableOfflineQueue: true,
    commandsQueueMaxLength: settings.commandsQueueMaxLength,
    // Maintenance push notifications would stretch every time limit to 10 s
    // (maintRelaxedCommandTimeout, maintRelaxedSocketTimeout) during a failover.
    maintNotifications: 'disabled',
    // rejectInFlight: without it, `timeout` (and an abort signal) covers only the wait to be
    // sent, and a command written to a frozen server never settles.
    commandOptions: { timeout: settings.commandTimeoutMs, rejectInFlight: true },
    // The handshake gets no command timeout, so only the socket's inactivity limit stops
    // connect() from hanging on a frozen server; the pings keep a quiet healthy connection
    // under that limit.
    pingInterval: settings.pingIntervalMs,
    socket: {
      connectTimeout: settings.connectTimeoutMs,
      socketTimeout: settings.connectTimeoutMs,
      // Called with SocketTimeoutError too; the default strategy gives up on that one.
      reconnectStrategy: (retries) => reconnectDelay(retries),
    },
  });

  // Without an `error` listener, node-redis stops reconnecting (and EventEmitter throws).
  client.on('error', (error: Error) => options.onError?.(error));
  if (options.onEvent) trackConnectionState(client, options.onEvent);

  return client;
}

type CheckedOptions = {
  url: string;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  commandsQueueMaxLength: number;
  pingIntervalMs: number;
};

function checkOptions(options: RedisClientOptions): CheckedOptions {
  const defaults = REDIS_CLIENT_DEFAULTS;
  const { url, commandTimeoutMs } = options;
  const connectTimeoutMs = options.connectTimeoutMs ?? defaults.connectTimeoutMs;
  const commandsQueueMaxLength = options.commandsQueueMaxLength ?? defaults.commandsQueueMaxLength;
  const problems: string[] = [];
  const protocol = parseUrl(url)?.protocol;
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    problems.push('url must be a redis:// or rediss:// URL');
  }

  const timeouts = { commandTimeoutMs, connectTimeoutMs };
  for (const [name, value] of Object.entries(timeouts)) {
    if (!isPositiveInteger(value)) problems.push(`${name} must be a positive integer`);
  }

  if (!isPositiveInteger(commandsQueueMaxLength) || commandsQueueMaxLength < MIN_QUEUE_LENGTH) {
    problems.push(`commandsQueueMaxLength must be an integer of at least ${MIN_QUEUE_LENGTH}`);
  }

  // A ping cycle (interval, then up to a command timeout) must fit in the inactivity limit,
  // or a frozen server would cost the connection and not only the commands.
  if (commandTimeoutMs >= connectTimeoutMs) {
    problems.push('commandTimeoutMs must be shorter than connectTimeoutMs');
  }

  if (problems.length > 0) {
    throw new RangeError(`invalid Redis client options: ${problems.join('; ')}`);
  }

  return {
    url,
    commandTimeoutMs,
    connectTimeoutMs,
    commandsQueueMaxLength,
    pingIntervalMs: Math.max(1, Math.floor((connectTimeoutMs - commandTimeoutMs) / 2)),
  };
}

function isPositiveInteger(value: number): boolean {
  return Number.isInteger(value) && value > 0;
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
