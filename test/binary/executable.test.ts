import { Database } from 'bun:sqlite';
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import journal from '../../drizzle/meta/_journal.json';
import { findFreePort } from '../support/free-port.ts';
import { hasValidSignature, startWebhookReceiver } from '../support/webhook-receiver.ts';
import {
  executableAlone,
  executableTestSecret as secret,
  startExecutable,
} from '../support/executable.ts';

let folder: string;
let binary: string;

beforeAll(async () => {
  ({ folder, binary } = await executableAlone('breakwater-bin-'));
}, 120_000);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('the compiled executable', () => {
  test('alone in an empty folder: migrates, serves the API, and exits 0 on SIGTERM', async () => {
    const { child, base } = await startExecutable(binary, { cwd: folder });

    const json = { 'content-type': 'application/json' };
    const credentials = JSON.stringify({ email: 'bin@example.com', password: 'binary password' });
    expect((await fetch(`${base}/auth/register`, { method: 'POST', headers: json, body: credentials })).status).toBe(201);
    const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: json, body: credentials });
    const { token } = (await login.json()) as { token: string };
    const auth = { ...json, authorization: `Bearer ${token}` };

    const created = await fetch(`${base}/entries`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ title: 'from the binary', body: 'hello' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await fetch(`${base}/entries/${id}`, { headers: auth })).status).toBe(200);
    const list = (await (await fetch(`${base}/entries`, { headers: auth })).json()) as {
      items: unknown[];
    };
    expect(list.items).toHaveLength(1);
    const patch = await fetch(`${base}/entries/${id}`, {
      method: 'PATCH',
      headers: auth,
      body: JSON.stringify({ title: 'changed' }),
    });
    expect(((await patch.json()) as { title: string }).title).toBe('changed');
    expect((await fetch(`${base}/entries/${id}`, { method: 'DELETE', headers: auth })).status).toBe(204);

    // Over MAX_BODY_SIZE, with and without Content-Length: the app's own problem+json 413.
    const oversized = JSON.stringify({ title: 't', body: 'x'.repeat(1_100_000) });
    for (const body of [oversized, new Blob([oversized]).stream()]) {
      const tooLarge = await fetch(`${base}/entries`, { method: 'POST', headers: auth, body });
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.headers.get('content-type')).toBe('application/problem+json');
    }

    child.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    expect(await Bun.file(join(folder, 'data', 'breakwater.db')).exists()).toBe(true);
  });

  test('sends signed webhook deliveries from inside the executable', async () => {
    const { child, base } = await startExecutable(binary, { cwd: folder });
    const receiver = startWebhookReceiver();
    try {
      const json = { 'content-type': 'application/json' };
      const credentials = JSON.stringify({ email: 'hooks@example.com', password: 'binary password' });
      await fetch(`${base}/auth/register`, { method: 'POST', headers: json, body: credentials });
      const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: json, body: credentials });
      const { token } = (await login.json()) as { token: string };
      const auth = { ...json, authorization: `Bearer ${token}` };
      const subscription = { url: receiver.url, events: ['entry.created'] };
      const webhook = await fetch(`${base}/webhooks`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify(subscription),
      });
      const { secret } = (await webhook.json()) as { secret: string };

      const entry = { title: 'hooked', body: 'b' };
      await fetch(`${base}/entries`, { method: 'POST', headers: auth, body: JSON.stringify(entry) });

      const [delivery] = await receiver.waitFor(1);
      expect(hasValidSignature(secret, delivery!)).toBe(true);
      expect(JSON.parse(delivery!.body)).toMatchObject({ type: 'entry.created', data: entry });
    } finally {
      child.kill('SIGTERM');
      await child.exited;
      await receiver.stop();
    }
  });

  test('refuses to start without JWT_SECRET: exit 78, names the variable, binds no port', async () => {
    const port = findFreePort();
    const child = Bun.spawn([binary, 'serve'], {
      cwd: folder,
      env: { PORT: String(port), REDIS_URL: 'off' },
      stdout: 'pipe',
      stderr: 'pipe',
    });

    expect(await child.exited).toBe(78);
    expect(await new Response(child.stderr).text()).toContain('JWT_SECRET');
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
  });

  test('answers --version, --help and check-config with secrets masked', async () => {
    const run = (args: string[], env: Record<string, string> = {}) =>
      Bun.spawnSync([binary, ...args], { cwd: folder, env: { REDIS_URL: 'off', ...env } });

    expect(run(['--version']).stdout.toString()).toMatch(/^\d+\.\d+\.\d+/);
    expect(run(['--help']).stdout.toString()).toContain('check-config');
    const check = run(['check-config'], { JWT_SECRET: secret });
    expect(check.exitCode).toBe(0);
    expect(check.stdout.toString()).toContain('JWT_SECRET');
    expect(check.stdout.toString()).not.toContain(secret);
    expect(run(['no-such-command']).exitCode).toBe(64);
  });

  test('migrate applies the schema to a fresh folder and exits 0', () => {
    const dbPath = join(folder, 'migrate-only', 'db.sqlite');
    const run = Bun.spawnSync([binary, 'migrate'], {
      cwd: folder,
      env: { JWT_SECRET: secret, DB_PATH: dbPath, REDIS_URL: 'off' },
    });

    expect(run.exitCode).toBe(0);
    expect(run.stdout.toString()).toContain(`applied ${journal.entries.length} migration(s)`);
    const database = new Database(dbPath, { readonly: true });
    const tables = database
      .query<{ name: string }, []>("select name from sqlite_master where type = 'table' order by name")
      .all()
      .map(({ name }) => name);
    database.close();
    expect(tables).toEqual(expect.arrayContaining(['entries', 'users', 'webhook_deliveries', 'webhooks']));
  });
});
