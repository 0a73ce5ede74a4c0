import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { executableAlone, executableTestSecret as secret } from '../support/executable.ts';

let folder: string;
let binary: string;

beforeAll(async () => {
  ({ folder, binary } = await executableAlone('breakwater-cli-'));
}, 120_000);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}) {
  const result = Bun.spawnSync([binary, ...args], {
    cwd: folder,
    env: { JWT_SECRET: secret, REDIS_URL: 'off', ...env },
  });

  return { exitCode: result.exitCode, stderr: result.stderr.toString() };
}

describe('the executable, given more than a command', () => {
  test.each([
    [['migrate', '--dry-run'], "unexpected argument '--dry-run' after 'migrate'"],
    [['serve', '--port', '18186'], "unexpected argument '--port' after 'serve'"],
    [['--version', 'extra'], "unexpected argument 'extra' after '--version'"],
    [['check-config', '--bogus'], "unexpected argument '--bogus' after 'check-config'"],
  ])('refuses %p with exit 64, naming the argument, and prints the usage', (args, message) => {
    const dbPath = join(folder, 'untouched', 'db.sqlite');
    const { exitCode, stderr } = run(args, { DB_PATH: dbPath, PORT: '0' });

    expect(exitCode).toBe(64);
    expect(stderr.split('\n')[0]).toBe(`breakwater: ${message}`);
    expect(stderr).toContain('Usage: breakwater [command]');
    expect(existsSync(dbPath)).toBe(false);
  });
});

describe('the executable, given a config that would fail later', () => {
  test.each([
    ['REDIS_URL', 'redis://:p%ZZ@127.0.0.1:1', 'p%ZZ'],
    ['REDIS_URL', 'redis://h:6379?password=hunter2', 'hunter2'],
    ['HOST', 'not a host!!', undefined],
    ['DB_PATH', '/tmp', undefined],
  ])('check-config refuses %s=%s with exit 78, secrets masked', (variable, value, secretPart) => {
    const { exitCode, stderr } = run(['check-config'], { [variable]: value });

    expect(exitCode).toBe(78);
    expect(stderr).toContain(`  ${variable}=`);
    if (secretPart !== undefined) expect(stderr).not.toContain(secretPart);
  });
});
