/**
 * The client's address: the socket's, or with `trustedHops` proxies in front, the address
 * the outermost trusted proxy saw, read from the right of X-Forwarded-For.
 */
export function clientAddress(socketAddress: string, forwardedFor: string | null, trustedHops: number) {
  if (trustedHops === 0 || !forwardedFor) return socketAddress;

  const hops = forwardedFor
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => hop.length > 0);
  if (hops.length === 0) return socketAddress;

  return hops[Math.max(0, hops.length - trustedHops)] ?? socketAddress;
}
