// The live plot's layout in Debian's Chromium with the real plotly bundle, scrolled as the Record page scrolls it
// (Plotly.extendTraces over a bounded window, once per frame): plotly's cache of measured text boxes
// (Drawing.savedBBoxes, keyed by a label's text, style and transform) must not grow while the run-time axis scrolls,
// which is what made the renderer's heap creep over an hour of recording. Counted in heap snapshots: every cached
// key holds the label's CSS font, so the strings holding "font-family" are the cache's keys plus a fixed few. The
// same scroll under plotly's default axes is the control: it must grow, or this test could not fail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { snapshotStrings, takeHeapSnapshot } from './heap-snapshot';
import { LIVE_PLOT_CONFIG, LIVE_WINDOW_S, livePlotLayout } from '../../src-renderer/components/live/live-plot-layout';

const PLOTLY = require.resolve('plotly.js-dist-min');
/** The display stream's rate (points/s) and frames per second: a few points per frame, as the page draws them. */
const POINTS_PER_S = 50;
const FPS = 60;
const WINDOW_POINTS = LIVE_WINDOW_S * POINTS_PER_S;

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

interface PageApi {
  livePlot: { make(layout: object, config: object, windowPoints: number, pointsPerS: number): Promise<void>; draw(frames: number, windowPoints: number, pointsPerS: number, fps: number): Promise<void> };
}
/** Two insole totals (a half-sine per contact, the feet half a stride apart); each frame appends the points due. */
const PAGE_SCRIPT = `
const wave = (t, phase) => Math.max(0, 600 * Math.sin(2 * Math.PI * (t / 1.1 + phase)));
window.livePlot = {
  async make(layout, config, windowPoints, pointsPerS) {
    const x = Array.from({ length: windowPoints }, (_, i) => i / pointsPerS);
    await Plotly.newPlot(document.getElementById('plot'), [
      { type: 'scatter', mode: 'lines', name: 'L_total', x, y: x.map((t) => wave(t, 0)) },
      { type: 'scatter', mode: 'lines', name: 'R_total', x, y: x.map((t) => wave(t, 0.5)) },
    ], layout, config);
  },
  async draw(frames, windowPoints, pointsPerS, fps) {
    const el = document.getElementById('plot');
    for (let f = 0; f < frames; f++) {
      const last = el.data[0].x[el.data[0].x.length - 1];
      const x = Array.from({ length: Math.ceil(pointsPerS / fps) }, (_, i) => last + (i + 1) / pointsPerS);
      await Plotly.extendTraces(el, { x: [x, x], y: [x.map((t) => wave(t, 0)), x.map((t) => wave(t, 0.5))] }, [0, 1], windowPoints);
    }
  },
};
`;

interface Scrolled { cachedKeysBefore: number; cachedKeysAfter: number; labels: { text: string; transform: string }[]; range: [number, number] }

/** A live plot with a full window, `warm` frames drawn, a snapshot, `frames` more, a snapshot. */
async function scroll(page: Page, layout: object, warm: number, frames: number): Promise<Scrolled> {
  await page.setContent('<div id="plot" style="width: 1200px"></div>');
  await page.addScriptTag({ path: PLOTLY });
  // Plain script text: what runs in the page is not transpiled (tsx would add its helpers to named functions).
  await page.addScriptTag({ content: PAGE_SCRIPT });
  await page.evaluate(([l, c, w, r]) => (window as unknown as PageApi).livePlot.make(l, c, w, r), [layout, LIVE_PLOT_CONFIG, WINDOW_POINTS, POINTS_PER_S] as const);
  const draw = (n: number) => page.evaluate(([k, w, r, f]) => (window as unknown as PageApi).livePlot.draw(k, w, r, f), [n, WINDOW_POINTS, POINTS_PER_S, FPS] as const);
  const cdp = await page.context().newCDPSession(page);
  const cachedKeys = async () => snapshotStrings(await takeHeapSnapshot(cdp)).filter((s) => s.includes('font-family')).length;
  await draw(warm);
  const cachedKeysBefore = await cachedKeys();
  await draw(frames);
  const cachedKeysAfter = await cachedKeys();
  await cdp.detach();
  const labels = await page.$$eval('#plot .xtick text', (els) => els.map((e) => ({ text: e.textContent ?? '', transform: e.getAttribute('transform') ?? '' })));
  const range = await page.evaluate(() => (document.getElementById('plot') as unknown as { _fullLayout: { xaxis: { range: [number, number] } } })._fullLayout.xaxis.range);
  return { cachedKeysBefore, cachedKeysAfter, labels, range };
}

test('live plot: its run-time axis scrolls with labels shown, and plotly caches no new text box per frame (plotly defaults, the control, do)', { timeout: 180_000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1300, height: 600 } });
  try {
    // 120 frames: 2 s of run time at 60 frames/s, every label moving at every frame.
    const live = await scroll(page, livePlotLayout(true), 20, 120);
    const defaults = await scroll(page, { ...livePlotLayout(true), xaxis: { title: { text: 'run time (s)' }, autorange: true }, yaxis: { title: { text: 'force (N)' }, autorange: true } }, 20, 120);
    const grown = (s: Scrolled) => s.cachedKeysAfter - s.cachedKeysBefore;
    console.log(`cached text boxes over 120 frames: live layout ${live.cachedKeysBefore} → ${live.cachedKeysAfter}, plotly's default axes ${defaults.cachedKeysBefore} → ${defaults.cachedKeysAfter}`);
    assert.ok(grown(defaults) > 100, `the control grew by ${grown(defaults)} keys only: the count does not see plotly's cache`);
    assert.ok(grown(live) <= 2, `plotly cached ${grown(live)} new text boxes while the live axis scrolled`);
    // What the clinician sees is unchanged: run-time labels along the axis, horizontal, inside the window shown.
    assert.ok(live.labels.length >= 3, JSON.stringify(live.labels));
    for (const l of live.labels) {
      const t = Number(l.text.replace('\u2212', '-'));
      assert.ok(t >= live.range[0] - 1e-9 && t <= live.range[1] + 1e-9, `label ${l.text} outside ${live.range}`);
      assert.ok(!/rotate\((?!0\b)/.test(l.transform), `label ${l.text} rotated: ${l.transform}`);
    }
    assert.ok(live.range[1] - live.range[0] > LIVE_WINDOW_S * 0.9 && live.range[1] > 10, `window ${live.range}`);
  } finally {
    await page.close();
  }
});
