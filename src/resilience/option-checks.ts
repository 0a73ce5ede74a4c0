import { InvalidResilienceOptionError } from './errors.ts';

/** A whole number at or above `min`; `Infinity` only when `allowInfinity` says so. */
export function checkCount(option: string, value: number, min: number, allowInfinity = false) {
  if (allowInfinity && value === Number.POSITIVE_INFINITY) return;
  if (!Number.isSafeInteger(value) || value < min) {
    const expected = `a whole number >= ${min}${orInfinity(allowInfinity)}`;
    throw new InvalidResilienceOptionError(option, expected, value);
  }
}

/** A finite number of milliseconds at or above `min`; `Infinity` only when allowed. */
export function checkMs(option: string, value: number, min = 0, allowInfinity = false): void {
  if (allowInfinity && value === Number.POSITIVE_INFINITY) return;
  if (!Number.isFinite(value) || value < min) {
    const expected = `a finite number of milliseconds >= ${min}${orInfinity(allowInfinity)}`;
    throw new InvalidResilienceOptionError(option, expected, value);
  }
}

/** A number in (0, 1]. */
export function checkRatio(option: string, value: number): void {
  if (!(value > 0 && value <= 1)) {
    throw new InvalidResilienceOptionError(option, 'a ratio in (0, 1]', value);
  }
}

/** A finite number at or above `min`. */
export function checkFactor(option: string, value: number, min: number): void {
  if (!Number.isFinite(value) || value < min) {
    throw new InvalidResilienceOptionError(option, `a finite number >= ${min}`, value);
  }
}

export function checkName(option: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidResilienceOptionError(option, 'a non-empty string', value);
  }
}

function orInfinity(allowed: boolean): string {
  return allowed ? ' or Infinity' : '';
}
