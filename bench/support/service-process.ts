import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOOPBACK, findFreePort } from '../../test/support/free-port.ts';
import { killWhenThisProcessEnds } from '../../test/support/exit-guard.ts';

const READY_TIMEOUT_MS = 15_000;

export type ServiceProcess = {
  readonly baseUrl: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
};

/** Environment every benchmarked service gets: limits high enough never to answer 429. */
export const benchEnv: Record<string, string> = {
  JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256-0123456789',
  HOST: LOOPBACK,
  RATE_LIMIT_REQUESTS: '1000000',
  AUTH_RATE_LIMIT_REQUESTS: '1000000',
  LOG_LEVEL: 'warn',
};

/**
 * Starts the compiled service on a free loopback port with its own SQLite file and resolves
 * once `/health/ready` answers `pass` (Redis connected, when it is on).
 */
export async function startService(
  binary: string,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'breakwater-bench-'));
  const port = findFreePort();
  const child = Bun.spawn([binary, 'serve'], {
    env: { ...benchEnv, ...env, PORT: String(port), DB_PATH: join(dir, 'journal.db') },
    stdin: 'ignore',
    stdout: Bun.file(join(dir, 'stdout.log')),
    stderr: Bun.file(join(dir, 'stderr.log')),
  });
  killWhenThisProcessEnds(child.pid, dir);
  const baseUrl = `http://${LOOPBACK}:${port}`;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await child.exited;
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitUntilReady(baseUrl, () => child.exitCode !== null);
  } catch (error) {
    const log = await Bun.file(join(dir, 'stderr.log')).text().catch(() => '');
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${log}`);
  }

  return { baseUrl, port, pid: child.pid, stop };
}

async function waitUntilReady(baseUrl: string, exited: () => boolean) {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (exited()) throw new Error('service exited at start');
    const response = await fetch(`${baseUrl}/health/ready`).catch(() => undefined);
    if (response?.status === 200) {
      const body = (await response.json()) as { status: string };
      if (body.status === 'pass') return;
    }

    await Bun.sleep(50);
  }

  throw new Error(`service at ${baseUrl} not ready within ${READY_TIMEOUT_MS}ms`);
}
