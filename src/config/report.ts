import type { Config } from './config.ts';
import type { ConfigValue } from './convert.ts';
import type { ConfigProblem } from './load.ts';
import { maskValue } from './mask.ts';
import { maskRedisUrl } from './redis-url.ts';
import { type VariableName, type VariableSpec, variables } from './schema.ts';
import { formatDuration, formatSize } from './units.ts';

/** The exit status for a bad configuration (sysexits.h). */
export const EX_CONFIG = 78;

export interface ConfigEntry {
  variable: VariableName;
  /** The effective value as it would be written in the environment, secrets masked. */
  value: string;
}

/** Every problem, one per line (a hint indented below it), under a one-line summary. */
export function formatProblems(problems: readonly ConfigProblem[]): string {
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  const lines = problems.flatMap((problem) => {
    const given = problem.value === null ? ' is not set' : `=${problem.value}`;
    const line = `  ${problem.variable}${given}: expected ${problem.expected}`;

    return problem.hint === undefined ? [line] : [line, `    ${problem.hint}`];
  });

  return [`breakwater: invalid configuration (${count})`, ...lines].join('\n');
}

/** The effective configuration, one entry per variable in the schema's order, secrets masked. */
export function configEntries(config: Readonly<Config>): ConfigEntry[] {
  return variables.flatMap((spec) => {
    if (spec.configKey === undefined) return [];

    return [{ variable: spec.name, value: showValue(spec, config[spec.configKey]) }];
  });
}

/** The effective configuration as `VARIABLE=value` lines, secrets masked: `check-config`. */
export function describeConfig(config: Readonly<Config>): string {
  return configEntries(config)
    .map(({ variable, value }) => `${variable}=${value}`)
    .join('\n');
}

function showValue(spec: VariableSpec, value: ConfigValue): string {
  switch (spec.kind) {
    case 'duration':
      return formatDuration(Number(value));
    case 'size':
      return formatSize(Number(value));
    case 'redis-url':
      return value === null ? 'off' : maskRedisUrl(String(value));
    case 'integer':
    case 'choice':
    case 'text':
    case 'listen-host':
      return maskValue(spec, String(value));
    default:
      return unreachable(spec.kind);
  }
}

function unreachable(kind: never): never {
  throw new Error(`unknown variable kind: ${String(kind)}`);
}
