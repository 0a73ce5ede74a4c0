/**
 * Durations and sizes as people write them in the environment: a number and a unit.
 * Sizes use binary multiples: 1kb = 1024 bytes, 1mb = 1024kb, 1gb = 1024mb.
 */

export type UnitParse = { ok: true; value: number } | { ok: false; error: string };

interface Measure {
  noun: string;
  /** Units from largest to smallest; the last one is the base unit. */
  units: ReadonlyArray<readonly [name: string, factor: number]>;
  baseName: string;
  example: string;
  bareNumberFix: (digits: string) => string;
}

const durationMeasure: Measure = {
  noun: 'duration',
  units: [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ],
  baseName: 'milliseconds',
  example: '250ms, 30s, 5m or 1h',
  bareNumberFix: (digits) => `write ${digits}s for seconds or ${digits}ms for milliseconds`,
};

const sizeMeasure: Measure = {
  noun: 'size',
  units: [
    ['gb', 1024 ** 3],
    ['mb', 1024 ** 2],
    ['kb', 1024],
    ['b', 1],
  ],
  baseName: 'bytes',
  example: '100b, 512kb, 1mb or 1gb',
  bareNumberFix: (digits) => {
    const bytes = Number(digits);
    const larger = Number.isSafeInteger(bytes) ? formatIn(sizeMeasure, bytes) : `${digits}b`;
    const alternative = larger === `${digits}b` ? '' : ` (or ${larger})`;

    return `write ${digits}b for bytes${alternative}`;
  },
};

const NUMBER_AND_UNIT = /^(\d+)(?:\.(\d+))?([a-z]*)$/;

/** Parses `250ms`, `30s`, `5m`, `1h` or `1.5s` into whole milliseconds. */
export function parseDuration(text: string): UnitParse {
  return parseIn(durationMeasure, text);
}

/** Parses `100b`, `512kb`, `1mb` or `1gb` (binary multiples) into whole bytes. */
export function parseSize(text: string): UnitParse {
  return parseIn(sizeMeasure, text);
}

/** Writes milliseconds in the largest unit that keeps them whole: 90000 → `90s`. */
export function formatDuration(ms: number): string {
  return formatIn(durationMeasure, ms);
}

/** Writes bytes in the largest binary unit that keeps them whole: 1048576 → `1mb`. */
export function formatSize(bytes: number): string {
  return formatIn(sizeMeasure, bytes);
}

function parseIn(measure: Measure, text: string): UnitParse {
  const match = NUMBER_AND_UNIT.exec(text.trim().toLowerCase());
  const unitNames = measure.units.map(([name]) => name).join(', ');
  if (match === null) {
    return {
      ok: false,
      error: `"${text}" is not a ${measure.noun}; write a number and one of ${unitNames}, `
        + `such as ${measure.example}`,
    };
  }

  const [, whole = '', fraction = '', unit = ''] = match;
  const written = fraction === '' ? whole : `${whole}.${fraction}`;
  if (unit === '') {
    return { ok: false, error: `"${text}" has no unit; ${measure.bareNumberFix(written)}` };
  }

  const factor = measure.units.find(([name]) => name === unit)?.[1];
  if (factor === undefined) {
    return { ok: false, error: `"${text}" has an unknown unit "${unit}"; use one of ${unitNames}` };
  }

  // BigInt keeps `1.1s` exact: floating point would give 1100.0000000000002.
  const scale = 10n ** BigInt(fraction.length);
  const scaled = BigInt(whole + fraction) * BigInt(factor);
  if (scaled % scale !== 0n) {
    return { ok: false, error: `"${text}" is not a whole number of ${measure.baseName}` };
  }

  const value = scaled / scale;
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    return { ok: false, error: `"${text}" is too large` };
  }

  return { ok: true, value: Number(value) };
}

function formatIn(measure: Measure, amount: number): string {
  for (const [name, factor] of measure.units) {
    if (amount !== 0 && amount % factor === 0) return `${amount / factor}${name}`;
  }

  const base = measure.units.at(-1)?.[0] ?? '';

  return `${amount}${base}`;
}
