// The import dialog's Cancel button in Debian's Chromium against a real `gaitlab serve`: the page's
// AbortSignal becomes a cancel message on its WebSocket, the import stops between files, and the dialog says
// so. The progress it drew came from the call's own events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sharedData, tempDir } from '../helpers';
import { assertWholeTrials } from '../import-consistency';
import { ARTIFACTS, useBrowser } from './chromium';

const dir = tempDir();
const chrome = useBrowser();

test('Cancel in the import dialog stops a folder import between files; whole trials stay and the dialog says so', async () => {
  const db = join(dir, 'cancel.db');
  const { page, problems } = await chrome.open(db, { warnings: true });
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
