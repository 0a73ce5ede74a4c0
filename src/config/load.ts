import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';
import { type ConfigValue, type Conversion, convertValue, expectedWhenMissing } from './convert.ts';
import { BUN_MAX_IDLE_TIMEOUT_S, MAX_REQUEST_TIMEOUT_MS } from './idle-timeout.ts';
import { maskValue } from './mask.ts';
import { isRedisHost, redisUrlFromHostAndPort } from './redis-url.ts';
import { type VariableName, type VariableSpec, variables } from './schema.ts';
import { formatDuration } from './units.ts';

/** One thing wrong with the environment; `value` has its secrets masked, null when unset. */
export interface ConfigProblem {
  variable: VariableName;
  value: string | null;
  expected: string;
  hint?: string;
}

export type LoadResult =
  | { ok: true; config: Readonly<Config> }
  | { ok: false; problems: readonly ConfigProblem[] };

type GivenValues = Partial<Record<VariableName, string>>;

const DEFAULT_REDIS_HOST = 'localhost';
const DEFAULT_REDIS_PORT = 6379;
// Kubernetes and Docker links set REDIS_PORT=tcp://host:port for a service named redis.
const LINK_VARIABLE_HINT =
  'this looks like a variable set by Kubernetes or Docker links; set REDIS_URL instead';

/**
 * Reads the settings from `env` (the caller passes process.env), applies the schema's
 * defaults, converts and validates every variable, and reports every problem at once.
 * An empty value counts as unset.
 */
export function loadConfig(env: Record<string, string | undefined>): LoadResult {
  const given = readGiven(env);
  const problems: ConfigProblem[] = [];
  const redisUrl = redisUrlFromCompatibility(given, problems);
  const effective: GivenValues = redisUrl === undefined ? given : { ...given, REDIS_URL: redisUrl };
  const values: Partial<Record<keyof Config, ConfigValue>> = {};

  for (const spec of variables) {
    if (spec.configKey === undefined) continue;

    const text = effective[spec.name] ?? spec.default;
    const converted = text === undefined ? expectedWhenMissing(spec) : convertValue(spec, text);
    if (converted.ok) values[spec.configKey] = converted.value;
    else problems.push(problemOf(spec, text, converted));
  }

  problems.push(...crossFieldProblems(values, effective), ...filesystemProblems(values));
  if (problems.length > 0) return { ok: false, problems: problems.sort(bySchemaOrder) };

  // Each spec with a configKey stored a value or a problem, so every field is present.
  return { ok: true, config: Object.freeze(values as Config) };
}

function readGiven(env: Record<string, string | undefined>): GivenValues {
  const given: GivenValues = {};
  for (const spec of variables) {
    const text = env[spec.name];
    if (text === undefined || text.trim() === '') continue;

    // A secret is taken byte for byte: its spaces count.
    given[spec.name] = spec.secret === 'whole' ? text : text.trim();
  }

  return given;
}

/** REDIS_HOST and REDIS_PORT build the URL only when REDIS_URL itself is not set. */
function redisUrlFromCompatibility(
  given: GivenValues,
  problems: ConfigProblem[],
): string | undefined {
  const { REDIS_URL: url, REDIS_HOST: host, REDIS_PORT: port } = given;
  if (url !== undefined || (host === undefined && port === undefined)) return undefined;

  const portSpec = specNamed('REDIS_PORT');
  const portConverted: Conversion =
    port === undefined ? { ok: true, value: DEFAULT_REDIS_PORT } : convertValue(portSpec, port);
  const found: ConfigProblem[] = [];
  if (host !== undefined && !isRedisHost(host)) {
    found.push({ variable: 'REDIS_HOST', value: host, expected: 'a host name or IP address' });
  }

  if (!portConverted.ok) {
    const hint = port?.startsWith('tcp://') ? LINK_VARIABLE_HINT : undefined;
    found.push(problemOf(portSpec, port, { ...portConverted, hint }));
  }

  problems.push(...found);
  if (found.length > 0 || !portConverted.ok) return undefined;

  return redisUrlFromHostAndPort(host ?? DEFAULT_REDIS_HOST, Number(portConverted.value));
}

function crossFieldProblems(
  values: Partial<Record<keyof Config, ConfigValue>>,
  effective: GivenValues,
): ConfigProblem[] {
  const requestTimeoutMs = values.requestTimeoutMs;
  if (typeof requestTimeoutMs !== 'number' || requestTimeoutMs <= MAX_REQUEST_TIMEOUT_MS) {
    return [];
  }

  return [
    {
      variable: 'REQUEST_TIMEOUT',
      // The default is far below the cap, so a value this large was given.
      value: effective.REQUEST_TIMEOUT ?? null,
      expected: `a duration of at most ${formatDuration(MAX_REQUEST_TIMEOUT_MS)}`,
      hint:
        "Bun's idleTimeout must stay above REQUEST_TIMEOUT, " +
        `and Bun caps it at ${BUN_MAX_IDLE_TIMEOUT_S}s`,
    },
  ];
}

/** The one check that reads the filesystem: DB_PATH must not name an existing folder. */
function filesystemProblems(values: Partial<Record<keyof Config, ConfigValue>>): ConfigProblem[] {
  const { dbPath } = values;
  if (typeof dbPath !== 'string' || !isFolder(dbPath)) return [];

  const example = join(dbPath, 'breakwater.db');

  return [
    {
      variable: 'DB_PATH',
      value: dbPath,
      expected: 'the path of an SQLite file',
      hint: `${dbPath} is a folder; name a file inside it, such as ${example}`,
    },
  ];
}

function isFolder(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    // Unreadable or otherwise odd: opening the database reports it with its real cause.
    return false;
  }
}

function problemOf(
  spec: VariableSpec,
  text: string | undefined,
  failed: Extract<Conversion, { ok: false }>,
): ConfigProblem {
  const problem: ConfigProblem = {
    variable: spec.name,
    value: text === undefined ? null : maskValue(spec, text),
    expected: failed.expected,
  };

  return failed.hint === undefined ? problem : { ...problem, hint: failed.hint };
}

function bySchemaOrder(first: ConfigProblem, second: ConfigProblem): number {
  return schemaIndex(first.variable) - schemaIndex(second.variable);
}

function schemaIndex(name: VariableName): number {
  return variables.findIndex((spec) => spec.name === name);
}

function specNamed(name: VariableName): VariableSpec {
  const spec = variables.find((candidate) => candidate.name === name);
  if (spec === undefined) throw new Error(`no variable named ${name} in the schema`);

  return spec;
}
