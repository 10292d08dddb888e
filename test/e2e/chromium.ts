// What every browser test needs: Debian's Chromium (playwright-core cannot download one here), a real
// `gaitlab serve` on a database, and a page that collects console errors and page errors for the test to assert.
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { REPO, endChild } from '../helpers';

export const ARTIFACTS = join(REPO, 'test-artifacts');

/** Chromium headless as the brief prescribes; the built renderer must exist (npm test builds it first). */
export async function launchChromium(): Promise<Browser> {
  assert.ok(existsSync(join(REPO, 'dist', 'renderer', 'index.html')), 'the renderer is not built: npm run build (npm test does it first)');
  assert.ok(existsSync('/usr/bin/chromium'), 'Debian chromium is missing: apt-get install chromium (scripts/setup.sh does it)');
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] });
}

/** `gaitlab serve --db db`: its process and the tokened URL it prints first; an early exit rejects. */
export async function serve(db: string): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, [join(REPO, 'bin', 'gaitlab.cjs'), 'serve', '--db', db, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`gaitlab serve exited with ${code}`)));
  });
  return { proc, url: JSON.parse(line).server.url as string };
}

export interface PageOptions extends BrowserContextOptions {
  /** Console warnings count as problems too. */
  warnings?: boolean;
  /** Failed requests and Content-Security-Policy violations count as problems too. */
  network?: boolean;
}

/** A page at `url` whose console errors (and warnings, when asked) and page errors land in `problems`. */
export async function openPage(browser: Browser, url: string, options: PageOptions = {}): Promise<{ page: Page; problems: string[] }> {
  const { warnings, network, ...context } = options;
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, ...context });
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || (warnings && m.type() === 'warning')) problems.push(`console.${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  if (network) {
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)));
  }
  await page.goto(url);
  return { page, problems };
}

/**
 * A test file's browser: registers its hooks (one Chromium for the file; every `gaitlab serve` it started is stopped
 * after the file, and waited for) and opens pages on a database's server. Call it once at the top level of the file.
 */
export function useBrowser(): { browser: () => Browser; open: (db: string, options?: PageOptions) => Promise<{ page: Page; problems: string[]; url: string; server: ChildProcess }> } {
  let browser: Browser | undefined;
  const servers: ChildProcess[] = [];
  before(async () => { browser = await launchChromium(); });
  after(async () => {
    await browser?.close();
    await Promise.all(servers.map((s) => endChild(s)));
  });
  return {
    browser: () => browser!,
    async open(db, options) {
      const served = await serve(db);
      servers.push(served.proc);
      return { ...(await openPage(browser!, served.url, options)), url: served.url, server: served.proc };
    },
  };
}
