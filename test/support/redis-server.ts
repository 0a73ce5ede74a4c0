import type { Subprocess } from 'bun';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOOPBACK, findFreePort } from './free-port';
import { answersPing } from './raw-ping';
import { killWhenThisProcessEnds } from './exit-guard';

const REDIS_SERVER_BINARY = '/usr/bin/redis-server';
const READY_TIMEOUT_MS = 10_000;
const READY_POLL_MS = 25;
const STOP_GRACE_MS = 5_000;
const PORT_ATTEMPTS = 3;

export type RedisServerHandle = {
  readonly port: number;
  readonly url: string;
  /** PID of the current process; it changes on `restart()`. */
  readonly pid: number;
  readonly frozen: boolean;
  /** SIGSTOP: the process keeps its sockets but answers nothing. */
  freeze(): void;
  /** SIGCONT: a frozen process answers again, replies to queued commands included. */
  resume(): void;
  /** SIGKILL, then waits for the process to exit. */
  kill(): Promise<void>;
  /**
   * Kills the current process if it runs, then starts another on the same port and folder:
   * empty, unless a `SAVE` left a snapshot there.
   */
  restart(): Promise<void>;
  /** Ends the process (resumed first if frozen) and removes its folder. Safe to repeat. */
  stop(): Promise<void>;
};

export type RedisServerOptions = {
  /** Extra `--name value` arguments, e.g. `['--tcp-backlog', '1']`. */
  extraArgs?: readonly string[];
};

/**
 * Starts a private `redis-server` on a free loopback port, with no persistence and its own
 * temporary folder, and resolves once it answers `PING`.
 */
export async function startRedisServer(
  options: RedisServerOptions = {},
): Promise<RedisServerHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'breakwater-redis-'));
  const extraArgs = options.extraArgs ?? [];
  let lastError: unknown;
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
    const port = findFreePort();
    try {
      const child = await launch(dir, port, extraArgs);

      return createHandle(dir, port, extraArgs, child);
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortTakenError)) break;
    }
  }

  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

class PortTakenError extends Error {}

function createHandle(
  dir: string,
  port: number,
  extraArgs: readonly string[],
  first: Subprocess,
): RedisServerHandle {
  let current = first;
  let frozen = false;
  let stopping: Promise<void> | undefined;

  const signal = (name: 'SIGSTOP' | 'SIGCONT') => {
    if (current.exitCode === null && current.signalCode === null) process.kill(current.pid, name);
  };

  const kill = async () => {
    await killAndWait(current);
    frozen = false;
  };

  return {
    port,
    url: `redis://${LOOPBACK}:${port}`,
    get pid() {
      return current.pid;
    },
    get frozen() {
      return frozen;
    },
    freeze() {
      signal('SIGSTOP');
      frozen = true;
    },
    resume() {
      signal('SIGCONT');
      frozen = false;
    },
    kill,
    async restart() {
      if (stopping) throw new Error('cannot restart a stopped redis-server');
      await kill();
      current = await launch(dir, port, extraArgs);
    },
    stop() {
      stopping ??= (async () => {
        if (frozen) signal('SIGCONT');
        frozen = false;
        await terminateAndWait(current);
        rmSync(dir, { recursive: true, force: true });
      })();

      return stopping;
    },
  };
}

async function launch(dir: string, port: number, extraArgs: readonly string[]) {
  const logFile = join(dir, `redis-${port}.log`);
  rmSync(logFile, { force: true });
  const child = Bun.spawn(
    [
      REDIS_SERVER_BINARY,
      '--port', String(port),
      '--bind', LOOPBACK,
      '--save', '',
      '--appendonly', 'no',
      '--dir', dir,
      '--logfile', logFile,
      '--daemonize', 'no',
      ...extraArgs,
    ],
    { stdin: 'ignore', stdout: 'ignore', stderr: 'pipe' },
  );
  killWhenThisProcessEnds(child.pid, dir);

  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const log = await readStartupOutput(child, logFile);
      if (log.includes('Address already in use')) throw new PortTakenError(log);
      throw new Error(`redis-server on port ${port} exited at start:\n${log}`);
    }

    // The log is this process's own: a PING alone could be answered by another server that
    // took the port first.
    if (logSays(logFile, 'Ready to accept connections') && (await answersPing(port, 250))) {
      return child;
    }

    await Bun.sleep(READY_POLL_MS);
  }

  await killAndWait(child);
  throw new Error(`redis-server on port ${port} did not answer PING in ${READY_TIMEOUT_MS}ms`);
}

function logSays(logFile: string, text: string): boolean {
  try {
    return readFileSync(logFile, 'utf8').includes(text);
  } catch {
    return false;
  }
}

async function readStartupOutput(child: Subprocess<'ignore', 'ignore', 'pipe'>, logFile: string) {
  const stderr = await new Response(child.stderr).text();
  let log = '';
  try {
    log = readFileSync(logFile, 'utf8');
  } catch {
    // The process may have failed before it opened its log.
  }

  return `${stderr}${log}`.trim();
}

async function killAndWait(child: Subprocess) {
  if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
  await child.exited;
}

async function terminateAndWait(child: Subprocess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => killAndWait(child), STOP_GRACE_MS);
  try {
    await child.exited;
  } finally {
    clearTimeout(timer);
  }
}
