/** Reading, building and showing the Redis address without ever showing its password. */

export type RedisUrlCheck = { ok: true; url: string | null } | { ok: false; hint: string };

const DATABASE_PATH = /^\/?(\d+)?$/;
const HOST_NAME = /^[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?$/i;
const IPV6_ADDRESS = /^\[?([0-9a-f:.]+)\]?$/i;

/** `off` (no Redis) or a redis:// / rediss:// URL with a host and at most a database number. */
export function checkRedisUrl(text: string): RedisUrlCheck {
  if (text.toLowerCase() === 'off') return { ok: true, url: null };

  if (!URL.canParse(text)) {
    return { ok: false, hint: 'not a URL; percent-encode special characters in the password' };
  }

  const url = new URL(text);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    return { ok: false, hint: `scheme "${url.protocol}" is neither redis: nor rediss:` };
  }

  if (url.hostname === '') return { ok: false, hint: 'the URL has no host' };
  if (!DATABASE_PATH.test(url.pathname)) {
    return { ok: false, hint: 'the path can only be a database number, such as /0' };
  }

  return { ok: true, url: text };
}

/** Replaces the password of a URL with `****`; also works on text that is not a valid URL. */
export function maskUrlPassword(text: string): string {
  const authorityStart = text.indexOf('://') + 3;
  // The last `@` ends the credentials, as in URL parsing: a stray `@` in a password stays hidden.
  const credentialsEnd = text.lastIndexOf('@');
  if (authorityStart < 3 || credentialsEnd < authorityStart) return text;

  const credentials = text.slice(authorityStart, credentialsEnd);
  const colon = credentials.indexOf(':');
  if (colon < 0) return text;

  const user = credentials.slice(0, colon);

  return `${text.slice(0, authorityStart)}${user}:****${text.slice(credentialsEnd)}`;
}

/** Whether REDIS_HOST names a host: a DNS name, an IPv4 or an IPv6 address. */
export function isRedisHost(host: string): boolean {
  return HOST_NAME.test(host) || (host.includes(':') && IPV6_ADDRESS.test(host));
}

/** The URL that the compatibility variables REDIS_HOST and REDIS_PORT stand for. */
export function redisUrlFromHostAndPort(host: string, port: number): string {
  const bare = IPV6_ADDRESS.exec(host)?.[1] ?? host;
  const hostPart = host.includes(':') ? `[${bare}]` : host;

  return `redis://${hostPart}:${port}`;
}
