import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { Config } from './config.ts';

/**
 * The one description of every setting, as the strings the environment holds. Defaults,
 * meanings and secrecy live here and nowhere else: the loader, `.env.example`, the README
 * table and `check-config` all read them from this schema.
 */

/** How a variable's text becomes a value, and how that value is shown back. */
export type VariableKind =
  | 'integer'
  | 'duration'
  | 'size'
  | 'text'
  | 'listen-host'
  | 'choice'
  | 'redis-url';

/** What must never be shown: the whole value, or a URL's password and query values. */
export type SecretPart = 'whole' | 'url-secrets';

/** The keywords breakwater adds to each variable's schema. */
export interface VariableMeta {
  kind: VariableKind;
  description: string;
  default?: string;
  /** The field of `Config` that receives the converted value; absent for folded-in variables. */
  configKey?: keyof Config;
  secret?: SecretPart;
  /** Bounds in the converted unit: a count, milliseconds or bytes. */
  min?: number;
  max?: number;
  /** Least length in UTF-8 bytes, for text. */
  minBytes?: number;
}

/**
 * The longest duration accepted: 24 days (576h). Durations feed timers, and a JavaScript
 * timer longer than 2^31-1 ms (about 24.8 days) fires at once.
 */
export const MAX_DURATION_MS = 576 * 3_600_000;

function optional(kind: VariableKind, meta: Omit<VariableMeta, 'kind'>) {
  return Type.Optional(Type.String({ ...meta, kind }));
}

const duration = (meta: Omit<VariableMeta, 'kind'>) =>
  optional('duration', { min: 1, max: MAX_DURATION_MS, ...meta });

const positiveInteger = (meta: Omit<VariableMeta, 'kind'>) =>
  optional('integer', { min: 1, ...meta });

const logLevel = Type.Union(
  [Type.Literal('debug'), Type.Literal('info'), Type.Literal('warn'), Type.Literal('error')],
  {
    kind: 'choice',
    configKey: 'logLevel',
    default: 'info',
    description: 'debug, info, warn, error',
  },
);

const logFormat = Type.Union([Type.Literal('json'), Type.Literal('pretty')], {
  kind: 'choice',
  configKey: 'logFormat',
  default: 'json',
  description: 'json, or pretty for people at a terminal',
});

export type LogLevel = Static<typeof logLevel>;
export type LogFormat = Static<typeof logFormat>;

