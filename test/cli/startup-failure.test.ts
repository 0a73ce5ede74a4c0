import { Database } from 'bun:sqlite';
import { afterAll, describe, expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EX_CANTCREAT,
  EX_SOFTWARE,
  EX_UNAVAILABLE,
  describeStartupFailure,
} from '../../src/cli/startup-failure.ts';

const folder = mkdtempSync(join(tmpdir(), 'breakwater-startup-'));
const plainFile = join(folder, 'plain-file');
writeFileSync(plainFile, 'not a folder');
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const settings = { host: '127.0.0.1', port: 8080, dbPath: join(plainFile, 'breakwater.db') };

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }

  throw new Error('expected the action to throw');
}

const serveNothing = () => new Response('unused');

describe('describeStartupFailure', () => {
  test('names the listen address of a port already in use, with EX_UNAVAILABLE', async () => {
    const holder = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: serveNothing });
    try {
      const error = thrownBy(() =>
        Bun.serve({ hostname: '127.0.0.1', port: holder.port, fetch: serveNothing }),
      );

      expect(await describeStartupFailure(error, { ...settings, port: holder.port! })).toEqual({
        message: `cannot listen on 127.0.0.1:${holder.port}: address in use`,
        exitCode: EX_UNAVAILABLE,
      });
    } finally {
      await holder.stop(true);
    }
  });

  test('brackets an IPv6 listen address', async () => {
    const error = Object.assign(new Error('listen'), { code: 'EADDRINUSE', syscall: 'listen' });
    const failure = await describeStartupFailure(error, { ...settings, host: '::1' });

    expect(failure.message).toBe('cannot listen on [::1]:8080: address in use');
  });

  test('says the host is not found when a listen host name does not resolve', async () => {
    const host = 'no-such-host.invalid';
    const error = thrownBy(() => Bun.serve({ hostname: host, port: 0, fetch: serveNothing }));

    expect(await describeStartupFailure(error, { ...settings, host, port: 0 })).toEqual({
      message: `cannot listen on ${host}:0: host not found`,
      exitCode: EX_UNAVAILABLE,
    });
  });

  test('names the database path when its folder cannot be created, with EX_CANTCREAT', async () => {
    const error = thrownBy(() => mkdirSync(join(plainFile, 'data'), { recursive: true }));

    expect(await describeStartupFailure(error, settings)).toEqual({
      message: `cannot open the database at ${settings.dbPath}: a part of the path is not a folder`,
      exitCode: EX_CANTCREAT,
    });
  });

  test('names the database path when SQLite cannot open the file', async () => {
    const error = thrownBy(() => new Database(folder, { create: true, strict: true }));

    expect(await describeStartupFailure(error, { ...settings, dbPath: folder })).toEqual({
      message: `cannot open the database at ${folder}: `
        + 'unable to open the file; check that its folder is writable',
      exitCode: EX_CANTCREAT,
    });
  });

  test('finds an SQLite error wrapped as the cause of another', async () => {
    const sqlite = thrownBy(() => new Database(folder, { create: true, strict: true }));
    const wrapped = new Error('Failed to run the query', { cause: sqlite });

    expect((await describeStartupFailure(wrapped, settings)).exitCode).toBe(EX_CANTCREAT);
  });

  test('gives any other failure its message on one line, with EX_SOFTWARE', async () => {
    expect(await describeStartupFailure(new Error('something else'), settings)).toEqual({
      message: 'cannot start: something else',
      exitCode: EX_SOFTWARE,
    });
  });
});
