// npm run bench:gait-graph — the gait graph's data (gaitGraph: every panel of both sheets, reference bands, foot-off,
// MAP/GPS) in one call, on gait-pig.c3d with its Plug-in-Gait cycles, and on the same trial scaled to a 3-minute walk:
// every channel of the trial (points, model outputs, analogs, plates: ~250) with 90 gait cycles per side stored.
// Prints the median and fastest of repeated calls after a warm-up; asserts nothing (goal: < 100 ms).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { closeServiceContext, openServiceContext } from '../src-main/services/context';
import { createDispatcher } from '../src-main/services/dispatch';
import { importPaths } from '../src-main/services/import-service';
import { loadChannels } from '../src-main/services/trial-channels';
import { replaceCycles, type CycleCurve } from '../src-main/store/cycles';
import { latestRun } from '../src-main/store/runs';
import { timeNormaliseInterval } from '../src-shared/signal/normalise';

const FILE = resolve(__dirname, '..', '..', 'shared', 'data', 'horst2019-gait-c3d', 'gait-pig.c3d');
const REPEATS = 20;

async function time(label: string, run: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 3; i++) await run();
  const ms: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    await run();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label.padEnd(64)} median ${ms[Math.floor(ms.length / 2)].toFixed(1).padStart(7)} ms   fastest ${ms[0].toFixed(1).padStart(7)} ms`);
}

async function main(): Promise<void> {
  const ctx = openServiceContext({ dbPath: join(mkdtempSync(join(tmpdir(), 'gaitlab-bench-')), 'bench.db'), mode: 'cli' });
  const call = createDispatcher(ctx);
  await importPaths(ctx, [FILE]);
  const trialId = (await call('listTrials', {})).trials[0].id;
  await call('extractCycles', { trialId });
  const stored = (await call('getCycles', { trialId, kind: 'gait_cycle' })).cycles.filter((c) => c.flags.length === 0).length;
  const subjectId = (await call('listTrials', {})).trials[0].subjectId;
  await call('createReference', { name: 'bench', subjectIds: [subjectId], pooling: 'cycles' });
  console.log(`gait-pig.c3d: ${stored} clean channel cycles cut on the file's foot strikes`);
  await time('gaitGraph, trial, with reference and MAP/GPS', () => call('gaitGraph', { trialId, reference: { name: 'bench' } }));
  await time('gaitGraph, trial, individual cycles too', () => call('gaitGraph', { trialId, reference: { name: 'bench' }, individualCycles: true }));
  await time('gaitProfileScore, trial', () => call('gaitProfileScore', { trialId, reference: { name: 'bench' } }));

  // A 3-minute walk's worth: every channel, 90 cycles per side (the file's cycles repeated with their own interval).
  const run = latestRun(ctx.db, trialId, 'cycles')!;
  const curves: CycleCurve[] = [];
  for (const ch of loadChannels(ctx, trialId).values()) {
    if (!ch.rateHz) continue;
    for (const [side, start, end] of [['left', 0.57, 1.52], ['right', 1.03625, 2.0]] as const) {
      const curve = Float32Array.from(timeNormaliseInterval(ch.values, ch.rateHz, start, end));
      const side_ = /^(.*:)?R/.test(ch.name) ? 'right' : /^(.*:)?L/.test(ch.name) ? 'left' : side;
      for (let k = 0; k < 90; k++) curves.push({ channel: ch.name, side: side_, kind: 'gait_cycle', startS: start, endS: end, unit: ch.unit, flags: [], curve });
    }
  }
  replaceCycles(ctx.db, 'bench', { ...run, trialId }, ['gait_cycle'], curves);
  const channels = new Set(curves.map((c) => c.channel)).size;
  console.log(`scaled: ${curves.length} cycles of ${channels} channels stored`);
  await time(`gaitGraph, trial, ${channels} channels × 180 cycles, reference, MAP/GPS`, () => call('gaitGraph', { trialId, reference: { name: 'bench' } }));
  closeServiceContext(ctx);
}

void main();
