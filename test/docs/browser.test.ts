import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../support/chromium.ts';
import { executableAlone, startExecutable } from '../support/executable.ts';

const screenshotPath = join(tmpdir(), 'breakwater-docs.png');

let folder: string;
let server: Bun.Subprocess;
let base: string;
let browser: BrowserContext;

beforeAll(async () => {
  let binary: string;
  ({ folder, binary } = await executableAlone('breakwater-docs-'));
  ({ child: server, base } = await startExecutable(binary, { cwd: folder }));

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
