import type { BunFile, Subprocess } from 'bun';
import { join } from 'node:path';
import { killWhenThisProcessEnds } from './exit-guard.ts';
import { findFreePort, LOOPBACK } from './free-port.ts';

const portAttempts = 3;
const pollIntervalMs = 25;

/**
 * `ok`: /health/ready answers 2xx, degraded (`warn`) included. `pass`: it answers `pass`, so
 * Redis is connected when it is on.
 */
export type Readiness = 'ok' | 'pass';
/** `pipe`: the child's stdout and stderr are streams; `log-files`: stdout.log and stderr.log. */
export type ExecutableOutput = 'pipe' | 'log-files';

export interface LaunchOptions<Output extends ExecutableOutput> {
  /** The working folder, where log files go; removed should this process die first. */
  folder: string;
  /** The service's environment; HOST and PORT are the launcher's. */
  env: Record<string, string>;
  readyWhen: Readiness;
  output: Output;
  readyWithinMs: number;
}

export type ExecutableChild<Output extends ExecutableOutput> = Output extends 'pipe'
  ? Subprocess<'ignore', 'pipe', 'pipe'>
  : Subprocess<'ignore', BunFile, BunFile>;

export interface LaunchedExecutable<Output extends ExecutableOutput> {
  child: ExecutableChild<Output>;
  port: number;
  base: string;
}

/**
 * Runs `binary serve` on a free loopback port and resolves once it is ready. findFreePort can
 * lose its port to another process before the binary binds it: it retries on fresh ports.
 */
export async function launchExecutable<Output extends ExecutableOutput>(
  binary: string,
  options: LaunchOptions<Output>,
): Promise<LaunchedExecutable<Output>> {
  let failure = '';
  for (let attempt = 1; attempt <= portAttempts; attempt++) {
    const port = findFreePort();
    const child = spawnServe(binary, port, options);
    // A failed assertion must not leave the service running after the test run.
    killWhenThisProcessEnds(child.pid, options.folder);
    const base = `http://${LOOPBACK}:${port}`;
    const notReady = await whyNotReady(base, child, options);
    if (notReady === undefined) return { child, port, base };

    child.kill('SIGKILL');
    await child.exited;
    failure = `${notReady}\n${await stderrOf(child, options)}`;
  }

  throw new Error(`the executable did not start on any of ${portAttempts} ports: ${failure}`);
}

function spawnServe<Output extends ExecutableOutput>(
  binary: string,
  port: number,
  { folder, env, output }: LaunchOptions<Output>,
): ExecutableChild<Output> {
  const child = Bun.spawn([binary, 'serve'], {
    cwd: folder,
    env: { ...env, HOST: LOOPBACK, PORT: String(port) },
    stdin: 'ignore',
    stdout: output === 'pipe' ? 'pipe' : Bun.file(join(folder, 'stdout.log')),
    stderr: output === 'pipe' ? 'pipe' : Bun.file(join(folder, 'stderr.log')),
  });

  return child as ExecutableChild<Output>;
}

/** Undefined once the child answers ready; otherwise why it never did. */
async function whyNotReady(
  base: string,
  child: Subprocess,
  { readyWhen, readyWithinMs }: LaunchOptions<ExecutableOutput>,
): Promise<string | undefined> {
  const deadline = performance.now() + readyWithinMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      return `it exited at start (${child.exitCode ?? child.signalCode})`;
    }

    if (await answersReady(base, readyWhen)) return undefined;
    await Bun.sleep(pollIntervalMs);
  }

  return `${base} was not ready within ${readyWithinMs}ms`;
}

async function answersReady(base: string, readyWhen: Readiness): Promise<boolean> {
  const response = await fetch(`${base}/health/ready`).catch(() => undefined);
  if (!response?.ok) return false;
  if (readyWhen === 'ok') return true;
  const body = (await response.json()) as { status: string };

  return body.status === 'pass';
}

function stderrOf(child: Subprocess, { folder, output }: LaunchOptions<ExecutableOutput>) {
  if (output === 'log-files') return Bun.file(join(folder, 'stderr.log')).text().catch(() => '');

  return new Response(child.stderr as ReadableStream).text();
}
