import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { buildExecutable } from '../support/executable.ts';
import { findFreePort, LOOPBACK } from '../support/free-port.ts';

// Debian's chromium package; CI installs it. Playwright's own browser builds cannot be
// downloaded on these machines.
const chromiumPath = '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const screenshotPath = join(tmpdir(), 'breakwater-docs.png');

let folder: string;
let server: Bun.Subprocess;
let base: string;
let browser: BrowserContext;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'breakwater-docs-'));
  const binary = join(folder, 'breakwater');
  copyFileSync(await buildExecutable(), binary);

  ({ server, base } = await startExecutable(binary));

  browser = await chromium.launchPersistentContext(join(folder, 'chromium-profile'), {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
  });
}, 120_000);

afterAll(async () => {
  try {
    await browser?.close();
    server?.kill('SIGTERM');
    await server?.exited;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

/** Runs the executable on a free port; another process may take the port first, so it retries. */
async function startExecutable(binary: string) {
  let failure = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = findFreePort();
    const url = `http://${LOOPBACK}:${port}`;
    const child = Bun.spawn([binary, 'serve'], {
      cwd: folder,
      env: {
        JWT_SECRET: 'a-docs-test-secret-that-is-long-enough',
        PORT: String(port),
        HOST: LOOPBACK,
        REDIS_URL: 'off',
      },
      stdout: 'ignore',
      stderr: 'pipe',
    });
    if (await isLive(url, child)) return { server: child, base: url };

    child.kill();
    await child.exited;
    failure = await new Response(child.stderr).text();
  }
  throw new Error(`the executable did not start: ${failure}`);
}

async function isLive(url: string, child: Bun.Subprocess): Promise<boolean> {
  for (let attempt = 0; attempt < 200 && child.exitCode === null; attempt++) {
    try {
      if ((await fetch(`${url}/health/live`)).ok) return true;
    } catch {}
    await Bun.sleep(50);
  }

  return false;
}

describe('GET /docs in a browser, served by the compiled executable', () => {
  test('renders every entries operation and tries one, never asking another host', async () => {
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    const failed: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(`${base}/`) && !url.startsWith('data:')) elsewhere.push(url);
    });
    page.on('requestfailed', (request) => {
      failed.push(`${request.url()}: ${request.failure()?.errorText}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.url()}: ${response.status()}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));

    try {
      await page.goto(`${base}/docs`, { waitUntil: 'load' });
      const readEntry = page.locator('.opblock-summary-path[data-path="/entries/{id}"]');
      await readEntry.first().waitFor({ timeout: 30_000 });

      for (const summary of [
        'Write an entry',
        'List entries',
        'Read an entry',
        'Change an entry',
        'Delete an entry',
      ]) {
        await expect(page.getByText(summary, { exact: true }).isVisible()).resolves.toBe(true);
      }
      expect(await readEntry.count()).toBe(3);
      expect(await page.locator('.opblock-summary-path[data-path="/entries"]').count()).toBe(2);
      expect(await page.getByRole('button', { name: 'Authorize' }).isVisible()).toBe(true);
      expect(await page.locator('.info .title').innerText()).toContain('breakwater');

      const writeEntry = page.locator('#operations-entries-postEntries');
      await writeEntry.locator('.opblock-summary-control').click();
      await writeEntry.getByText('Schema', { exact: true }).first().click();
      await writeEntry.getByText('[1, 200] characters').waitFor({ timeout: 10_000 });

      const liveness = page.locator('#operations-operations-getHealthLive');
      await liveness.locator('.opblock-summary-control').click();
      await liveness.getByRole('button', { name: 'Try it out' }).click();
      await liveness.getByRole('button', { name: 'Execute' }).click();
      const answered = liveness.locator('.live-responses-table tbody .response-col_status');
      await answered.waitFor({ timeout: 10_000 });
      expect((await answered.innerText()).trim()).toBe('200');

      await page.screenshot({ path: screenshotPath, fullPage: true });
      await page.waitForLoadState('networkidle');
    } finally {
      await page.close();
    }

    expect(elsewhere).toEqual([]);
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);
});
