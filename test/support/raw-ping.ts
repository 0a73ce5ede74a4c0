import type { Socket } from 'bun';
import { LOOPBACK } from './free-port';

export class PingTimeoutError extends Error {
  constructor(readonly port: number, readonly timeoutMs: number) {
    super(`no PONG from ${LOOPBACK}:${port} within ${timeoutMs}ms`);
  }
}

/**
 * Sends an inline `PING` over a fresh TCP connection, without any Redis client, and resolves
 * with the reply line. Rejects with `PingTimeoutError` when no full line comes in time, and
 * with the socket error when the connection fails.
 */
export async function rawPing(port: number, timeoutMs: number): Promise<string> {
  const { promise, resolve, reject } = Promise.withResolvers<string>();
  let received = '';
  let socket: Socket | undefined;
  let settled = false;
  const timer = setTimeout(() => reject(new PingTimeoutError(port, timeoutMs)), timeoutMs);
  Bun.connect({
    hostname: LOOPBACK,
    port,
    socket: {
      open(opened) {
        opened.write('PING\r\n');
      },
      data(_, chunk) {
        received += chunk.toString('latin1');
        const end = received.indexOf('\r\n');
        if (end !== -1) resolve(received.slice(0, end));
      },
      close() {
        reject(new Error(`connection to ${LOOPBACK}:${port} closed before a reply`));
      },
      error(_, error) {
        reject(error);
      },
    },
  }).then(
    (connected) => {
      // The ping may have timed out while the connection was still being made.
      if (settled) connected.terminate();
      else socket = connected;
    },
    reject,
  );

  try {
    return await promise;
  } finally {
    settled = true;
    clearTimeout(timer);
    socket?.terminate();
  }
}

/** Whether a server on `port` answers `PING` with `+PONG` within `timeoutMs`. */
export async function answersPing(port: number, timeoutMs: number): Promise<boolean> {
  try {
    return (await rawPing(port, timeoutMs)) === '+PONG';
  } catch {
    return false;
  }
}
