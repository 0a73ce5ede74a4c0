import { isIPv4, isIPv6 } from 'node:net';

/** The longest host name DNS carries, without its optional final dot (RFC 1035). */
const MAX_HOST_NAME_LENGTH = 253;
/** RFC 1123: letters, digits and inner hyphens, 1 to 63 characters. */
const HOST_NAME_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const DIGITS = /^\d+$/;

/** Whether Bun.serve could listen on `host`: an IPv4 or IPv6 literal, or a host name. */
export function isListenHost(host: string): boolean {
  return isIPv4(host) || isIPv6(host) || isHostName(host);
}

function isHostName(host: string): boolean {
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  const labels = name.split('.');
  // An all-digit last label is a mistyped IPv4 address such as 999.1.1.1, not a name.
  const lastLabel = labels.at(-1) ?? '';

  return name.length <= MAX_HOST_NAME_LENGTH
    && labels.every((label) => HOST_NAME_LABEL.test(label))
    && !DIGITS.test(lastLabel);
}
