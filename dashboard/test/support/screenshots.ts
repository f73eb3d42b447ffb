import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/**
 * Screenshots of the dashboard as the browser tests see it. Every run keeps them under
 * artifacts/tmp/screenshots/ (uploaded by CI); with PARLEY_UPDATE_SCREENSHOTS=1 they also replace
 * the committed ones in docs/screenshots/ that the README shows.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ARTIFACTS = join(ROOT, 'artifacts', 'tmp', 'screenshots');
const DOCS = join(ROOT, 'docs', 'screenshots');

export async function keepScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (process.env.PARLEY_UPDATE_SCREENSHOTS === '1') {
    mkdirSync(DOCS, { recursive: true });
    copyFileSync(file, join(DOCS, `${name}.png`));
  }
  return file;
}
