import { describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const sourceDir = resolve(import.meta.dir, '../../src/resilience');
const sources = readdirSync(sourceDir)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => ({ file, text: readFileSync(join(sourceDir, file), 'utf8') }));

function importsOf(text: string): string[] {
  return [...text.matchAll(/\bfrom\s+'([^']+)'|\bimport\s*\(\s*'([^']+)'/g)].map(
    (match) => match[1] ?? match[2] ?? '',
  );
}

describe('src/resilience', () => {
  test('imports no framework, Redis client or ORM: only its own files and the shared clock', () => {
    expect(sources.length).toBeGreaterThan(10);
    const foreign = sources.flatMap(({ file, text }) =>
      importsOf(text)
        .filter((specifier) => !/^\.\/[a-z-]+\.ts$/.test(specifier))
        .filter((specifier) => specifier !== '../shared/clock.ts')
        .map((specifier) => `${file}: ${specifier}`),
    );

    expect(foreign).toEqual([]);
  });

  test('uses named exports only', () => {
    const offending = sources
      .filter(({ text }) => /export\s+default|export\s+\*/.test(text))
      .map(({ file }) => file);

    expect(offending).toEqual([]);
  });
});
