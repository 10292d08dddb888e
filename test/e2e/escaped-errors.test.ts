// Issue 21, item 6 in the UI (Debian's Chromium, browser mode as a user starts it): an error quoting a
// file's control bytes shows them as \x1b, never as raw characters on screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sharedData, tempDir } from '../helpers';
import { useBrowser } from './chromium';

const dir = tempDir();
const chrome = useBrowser();

test('an import error quoting ESC, BEL and CSI bytes from a file is shown with them escaped', async () => {
  const lines = gunzipSync(readFileSync(sharedData('gaitpdb', 'GaCo02_01.txt.gz'))).toString('latin1').split('\r\n');
  const evil = lines.map((l, i) => (i === 42 ? l.split('\t').map((v, k) => (k === 5 ? '\u001b[2J\u0007\u009b31m' : v)).join('\t') : l)).join('\r\n');
  const file = join(dir, 'GaCo09_01.txt');
  writeFileSync(file, Buffer.from(evil, 'latin1'));

  const { page, problems } = await chrome.open(join(dir, 'lab.db'));
  await page.waitForSelector('[data-testid=empty-state]');
  await page.click('[data-testid=import-button]');
  await page.fill('[data-testid=import-path-input]', file);
  await page.click('[data-testid=import-path-submit]');
  await page.waitForSelector('.error-line', { timeout: 60_000 });
  const shown = (await page.textContent('.error-line'))!;
  assert.equal(shown, `${file} line 43 field L5: not a finite number: "\\x1b[2J\\x07\\x9b31m"`);
  const whole = (await page.textContent('body'))!;
  assert.doesNotMatch(whole, /[\u001b\u0007\u009b]/);
  assert.deepEqual(problems, [], 'a refused file is an answer, not a page error');
  await page.close();
});
