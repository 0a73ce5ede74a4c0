import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  executableAlone,
  startExecutable,
  type RunningExecutable,
} from '../support/executable.ts';
import { LOOPBACK } from '../support/free-port.ts';
import { pollUntil } from '../support/poll-until.ts';
import { connectOutcome } from './connect-outcome.ts';
import { holdRequest, statusOf } from './held-request.ts';

const password = 'shutdown test password';

let folder: string;
let binary: string;

beforeAll(async () => {
  ({ folder, binary } = await executableAlone('breakwater-shutdown-'));
}, 120_000);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function startBinary(env: Record<string, string> = {}): Promise<RunningExecutable> {
  return startExecutable(binary, { cwd: mkdtempSync(join(folder, 'run-')), env });
}

/** Polls until a new connection is refused, so the server is known to be shutting down. */
function untilRefused(port: number): Promise<void> {
  return pollUntil(
    'new connections to be refused after the signal',
    async () => (await connectOutcome(port)) === 'refused',
    { limitMs: 2_000 },
  );
}

function registration(tag: string): string {
  return JSON.stringify({ email: `${tag}-${Bun.randomUUIDv7()}@example.com`, password });
}

function register(base: string, tag: string): Promise<{ status: number; answeredAt: number }> {
  return fetch(`${base}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: registration(tag),
  }).then(async (response) => {
    await response.arrayBuffer();

    return { status: response.status, answeredAt: performance.now() };
  });
}

// argon2id runs at most one hash per core, so this many keeps the server busy for rounds.
const batchSize = Math.min(64, Math.max(8, 4 * navigator.hardwareConcurrency));

describe('the compiled executable on SIGTERM', () => {
  test('answers every request in flight, refuses new connections, and exits 0', async () => {
    const { child, port, base } = await startBinary();
    const held = await holdRequest(port, '/auth/register', registration('held'));
    const batch = Array.from({ length: batchSize }, (_, index) => register(base, `batch${index}`));
    // The first answer shows the server is working through the batch: all of it has arrived.
    await Promise.race(batch);

    const signalledAt = performance.now();
    child.kill('SIGTERM');
    await untilRefused(port);

    expect(child.exitCode).toBeNull();
    held.finish();
    expect(statusOf(await held.received)).toBe(201);
    const answers = await Promise.all(batch);
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201));
    expect(answers.some((answer) => answer.answeredAt > signalledAt)).toBe(true);
    expect(await child.exited).toBe(0);
    expect(await new Response(child.stdout).text()).toContain('"msg":"stopped"');
  }, 30_000);

  test('cuts off a request still in flight at SHUTDOWN_TIMEOUT and exits 0', async () => {
    const shutdownTimeoutMs = 500;
    const { child, port } = await startBinary({ SHUTDOWN_TIMEOUT: `${shutdownTimeoutMs}ms` });
    const held = await holdRequest(port, '/auth/register', registration('cut'));

    const signalledAt = performance.now();
    child.kill('SIGTERM');
    const exitCode = await child.exited;
    const exitedAfterMs = performance.now() - signalledAt;

    expect(exitCode).toBe(0);
    expect(exitedAfterMs).toBeGreaterThanOrEqual(shutdownTimeoutMs);
    expect(exitedAfterMs).toBeLessThan(shutdownTimeoutMs + 5_000);
    expect(statusOf(await held.received)).toBe(0);
    expect(await new Response(child.stdout).text()).toContain('in-flight requests or deliveries cut off');
  }, 30_000);

  test('exits at once with status 130 on a second signal', async () => {
    const { child, port } = await startBinary({ SHUTDOWN_TIMEOUT: '60s' });
    const held = await holdRequest(port, '/auth/register', registration('second'));
    child.kill('SIGTERM');
    await untilRefused(port);

    expect(child.exitCode).toBeNull();
    const secondAt = performance.now();
    child.kill('SIGINT');
    const exitCode = await child.exited;

    expect(exitCode).toBe(130);
    // Without the second signal the held request would keep it for the 60 s SHUTDOWN_TIMEOUT.
    expect(performance.now() - secondAt).toBeLessThan(2_000);
    expect(statusOf(await held.received)).toBe(0);
  }, 30_000);
});
