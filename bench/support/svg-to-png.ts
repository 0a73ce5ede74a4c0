import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../test/support/chromium.ts';

/**
 * Renders an SVG document to a PNG file in headless Chromium. Returns false, and writes
 * nothing, where Chromium is not installed.
 */
export async function writePng(svg: string, path: string): Promise<boolean> {
  if (!existsSync(chromiumPath)) return false;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const page = await browser.newPage();
    await page.setContent(`<body style="margin:0">${svg}</body>`);
    await page.locator('svg').first().screenshot({ path });
  } finally {
    await browser.close();
  }

  return true;
}
