import { connect } from 'node:net';
import { LOOPBACK } from '../support/free-port.ts';

export type ConnectOutcome = 'accepted' | 'refused';

/** Opens a TCP connection to a loopback port and closes it at once, saying whether it could. */
export function connectOutcome(port: number): Promise<ConnectOutcome> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, LOOPBACK);
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') resolve('refused');
      else reject(error);
    });
  });
}
