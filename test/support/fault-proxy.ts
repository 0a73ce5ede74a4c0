import type { Socket, TCPSocketListener } from 'bun';
import { DelayedPipe } from './delayed-pipe';
import { LOOPBACK } from './free-port';

type ProxyMode =
  | { kind: 'pass' }
  | { kind: 'latency'; ms: number }
  | { kind: 'blackhole' }
  | { kind: 'reset' }
  | { kind: 'refuse' };

export type FaultProxyOptions = {
  targetPort: number;
  /** Loopback only: tests send traffic to this machine alone. */
  targetHost?: string;
};

export type FaultProxy = {
  readonly host: string;
  readonly port: number;
  /** Connections accepted since the start, those reset at once included. */
  readonly connectionsAccepted: number;
  readonly connectionsOpen: number;
  /** Forwards bytes both ways as they come. */
  pass(): void;
  /** Delays every chunk, each way, by `ms`; earlier chunks are never overtaken. */
  latency(ms: number): void;
  /**
   * Accepts connections and bytes but forwards and answers nothing, existing connections
   * included. Held bytes are delivered when the mode changes to `pass` or `latency`, as after
   * a healed partition.
   */
  blackhole(): void;
  /** Resets (RST) every existing connection, and each new one as soon as it is accepted. */
  reset(): void;
  /** Closes existing connections and stops listening, so connects are refused. */
  refuse(): void;
  close(): void;
};

type ProxiedConnection = {
  client: Socket<unknown>;
  upstream: Socket<unknown> | undefined;
  connecting: boolean;
  clientClosed: boolean;
  upstreamClosed: boolean;
  toServer: DelayedPipe;
  toClient: DelayedPipe;
};

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/** A TCP proxy on a free loopback port whose faults can be switched while it runs. */
export function startFaultProxy(options: FaultProxyOptions): FaultProxy {
  const targetHost = options.targetHost ?? LOOPBACK;
  if (!LOOPBACK_HOSTS.has(targetHost)) {
    throw new Error(`fault proxy target must be a loopback host, got ${targetHost}`);
  }

  let mode: ProxyMode = { kind: 'pass' };
  let accepted = 0;
  let closed = false;
  const connections = new Map<Socket<unknown>, ProxiedConnection>();

  const delayMs = () => (mode.kind === 'latency' ? mode.ms : 0);
  const isHeld = () => mode.kind === 'blackhole';

  const drop = (connection: ProxiedConnection, how: 'terminate' | 'end') => {
    connections.delete(connection.client);
    connection.toServer.dispose();
    connection.toClient.dispose();
    for (const socket of [connection.client, connection.upstream]) {
      if (socket === undefined) continue;
      if (how === 'terminate') socket.terminate();
      else socket.end();
    }
  };

  // A side that closes still gets the bytes queued towards the other side, then a FIN; the
  // connection is forgotten once both sides are closed.
  const onClientClosed = (connection: ProxiedConnection) => {
    connection.clientClosed = true;
    connection.toClient.dispose();
    connection.toServer.pushEnd(delayMs());
    const neverConnected = connection.upstream === undefined && !connection.connecting;
    if (connection.upstreamClosed || neverConnected) connections.delete(connection.client);
  };

  const onUpstreamClosed = (connection: ProxiedConnection) => {
    if (connection.upstreamClosed) return;
    connection.upstreamClosed = true;
    connection.toServer.dispose();
    connection.toClient.pushEnd(delayMs());
    if (connection.clientClosed) connections.delete(connection.client);
  };

  const connectUpstream = (connection: ProxiedConnection) => {
    if (connection.upstream !== undefined || connection.connecting) return;
    connection.connecting = true;
    Bun.connect({
      hostname: targetHost,
      port: options.targetPort,
      socket: {
        open(upstream) {
          connection.upstream = upstream;
          connection.connecting = false;
          if (!connections.has(connection.client)) {
            upstream.terminate();
            return;
          }

          connection.toServer.attach(upstream);
        },
        data(_, chunk) {
          connection.toClient.push(chunk, delayMs());
        },
        drain() {
          connection.toServer.pump();
        },
        end() {
          connection.toClient.pushEnd(delayMs());
        },
        close() {
          onUpstreamClosed(connection);
        },
        // `close` follows every error, and does the cleanup.
        error() {},
      },
    }).catch(() => {
      connection.connecting = false;
      onUpstreamClosed(connection);
    });
  };

  const listen = (port: number): TCPSocketListener<unknown> =>
    Bun.listen<unknown>({
      hostname: LOOPBACK,
      port,
      socket: {
        open(client) {
          accepted++;
          if (mode.kind === 'reset') {
            client.terminate();
            return;
          }

          const connection: ProxiedConnection = {
            client,
            upstream: undefined,
            connecting: false,
            clientClosed: false,
            upstreamClosed: false,
            toServer: new DelayedPipe(),
            toClient: new DelayedPipe(),
          };
          connections.set(client, connection);
          connection.toClient.attach(client);
          connection.toServer.hold(isHeld());
          connection.toClient.hold(isHeld());
          if (!isHeld()) connectUpstream(connection);
        },
        data(client, chunk) {
          connections.get(client)?.toServer.push(chunk, delayMs());
        },
        drain(client) {
          connections.get(client)?.toClient.pump();
        },
        end(client) {
          connections.get(client)?.toServer.pushEnd(delayMs());
        },
        close(client) {
          const connection = connections.get(client);
          if (connection !== undefined) onClientClosed(connection);
        },
        error() {},
      },
    });

  let listener: TCPSocketListener<unknown> | undefined = listen(0);
  const port = listener.port;

  const setMode = (next: ProxyMode) => {
    if (closed) throw new Error('fault proxy is closed');
    if (next.kind === 'latency' && !(Number.isFinite(next.ms) && next.ms >= 0)) {
      throw new RangeError(`latency must be a non-negative number of ms, got ${next.ms}`);
    }

    mode = next;
    switch (next.kind) {
      case 'pass':
      case 'latency':
      case 'blackhole':
        listener ??= listen(port);
        for (const connection of connections.values()) {
          connection.toServer.hold(isHeld());
          connection.toClient.hold(isHeld());
          if (!isHeld()) connectUpstream(connection);
        }
        return;
      case 'reset':
        listener ??= listen(port);
        for (const connection of [...connections.values()]) drop(connection, 'terminate');
        return;
      case 'refuse':
        listener?.stop(false);
        listener = undefined;
        for (const connection of [...connections.values()]) drop(connection, 'end');
        return;
      default: {
        const unreachable: never = next;
        throw new Error(`unknown proxy mode ${JSON.stringify(unreachable)}`);
      }
    }
  };

  return {
    host: LOOPBACK,
    port,
    get connectionsAccepted() {
      return accepted;
    },
    get connectionsOpen() {
      return connections.size;
    },
    pass: () => setMode({ kind: 'pass' }),
    latency: (ms) => setMode({ kind: 'latency', ms }),
    blackhole: () => setMode({ kind: 'blackhole' }),
    reset: () => setMode({ kind: 'reset' }),
    refuse: () => setMode({ kind: 'refuse' }),
    close() {
      if (closed) return;
      closed = true;
      listener?.stop(true);
      listener = undefined;
      for (const connection of [...connections.values()]) drop(connection, 'terminate');
    },
  };
}
