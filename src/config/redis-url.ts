import { RedisClient } from 'redis';

/** Reading, building and showing the Redis address without ever showing its secrets. */

export type RedisUrlCheck = { ok: true; url: string | null } | { ok: false; hint: string };

const DATABASE_PATH = /^\/?(\d+)?$/;
const HOST_NAME = /^[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?$/i;
const IPV6_ADDRESS = /^\[?([0-9a-f:.]+)\]?$/i;
const MASK = '****';
const IGNORED_PARTS_HINT = 'node-redis ignores a query string or fragment; '
  + 'put a password in the userinfo part: redis://:password@host:6379';
const UNDECODABLE_CREDENTIALS_HINT =
  'the user name or password does not percent-decode; write a % in them as %25';

/**
 * `off` (no Redis) or a redis:// / rediss:// URL with a host and at most a database number,
 * which node-redis reads as written: it ignores a query string and a fragment, and would
 * throw while connecting on credentials that do not percent-decode.
 */
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
  if (url.search !== '' || url.hash !== '') return { ok: false, hint: IGNORED_PARTS_HINT };
  if (!DATABASE_PATH.test(url.pathname)) {
    return { ok: false, hint: 'the path can only be a database number, such as /0' };
  }

  if (!percentDecodes(url.username) || !percentDecodes(url.password)) {
    return { ok: false, hint: UNDECODABLE_CREDENTIALS_HINT };
  }

  // The checks above explain the usual mistakes; node-redis's own parser has the last word.
  if (!nodeRedisCanParse(text)) return { ok: false, hint: 'node-redis cannot read this URL' };

  return { ok: true, url: text };
}

/**
 * The URL with its password and the values of its query and fragment replaced by `****`;
 * also works on text that is not a valid URL.
 */
export function maskRedisUrl(text: string): string {
  const authorityStart = text.indexOf('://') + 3;
  if (authorityStart < 3) return text;

  // The last `@` ends the credentials, as in URL parsing: a stray `@` in a password stays hidden.
  const credentialsEnd = Math.max(text.lastIndexOf('@'), authorityStart);
  const credentials = text.slice(authorityStart, credentialsEnd);
  const rest = text.slice(credentialsEnd);

  return `${text.slice(0, authorityStart)}${maskCredentials(credentials)}${maskQuery(rest)}`;
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

function percentDecodes(text: string): boolean {
  try {
    decodeURIComponent(text);

    return true;
  } catch {
    return false;
  }
}

function nodeRedisCanParse(text: string): boolean {
  try {
    RedisClient.parseURL(text);

    return true;
  } catch {
    return false;
  }
}

function maskCredentials(credentials: string): string {
  const end = credentials.search(/[:?#]/);
  if (end < 0) return credentials;

  // A `?` or `#` before any `:` starts a query or fragment that holds an `@`, not a password.
  return credentials[end] === ':' ? `${credentials.slice(0, end)}:${MASK}` : maskQuery(credentials);
}

/** Masks each value of the query (`name=****`) and the whole fragment. */
function maskQuery(rest: string): string {
  const hashStart = rest.indexOf('#');
  const beforeHash = hashStart < 0 ? rest : rest.slice(0, hashStart);
  const fragment = hashStart < 0 ? '' : `#${MASK}`;
  const queryStart = beforeHash.indexOf('?');
  if (queryStart < 0) return `${beforeHash}${fragment}`;

  const pairs = beforeHash.slice(queryStart + 1).split('&').map((pair) => {
    const equals = pair.indexOf('=');

    return equals < 0 ? MASK : `${pair.slice(0, equals)}=${MASK}`;
  });

  return `${beforeHash.slice(0, queryStart)}?${pairs.join('&')}${fragment}`;
}
