import { $, type Subprocess } from 'bun';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killWhenThisProcessEnds } from './exit-guard.ts';
import { findFreePort, LOOPBACK } from './free-port.ts';

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

export interface RunningExecutable {
  child: Subprocess<'ignore', 'pipe', 'pipe'>;
  port: number;
  base: string;
}

export const executableTestSecret = 'an-executable-test-secret-of-enough-bytes';

/**
 * Runs `binary serve` on a free loopback port without Redis and resolves once it is ready.
 * findFreePort can lose its port to another process before the binary binds it: it retries.
 */
export async function startExecutable(
  binary: string,
  options: { cwd: string; env?: Record<string, string> },
): Promise<RunningExecutable> {
  let failure = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = findFreePort();
    const child = Bun.spawn([binary, 'serve'], {
      cwd: options.cwd,
      env: {
        JWT_SECRET: executableTestSecret,
        HOST: LOOPBACK,
        PORT: String(port),
        REDIS_URL: 'off',
        ...options.env,
      },
      stdout: 'pipe',
      stderr: 'pipe',
    });
    // A failed assertion must not leave the service running after the test run.
    killWhenThisProcessEnds(child.pid, options.cwd);
    const base = `http://${LOOPBACK}:${port}`;
    if (await becameReady(base, child)) return { child, port, base };

    child.kill('SIGKILL');
    await child.exited;
    failure = await new Response(child.stderr).text();
  }
  throw new Error(`the executable did not start: ${failure}`);
}

async function becameReady(base: string, child: Subprocess): Promise<boolean> {
  for (let attempt = 0; attempt < 200 && child.exitCode === null; attempt++) {
    try {
      if ((await fetch(`${base}/health/ready`)).ok) return true;
    } catch {}
    await Bun.sleep(25);
  }

  return false;
}
