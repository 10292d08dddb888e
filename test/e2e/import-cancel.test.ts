// The import dialog's Cancel button in Debian's Chromium against a real `gaitlab serve`: the page's
// AbortSignal becomes a cancel message on its WebSocket, the import stops between files, and the dialog says
// so. The progress it drew came from the call's own events.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser } from 'playwright-core';
import { REPO, sharedData, tempDir } from '../helpers';
import { assertWholeTrials } from '../import-consistency';

const ARTIFACTS = join(REPO, 'test-artifacts');
const CHROMIUM = '/usr/bin/chromium';
const dir = tempDir();
let browser: Browser;
let server: ChildProcess | null = null;

before(async () => {
  assert.ok(existsSync(join(REPO, 'dist', 'renderer', 'index.html')), 'the renderer is not built: npm run build (npm test does it first)');
  assert.ok(existsSync(CHROMIUM), 'Debian chromium is missing: apt-get install chromium (scripts/setup.sh does it)');
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] });
});
after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

test('Cancel in the import dialog stops a folder import between files; whole trials stay and the dialog says so', async () => {
  const db = join(dir, 'cancel.db');
  server = spawn(process.execPath, [join(REPO, 'bin', 'gaitlab.cjs'), 'serve', '--db', db, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => createInterface({ input: server!.stdout! }).once('line', resolve));
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(JSON.parse(line).server.url);
  await page.waitForSelector('[data-testid=empty-state]');

  await page.click('[data-testid=import-button]');
  await page.fill('[data-testid=import-path-input]', sharedData('gaitpdb'));
  await page.click('[data-testid=import-path-submit]');
  // Progress of this call, drawn from its own events: a file name of the folder.
  await page.waitForFunction(() => /Ga(Co|Pt)\d\d_\d\d\.txt\.gz/.test(document.querySelector('[data-testid=import-progress]')?.textContent ?? ''), undefined, { timeout: 60_000 });
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-cancel-1-importing.png') });
  await page.click('[data-testid=import-cancel]');
  await page.waitForSelector('[data-testid=import-summary]', { timeout: 30_000 });
  assert.match((await page.textContent('[data-testid=import-summary]'))!, /Import cancelled: the files imported before it are kept, the file in progress was not stored\./);
  assert.equal(await page.$('[data-testid=import-cancel]'), null, 'no Cancel button once the run has ended');
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-cancel-2-cancelled.png') });

  const stored = assertWholeTrials(db);
  assert.ok(stored.trials < 306, `the import stopped part-way: ${stored.trials} trials`);
  assert.deepEqual(problems, []);
  await page.close();
});
