import { $ } from 'bun';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchExecutable, type LaunchedExecutable } from './launch-executable.ts';

const root = new URL('../..', import.meta.url).pathname;
let built: Promise<string> | undefined;

/** Builds dist/breakwater once per test process and returns its path. */
export function buildExecutable(): Promise<string> {
  built ??= $`${process.execPath} run build`
    .cwd(root)
    .quiet()
    .then(() => `${root}dist/breakwater`);

  return built;
}

/** A fresh folder holding a copy of the executable and nothing else. */
export async function executableAlone(prefix: string): Promise<{ folder: string; binary: string }> {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  const binary = join(folder, 'breakwater');
  copyFileSync(await buildExecutable(), binary);

  return { folder, binary };
}

export type RunningExecutable = LaunchedExecutable<'pipe'>;

export const executableTestSecret = 'an-executable-test-secret-of-enough-bytes';

/** Runs `binary serve` in `cwd` without Redis, its output piped, and resolves once it is ready. */
export function startExecutable(
  binary: string,
  options: { cwd: string; env?: Record<string, string> },
): Promise<RunningExecutable> {
  return launchExecutable(binary, {
    folder: options.cwd,
    env: { JWT_SECRET: executableTestSecret, REDIS_URL: 'off', ...options.env },
    readyWhen: 'ok',
    output: 'pipe',
    readyWithinMs: 5_000,
  });
}
