import { connect } from 'node:net';
import { LOOPBACK } from '../support/free-port.ts';

export interface HeldRequest {
  /** Sends the body; the server can answer only after this. */
  finish(): void;
  /** Everything the server sent after its 100 Continue, until it closed the connection. */
  received: Promise<string>;
}

const interimContinue = 'HTTP/1.1 100 Continue\r\n\r\n';

/**
 * A JSON request that asks `Expect: 100-continue` and holds its body back until `finish()`.
 * Resolves once the server has answered 100 Continue: from then on the request is in flight
 * on the server (a connection merely accepted by the kernel would not prove that).
 */
export function holdRequest(port: number, path: string, body: string): Promise<HeldRequest> {
  const bytes = Buffer.from(body);
  const head = [
    `POST ${path} HTTP/1.1`,
    `Host: ${LOOPBACK}:${port}`,
    'Content-Type: application/json',
    `Content-Length: ${bytes.length}`,
    'Expect: 100-continue',
    'Connection: close',
    '',
    '',
  ].join('\r\n');

  return new Promise((resolve, reject) => {
    const socket = connect(port, LOOPBACK);
    let text = '';
    let held = false;
    const received = new Promise<string>((settle) => {
      socket.once('close', () => settle(text.replace(interimContinue, '')));
    });
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (held || !text.startsWith(interimContinue)) return;

      held = true;
      resolve({ finish: () => socket.write(bytes), received });
    });
    socket.once('close', () => {
      if (!held) reject(new Error(`the server closed before 100 Continue: ${JSON.stringify(text)}`));
    });
    // Errors after the hold (a reset at shutdown) end the connection: `received` tells.
    socket.on('error', (error) => {
      if (!held) reject(error);
    });
    socket.once('connect', () => socket.write(head));
  });
}

/** The status code of a raw HTTP/1.1 response, or 0 when there was none. */
export function statusOf(raw: string): number {
  const match = /^HTTP\/1\.1 (\d{3}) /.exec(raw);

  return match ? Number(match[1]) : 0;
}
