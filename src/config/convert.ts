import { Value } from '@sinclair/typebox/value';
import { isListenHost } from './listen-host.ts';
import { checkRedisUrl } from './redis-url.ts';
import type { VariableSpec } from './schema.ts';
import { formatDuration, formatSize, parseDuration, parseSize, type UnitParse } from './units.ts';

/** One variable's value after conversion: a count, milliseconds, bytes, text or no Redis. */
export type ConfigValue = number | string | null;

export type Conversion =
  | { ok: true; value: ConfigValue }
  | { ok: false; expected: string; hint?: string };

const WHOLE_NUMBER = /^\d+$/;
const LISTEN_HOST_EXPECTED =
  'an IPv4 or IPv6 address, or a host name (RFC 1123), such as 0.0.0.0 or ::';
const SECRET_HINT = 'generate one with: openssl rand -base64 48';

/** Turns the text of one variable into its value, or says what was expected instead. */
export function convertValue(spec: VariableSpec, text: string): Conversion {
  switch (spec.kind) {
    case 'integer':
      return toInteger(spec, text);
    case 'duration':
      return toMeasure(spec, parseDuration(text), formatDuration, 'a duration');
    case 'size':
      return toMeasure(spec, parseSize(text), formatSize, 'a size');
    case 'text':
      return toText(spec, text);
    case 'listen-host':
      return toListenHost(text);
    case 'choice':
      return toChoice(spec, text);
    case 'redis-url':
      return toRedisUrl(text);
    default:
      return unreachable(spec.kind);
  }
}

/** What a variable that is not set at all should have been. */
export function expectedWhenMissing(spec: VariableSpec): Conversion {
  if (spec.minBytes === undefined) return { ok: false, expected: 'a value' };

  return {
    ok: false,
    expected: `a secret of at least ${spec.minBytes} bytes (UTF-8)`,
    hint: SECRET_HINT,
  };
}

function toInteger(spec: VariableSpec, text: string): Conversion {
  const value = Number(text);
  const expected = `an integer ${range(spec, String)}`.trimEnd();
  if (!WHOLE_NUMBER.test(text) || !Number.isSafeInteger(value) || !inRange(spec, value)) {
    return { ok: false, expected };
  }

  return { ok: true, value };
}

function toMeasure(
  spec: VariableSpec,
  parsed: UnitParse,
  format: (amount: number) => string,
  noun: string,
): Conversion {
  const expected = `${noun} ${range(spec, format)}`.trimEnd();
  if (!parsed.ok) return { ok: false, expected, hint: parsed.error };
  if (!inRange(spec, parsed.value)) return { ok: false, expected };

  return { ok: true, value: parsed.value };
}

function toText(spec: VariableSpec, text: string): Conversion {
  const bytes = new TextEncoder().encode(text).length;
  if (spec.minBytes !== undefined && bytes < spec.minBytes) {
    return expectedWhenMissing(spec);
  }

  return { ok: true, value: text };
}

function toListenHost(text: string): Conversion {
  if (!isListenHost(text)) return { ok: false, expected: LISTEN_HOST_EXPECTED };

  return { ok: true, value: text };
}

function toChoice(spec: VariableSpec, text: string): Conversion {
  const value = text.toLowerCase();
  if (!Value.Check(spec.schema, value)) {
    return { ok: false, expected: `one of ${spec.choices.join(', ')}` };
  }

  return { ok: true, value };
}

function toRedisUrl(text: string): Conversion {
  const checked = checkRedisUrl(text);
  if (!checked.ok) {
    return {
      ok: false,
      expected: 'off, or a redis:// or rediss:// URL such as redis://localhost:6379',
      hint: checked.hint,
    };
  }

  return { ok: true, value: checked.url };
}

function inRange(spec: VariableSpec, value: number): boolean {
  return (spec.min === undefined || value >= spec.min)
    && (spec.max === undefined || value <= spec.max);
}

function range(spec: VariableSpec, format: (amount: number) => string): string {
  const { min, max } = spec;
  if (min !== undefined && max !== undefined) return `from ${format(min)} to ${format(max)}`;
  if (min !== undefined) return `of at least ${format(min)}`;
  if (max !== undefined) return `of at most ${format(max)}`;

  return '';
}

function unreachable(kind: never): never {
  throw new Error(`unknown variable kind: ${String(kind)}`);
}
