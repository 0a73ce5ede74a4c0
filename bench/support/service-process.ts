import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchExecutable } from '../../test/support/launch-executable.ts';

export type ServiceProcess = {
  readonly baseUrl: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
};

/** Environment every benchmarked service gets: limits high enough never to answer 429. */
export const benchEnv: Record<string, string> = {
  JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256-0123456789',
  RATE_LIMIT_REQUESTS: '1000000',
  AUTH_RATE_LIMIT_REQUESTS: '1000000',
  LOG_LEVEL: 'warn',
};

/**
 * Starts the compiled service on a free loopback port with its own SQLite file, its output
 * in log files beside it, and resolves once `/health/ready` answers `pass` (Redis connected,
 * when it is on).
 */
export async function startService(
  binary: string,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-bench-'));
  try {
    const { child, port, base } = await launchExecutable(binary, {
      folder,
      env: { ...benchEnv, ...env, DB_PATH: join(folder, 'journal.db') },
      readyWhen: 'pass',
      output: 'log-files',
      readyWithinMs: 15_000,
    });

    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await child.exited;
      rmSync(folder, { recursive: true, force: true });
    };

    return { baseUrl: base, port, pid: child.pid, stop };
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}
