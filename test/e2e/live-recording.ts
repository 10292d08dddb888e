// What every live-view browser test needs: a socat pty pair standing in for the serial cable, `gaitlab simulate`
// playing a real recording on its device end, `gaitlab serve` on a fresh database and the Record page open in
// Chromium; and the waits those tests share. Everything it starts ends after the test file, whether the test passed.
import { before, after } from 'node:test';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { endChild, tempDir } from '../helpers';
import { useBrowser } from './chromium';
import { PtyPair } from '../acquisition/pty-pair';
import { startGaitlab, type LiveCommand } from '../acquisition/live-cli';

export interface LiveRecording {
  /** The file's temporary folder (removed after the file). */
  dir: string;
  /** `live.db` in `dir`: the database the page's server opens. */
  db: string;
  pty: PtyPair;
  /** `gaitlab serve` on `db` and a page on the Record page; console errors, warnings and page errors land in `problems`. */
  openRecordPage(): Promise<{ page: Page; problems: string[] }>;
  /** `gaitlab --json simulate <args> --port <the pty's device end>`, ended after the file if still running. */
  simulate(args: string[]): LiveCommand;
}

/**
 * A live-view test file's rig, named for its device (the pty's link names): registers its hooks (the pty pair made
 * before the file; the simulator, the server, Chromium and socat ended after it). Call it once at the top level.
 */
export function useLiveRecording(device: string): LiveRecording {
  const dir = tempDir();
  const chrome = useBrowser();
  const pty = new PtyPair(dir, device);
  const db = join(dir, 'live.db');
  const simulators: LiveCommand[] = [];
  before(() => pty.start());
  after(async () => {
    await Promise.all(simulators.map((s) => endChild(s.proc)));
    await pty.stop();
  });
  return {
    dir, db, pty,
    async openRecordPage() {
      const { page, problems } = await chrome.open(db, { viewport: { width: 1300, height: 1100 }, warnings: true });
      await page.click('[data-testid=nav-record]');
      await page.waitForSelector('[data-testid=record-page]');
      return { page, problems };
    },
    simulate(args) {
      const sim = startGaitlab(['--json', 'simulate', ...args, '--port', pty.device]);
      simulators.push(sim);
      return sim;
    },
  };
}

/** Registers a subject by its code on the Record page and waits until the page has chosen it. */
export async function registerSubject(page: Page, code: string): Promise<void> {
  await page.fill('[data-testid=record-new-code]', code);
  await page.click('[data-testid=record-create-subject]');
  await page.waitForFunction(() => (document.querySelector('[data-testid=record-subject]') as HTMLSelectElement).value !== '');
}

/** Waits until the recording runs (30 s: the device may start late) and the device's panel is shown. */
export async function waitForRecording(page: Page, panel: string): Promise<void> {
  await page.waitForSelector('[data-testid=live-controls][data-state=recording]', { timeout: 30_000 });
  await page.waitForSelector(panel);
}

/** Stop, then waits (60 s: the trial is closed and stored) for the result the page shows. */
export async function stopRecording(page: Page): Promise<void> {
  await page.click('[data-testid=record-stop]');
  await page.waitForSelector('[data-testid=record-result][data-state=stopped]', { timeout: 60_000 });
}

/** Waits until the first trace of the plotly plot at `plot` holds more than `points` points. */
export async function waitForPlotPoints(page: Page, plot: string, points: number, timeoutMs: number): Promise<void> {
  await page.waitForFunction(([sel, n]) => ((document.querySelector(sel) as unknown as { data?: { x: number[] }[] })?.data?.[0]?.x.length ?? 0) > n, [plot, points] as const, { timeout: timeoutMs });
}

/** Waits until the text of `selector` starts with a whole number above `above` (a rate, a count of lost samples). */
export async function waitForNumberAbove(page: Page, selector: string, above: number, timeoutMs: number): Promise<void> {
  await page.waitForFunction(([sel, n]) => Number(/^(\d+)/.exec(document.querySelector(sel)?.textContent ?? '')?.[1]) > n, [selector, above] as const, { timeout: timeoutMs });
}

/** Waits until the text of `selector` matches `pattern` (`/^silent$/` for exactly "silent"). */
export async function waitForText(page: Page, selector: string, pattern: RegExp, timeoutMs: number): Promise<void> {
  // A RegExp does not cross into the page: its source and flags do.
  await page.waitForFunction(([sel, source, flags]) => new RegExp(source, flags).test(document.querySelector(sel)?.textContent ?? ''), [selector, pattern.source, pattern.flags] as const, { timeout: timeoutMs });
}
