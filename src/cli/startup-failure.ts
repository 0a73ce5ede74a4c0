import { SQLiteError } from 'bun:sqlite';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Config } from '../config/config.ts';

/** sysexits.h: the port could not be had, or the listen address is not this machine's. */
export const EX_UNAVAILABLE = 69;
/** sysexits.h: a startup failure of no known kind. */
export const EX_SOFTWARE = 70;
/** sysexits.h: the database file or its folder could not be created or opened. */
export const EX_CANTCREAT = 73;

export interface StartupFailure {
  /** One line for people: what failed and why, without secrets or a stack. */
  message: string;
  exitCode: number;
}

type StartupSettings = Pick<Config, 'host' | 'port' | 'dbPath'>;

interface SystemError {
  code?: unknown;
  syscall?: unknown;
}

const LISTEN_CALLS = new Set(['listen', 'bind', 'getaddrinfo']);
const FILE_CALLS = new Set(['mkdir', 'open', 'access', 'stat', 'chmod']);

const REASONS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'address in use',
  EADDRNOTAVAIL: 'address not available on this machine',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTFOUND: 'host not found',
  ENOTDIR: 'a part of the path is not a folder',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  SQLITE_CANTOPEN: 'unable to open the file; check that its folder is writable',
  SQLITE_NOTADB: 'the file is not an SQLite database',
  SQLITE_CORRUPT: 'the database file is corrupt',
  SQLITE_READONLY: 'the database is read-only',
  SQLITE_PERM: 'permission denied',
  SQLITE_FULL: 'the disk is full',
  SQLITE_BUSY: 'the database is locked by another process',
};

/**
 * Says which part of startup `error` stopped, the database or the listening socket, and the
 * sysexits status for it. The kind is read from the error itself: SQLite and file system
 * errors come from opening the database, socket and name-lookup errors from Bun.serve.
 */
export async function describeStartupFailure(
  error: unknown,
  settings: StartupSettings,
): Promise<StartupFailure> {
  const cause = databaseCause(error);
  if (cause !== undefined) {
    return {
      message: `cannot open the database at ${settings.dbPath}: ${reasonOf(cause)}`,
      exitCode: EX_CANTCREAT,
    };
  }

  if (isListenError(error)) {
    const address = isIP(settings.host) === 6 ? `[${settings.host}]` : settings.host;
    const reason = (await resolves(settings.host)) ? reasonOf(error) : REASONS.ENOTFOUND;
    const message = `cannot listen on ${address}:${settings.port}: ${reason}`;

    return { message, exitCode: EX_UNAVAILABLE };
  }

  return { message: `cannot start: ${reasonOf(error)}`, exitCode: EX_SOFTWARE };
}

/** The SQLite or file system error behind `error`, following `cause` (Drizzle wraps them). */
function databaseCause(error: unknown): Error | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof SQLiteError) return current;
    if (FILE_CALLS.has(String((current as SystemError).syscall))) return current;
  }

  return undefined;
}

function isListenError(error: unknown): error is Error {
  return error instanceof Error && LISTEN_CALLS.has(String((error as SystemError).syscall));
}

/**
 * Bun.serve reports a host name that does not resolve as EADDRINUSE or ENOENT, so a failed
 * listen on a name asks the resolver before it blames the port.
 */
async function resolves(host: string): Promise<boolean> {
  if (isIP(host) !== 0) return true;

  return lookup(host).then(
    () => true,
    () => false,
  );
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);

  const code = (error as SystemError).code;

  return (typeof code === 'string' ? REASONS[code] : undefined) ?? error.message;
}