export const configSchema = Type.Object(
  {
    PORT: optional('integer', {
      configKey: 'port',
      default: '8080',
      min: 0,
      max: 65535,
      description: 'listen port (0 picks any free port)',
    }),
    HOST: optional('listen-host', {
      configKey: 'host',
      default: '0.0.0.0',
      description: 'listen address',
    }),
    DB_PATH: optional('text', {
      configKey: 'dbPath',
      default: './data/breakwater.db',
      description: 'SQLite file; its folder is created',
    }),
    REDIS_URL: optional('redis-url', {
      configKey: 'redisUrl',
      default: 'redis://localhost:6379',
      secret: 'url-secrets',
      description: 'redis:// or rediss:// address; `off` runs without Redis: no cache, '
        + 'an in-process rate limiter',
    }),
    REDIS_HOST: optional('text', {
      description: 'accepted for compatibility: Redis host when REDIS_URL is not set '
        + '(default localhost)',
    }),
    REDIS_PORT: optional('integer', {
      min: 1,
      max: 65535,
      description: 'accepted for compatibility: Redis port when REDIS_URL is not set '
        + '(default 6379)',
    }),
    JWT_SECRET: Type.String({
      kind: 'text',
      configKey: 'jwtSecret',
      secret: 'whole',
      minBytes: 32,
      description: 'key that signs access tokens, at least 32 bytes; required: '
        + 'the service refuses to start without it',
    }),
    JWT_TTL: duration({
      configKey: 'jwtTtlMs',
      default: '1h',
      min: 1000,
      description: 'access token lifetime',
    }),
    LOG_LEVEL: Type.Optional(logLevel),
    LOG_FORMAT: Type.Optional(logFormat),
    REQUEST_TIMEOUT: duration({
      configKey: 'requestTimeoutMs',
      default: '10s',
      description: 'deadline of one request; answer 504 when it passes (at most 250s)',
    }),
    SHUTDOWN_TIMEOUT: duration({
      configKey: 'shutdownTimeoutMs',
      default: '10s',
      description: 'how long SIGTERM waits for in-flight work',
    }),
    RATE_LIMIT_REQUESTS: positiveInteger({
      configKey: 'rateLimitRequests',
      default: '100',
      description: 'requests per window per client',
    }),
    RATE_LIMIT_WINDOW: duration({
      configKey: 'rateLimitWindowMs',
      default: '60s',
      min: 1000,
      description: 'rate-limit window',
    }),
    AUTH_RATE_LIMIT_REQUESTS: positiveInteger({
      configKey: 'authRateLimitRequests',
      default: '10',
      description: 'login and register attempts per window per client address',
    }),
    AUTH_RATE_LIMIT_WINDOW: duration({
      configKey: 'authRateLimitWindowMs',
      default: '60s',
      min: 1000,
      description: 'window of that stricter limit',
    }),
    TRUST_PROXY: optional('integer', {
      configKey: 'trustProxy',
      default: '0',
      min: 0,
      description: 'number of trusted proxy hops in X-Forwarded-For (0: use the socket address)',
    }),
    MAX_BODY_SIZE: optional('size', {
      configKey: 'maxBodySizeBytes',
      default: '1mb',
      min: 1,
      description: 'larger bodies get 413 (1kb = 1024 bytes)',
    }),
    CACHE_TTL: duration({
      configKey: 'cacheTtlMs',
      default: '5m',
      description: 'lifetime of a cached entry',
    }),
    REDIS_TIMEOUT: duration({
      configKey: 'redisTimeoutMs',
      default: '250ms',
      description: 'time limit of one Redis command attempt; a request waits it out at most once',
    }),
    REDIS_BREAKER_THRESHOLD: optional('integer', {
      configKey: 'redisBreakerThreshold',
      default: '5',
      min: 0,
      description: 'consecutive failures that open the breaker (0 disables the breaker, '
        + 'for comparison runs)',
    }),
    REDIS_BREAKER_COOLDOWN: duration({
      configKey: 'redisBreakerCooldownMs',
      default: '30s',
      description: 'how long the breaker stays open before one probe',
    }),
    REDIS_CONNECT_ATTEMPTS: positiveInteger({
      configKey: 'redisConnectAttempts',
      default: '3',
      description: 'connection attempts at boot before starting degraded',
    }),
    REDIS_CONNECT_DELAY: duration({
      configKey: 'redisConnectDelayMs',
      default: '500ms',
      min: 0,
      description: 'first delay between Redis connect attempts at boot, doubled after each (500ms, 1s, 2s…); after boot, reconnects start from it and double up to 2s (or this delay if longer), each jittered to half to all of it',
    }),
    WORKER_POOL_SIZE: positiveInteger({
      configKey: 'workerPoolSize',
      default: '4',
      description: 'concurrent webhook deliveries',
    }),
  },
  { description: 'breakwater settings, read from the environment' },
);

export type VariableName = keyof typeof configSchema.properties;

export interface VariableSpec extends VariableMeta {
  name: VariableName;
  required: boolean;
  /** The allowed values of a `choice`, read from the schema's literals. */
  choices: readonly string[];
  schema: TSchema;
}

const requiredNames: readonly string[] = configSchema.required ?? [];

function specOf(name: VariableName, schema: TSchema): VariableSpec {
  // Every property above is built with the VariableMeta keywords.
  const meta = schema as TSchema & VariableMeta;
  const literals: TSchema[] = Array.isArray(schema.anyOf) ? schema.anyOf : [];

  return {
    name,
    kind: meta.kind,
    description: meta.description,
    default: meta.default,
    configKey: meta.configKey,
    secret: meta.secret,
    min: meta.min,
    max: meta.max,
    minBytes: meta.minBytes,
    required: requiredNames.includes(name),
    choices: literals.map((literal) => String(literal.const)),
    schema,
  };
}

/** Every variable, in the schema's order, with its metadata read once. */
export const variables: readonly VariableSpec[] = Object.entries(configSchema.properties).map(
  ([name, schema]) => specOf(name as VariableName, schema),
);
