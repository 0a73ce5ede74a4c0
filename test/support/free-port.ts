export const LOOPBACK = '127.0.0.1';

/**
 * A loopback port that was free a moment ago. Another process may still take it before the
 * caller binds it, so callers that start servers retry on "address in use".
 */
export function findFreePort(): number {
  const listener = Bun.listen({ hostname: LOOPBACK, port: 0, socket: { data() {} } });
  const { port } = listener;
  listener.stop(true);

  return port;
}
