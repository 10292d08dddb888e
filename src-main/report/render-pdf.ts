// The report as PDF from the CLI and browser mode: the self-contained HTML printed by headless Chromium
// (playwright-core drives the system's Chromium; nothing is downloaded). The Electron app prints with its own
// webContents.printToPDF instead. A4, backgrounds on, after every plot has drawn.
import { existsSync } from 'node:fs';
import { ApiError } from '../services/api-errors';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'];

export function findChromium(): string | null {
  const own = process.env.GAITLAB_CHROMIUM;
  if (own) return existsSync(own) ? own : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

export async function htmlToPdf(html: string): Promise<Buffer> {
  const executablePath = findChromium();
  if (!executablePath) throw new ApiError('input', 'a PDF needs Chromium or Chrome (install the chromium package, or set GAITLAB_CHROMIUM to its path); --out report.html needs nothing');
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] });
  try {
    const page = await browser.newPage();
    // Nothing leaves the machine: every request the page might make is refused.
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    await page.waitForSelector('body[data-plots="ready"]', { timeout: 30_000 });
    return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } });
  } finally {
    await browser.close();
  }
}
