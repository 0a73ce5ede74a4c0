import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { executableAlone, executableTestSecret as secret } from '../support/executable.ts';

let folder: string;
let binary: string;
let plainFile: string;

beforeAll(async () => {
  ({ folder, binary } = await executableAlone('breakwater-startup-'));
  plainFile = join(folder, 'plain-file');
  writeFileSync(plainFile, 'not a folder');
}, 120_000);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function run(args: string[], env: Record<string, string>) {
  const child = Bun.spawn([binary, ...args], {
    cwd: folder,
    env: { JWT_SECRET: secret, REDIS_URL: 'off', HOST: '127.0.0.1', PORT: '0', ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [exitCode, stdout, stderr] = await Promise.all([
    child.exited,
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);

  return { exitCode, stdout, stderr };
}

describe('the executable, when it cannot start', () => {
  test('says the port is in use in one line and exits 69 (EX_UNAVAILABLE)', async () => {
    const holder = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('') });
    try {
      const { exitCode, stdout, stderr } = await run(['serve'], { PORT: String(holder.port) });
      const line = `breakwater: cannot listen on 127.0.0.1:${holder.port}: address in use`;

      expect(exitCode).toBe(69);
      expect(stderr).toBe(`${line}\n`);
      expect(stdout).toContain('"level":"fatal"');
      expect(stdout).not.toContain(secret);
    } finally {
      await holder.stop(true);
    }
  });

  test.each(['serve', 'migrate'])(
    '%s says the database cannot be opened in one line and exits 73 (EX_CANTCREAT)',
    async (command) => {
      const dbPath = join(plainFile, 'data', 'breakwater.db');
      const { exitCode, stderr } = await run([command], { DB_PATH: dbPath });

      expect(exitCode).toBe(73);
      expect(stderr).toBe(
        `breakwater: cannot open the database at ${dbPath}: a part of the path is not a folder\n`,
      );
    },
  );
});
