import { describe, expect, test } from 'bun:test';
import {
  formatDuration,
  formatSize,
  parseDuration,
  parseSize,
} from '../../src/config/units.ts';

describe('parseDuration', () => {
  test.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    ['1.1s', 1100],
    ['0ms', 0],
    ['30S', 30_000],
  ])('reads %s as %d milliseconds', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: ms });
  });

  test('refuses a bare number and suggests writing the unit', () => {
    expect(parseDuration('30')).toEqual({
      ok: false,
      error: '"30" has no unit; write 30s for seconds or 30ms for milliseconds',
    });
  });

  test('refuses an unknown unit and lists the known ones', () => {
    const parsed = parseDuration('2d');

    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toBe('"2d" has an unknown unit "d"; use one of h, m, s, ms');
  });

  const notDurations = ['', 'ten seconds', '-5s', '1e3ms', '.5s', '5 s'];

  test.each(notDurations)('refuses %p as not a duration', (text) => {
    const parsed = parseDuration(text);

    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toContain('is not a duration');
  });

  test('refuses a fraction of a millisecond', () => {
    expect(parseDuration('0.5ms')).toEqual({
      ok: false,
      error: '"0.5ms" is not a whole number of milliseconds',
    });
  });

  test('refuses an amount beyond the safe integers', () => {
    expect(parseDuration('9999999999999999h').ok).toBe(false);
  });
});

describe('parseSize', () => {
  test.each([
    ['100b', 100],
    ['512kb', 512 * 1024],
    ['1mb', 1024 * 1024],
    ['1gb', 1024 ** 3],
    ['1.5mb', 1.5 * 1024 * 1024],
    ['1MB', 1024 * 1024],
  ])('reads %s as %d bytes, in binary multiples', (text, bytes) => {
    expect(parseSize(text)).toEqual({ ok: true, value: bytes });
  });

  test('refuses a bare number and suggests bytes or an exact larger unit', () => {
    expect(parseSize('1048576')).toEqual({
      ok: false,
      error: '"1048576" has no unit; write 1048576b for bytes (or 1mb)',
    });
    expect(parseSize('100')).toEqual({
      ok: false,
      error: '"100" has no unit; write 100b for bytes',
    });
  });

  test('refuses a fraction of a byte', () => {
    expect(parseSize('0.3kb')).toEqual({
      ok: false,
      error: '"0.3kb" is not a whole number of bytes',
    });
  });

  test('refuses a unit it does not know', () => {
    const parsed = parseSize('1mib');

    expect(!parsed.ok && parsed.error).toBe(
      '"1mib" has an unknown unit "mib"; use one of gb, mb, kb, b',
    );
  });
});

describe('formatDuration and formatSize', () => {
  test('write the largest unit that keeps the amount whole', () => {
    const durations = [3_600_000, 90_000, 1500, 0].map(formatDuration);
    const sizes = [1024 ** 3, 1024 * 1024, 1536, 100].map(formatSize);

    expect(durations).toEqual(['1h', '90s', '1500ms', '0ms']);
    expect(sizes).toEqual(['1gb', '1mb', '1536b', '100b']);
  });

  test('round-trip through the parsers', () => {
    for (const ms of [1, 999, 1000, 61_000, 7_200_000]) {
      expect(parseDuration(formatDuration(ms))).toEqual({ ok: true, value: ms });
    }

    for (const bytes of [1, 1023, 1024, 5 * 1024 * 1024 + 1]) {
      expect(parseSize(formatSize(bytes))).toEqual({ ok: true, value: bytes });
    }
  });
});
