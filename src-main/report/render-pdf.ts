// The report as PDF: the report's HTML printed by headless Chromium (playwright-core drives the system's Chromium;
// nothing is downloaded). Chromium and a page with plotly already parsed are kept for a minute after a PDF, so the
// app and browser mode print the next one in a fraction of a second; the CLI closes them when its command ends.
// A4, backgrounds on, after every plot has drawn.
import { existsSync } from 'node:fs';
import { ApiError } from '../services/api-errors';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReportModel } from '../../src-shared/report/model';
import { renderReportHtml, renderReportParts, reportShellHtml, type ReportParts } from './render-html';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'];

export function findChromium(): string | null {
  const own = process.env.GAITLAB_CHROMIUM;
  if (own) return existsSync(own) ? own : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

type Browser = import('playwright-core').Browser;
let browser: Promise<Browser> | null = null;
let idle: NodeJS.Timeout | null = null;
/** A long-running face (app, browser mode) keeps Chromium this long after a PDF, so the next one skips the launch. */
const KEEP_MS = 60_000;

function launch(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new ApiError('input', 'a PDF needs Chromium or Chrome (install the chromium package, or set GAITLAB_CHROMIUM to its path); --out report.html needs nothing');
  browser ??= import('playwright-core').then(({ chromium }) => chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] }));
  browser.catch(() => { browser = null; });
  return browser;
}

/** Closes the kept Chromium, if any (the CLI calls it before exiting). */
export async function closePdfBrowser(): Promise<void> {
  if (idle) clearTimeout(idle);
  idle = null;
  shell = null;
  const b = browser;
  browser = null;
  if (b) await (await b.catch(() => null))?.close();
}

let shell: Promise<import('playwright-core').Page> | null = null;
let queue: Promise<unknown> = Promise.resolve();

/** A page holding plotly, parsed once per Chromium: each PDF only fills its body (plotly is 4.7 MB of script). */
function shellPage(): Promise<import('playwright-core').Page> {
  shell ??= launch().then(async (b) => {
    const page = await (await b.newContext()).newPage();
    // Nothing leaves the machine: every request the page might make is refused.
    await page.route('**/*', (route) => route.abort());
    await page.setContent(reportShellHtml(), { waitUntil: 'load' });
    return page;
  });
  shell.catch(() => { shell = null; });
  return shell;
}

/** The report printed to an A4 PDF, after every plot has drawn. One at a time on the kept page. */
export function reportToPdf(parts: ReportParts): Promise<Buffer> {
  const run = queue.then(async () => {
    if (idle) clearTimeout(idle);
    try {
      const page = await shellPage();
      await page.evaluate(({ title, body, figures }) => {
        // Runs in the page (main is compiled without the DOM's types).
        const page = globalThis as unknown as { document: { title: string; body: { innerHTML: string } }; drawFigures(f: unknown): void };
        page.document.title = title;
        page.document.body.innerHTML = body;
        page.drawFigures(figures);
      }, parts);
      await page.waitForSelector('body[data-plots="ready"]', { timeout: 30_000 });
      return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } });
    } finally {
      idle = setTimeout(() => void closePdfBrowser(), KEEP_MS);
      idle.unref();
    }
  });
  queue = run.catch(() => undefined);
  return run;
}

/** The report as PDF in whichever face runs: the Electron app prints with its own Chromium, the others with playwright. */
export function reportPdf(report: ReportModel, id: string): Promise<Buffer> {
  return process.versions.electron ? electronPdf(renderReportHtml(report, id)) : reportToPdf(renderReportParts(report, id));
}

/**
 * In the Electron app: a hidden, sandboxed window loads the self-contained HTML from a temporary file (it loads
 * nothing else: its CSP says so), waits for the plots, and prints (webContents.printToPDF). Not exercised by the
 * tests here, where no Electron binary can be downloaded.
 */
async function electronPdf(html: string): Promise<Buffer> {
  const { BrowserWindow } = require('electron') as typeof import('electron');
  const dir = mkdtempSync(join(tmpdir(), 'gaitlab-report-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  const win = new BrowserWindow({ show: false, width: 1000, height: 1400, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false } });
  try {
    await win.loadFile(file);
    for (let waited = 0; (await win.webContents.executeJavaScript("document.body.getAttribute('data-plots')")) !== 'ready'; waited += 50) {
      if (waited > 30_000) throw new ApiError('internal', 'the report\'s plots did not draw within 30 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    return await win.webContents.printToPDF({ pageSize: 'A4', printBackground: true, margins: { top: 0.47, bottom: 0.47, left: 0.39, right: 0.39 } });
  } finally {
    win.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
