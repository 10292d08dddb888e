// Real data: every walk of a few gaitpdb controls and PD patients through the app's own path (import into a
// database, detectEvents, getParams: the device clock as stored, no resampling), checked against the published
// norms (a plausibility band, not a target; reference-results.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GaitParameters } from '../../src-shared/api/schema';
import { closeServiceContext, openServiceContext, type ServiceContext } from '../../src-main/services/context';
import { createDispatcher, type Dispatch } from '../../src-main/services/dispatch';
import { importPaths } from '../../src-main/services/import-service';
import { mean, standardDeviation } from '../../src-shared/signal/stats';
import { sharedData, tempDir } from '../helpers';

const CONTROLS = ['GaCo02', 'GaCo13', 'JuCo01', 'JuCo05', 'SiCo03', 'SiCo10'];
const PATIENTS = ['GaPt03', 'GaPt13', 'JuPt02', 'JuPt10', 'SiPt02', 'SiPt10'];
/** Stride time: Frenkel-Toledo et al. 2005 (Table 2); cadence: Pistacchi et al. 2017 (mean ± SD across subjects). */
const NORMS = {
  control: { mean: 1.08, sd: 0.09, cadence: 113.8, cadenceSd: 4.3 },
  pd: { mean: 1.12, sd: 0.07, cadence: 102.5, cadenceSd: 13.2 },
};

const walksOf = (subject: string) => readdirSync(sharedData('gaitpdb')).filter((f) => f.startsWith(subject + '_') && f.endsWith('.txt.gz')).sort();
const fmt = (x: number | null, d = 3) => (x === null ? '—' : x.toFixed(d));

let ctx: ServiceContext;
let call: Dispatch;
/** Trial key (GaCo02_01, the walk file's name) → trial id. */
const trialOf = new Map<string, string>();

before(async () => {
  ctx = openServiceContext({ dbPath: join(tempDir(), 'walks.db'), mode: 'cli' });
  call = createDispatcher(ctx);
  const files = [...CONTROLS, ...PATIENTS].flatMap(walksOf).map((f) => sharedData('gaitpdb', f));
  const summary = await importPaths(ctx, files);
  assert.deepEqual(summary.errors, []);
  const trials = ((await call('listTrials', { offset: 0, limit: 1000 })) as { trials: { id: string; key: string }[] }).trials;
  for (const t of trials) trialOf.set(t.key, t.id);
});
after(() => closeServiceContext(ctx));

interface Walk { file: string; params: GaitParameters; get(name: string, side?: 'left' | 'right'): GaitParameters['parameters'][number]; strides: number }

async function analyseWalk(file: string): Promise<Walk> {
  const trialId = trialOf.get(file.replace(/\.txt\.gz$/, ''));
  assert.ok(trialId, `${file} imported`);
  const detected = (await call('detectEvents', { trialId })) as { detector: { name: string } };
  assert.equal(detected.detector.name, 'InsoleEvents');
  const params = (await call('getParams', { trialId })) as GaitParameters;
  const get = (name: string, side?: 'left' | 'right') => params.parameters.find((p) => p.name === name && p.side === (side ?? null))!;
  return { file, params, get, strides: params.strides.left + params.strides.right };
}

async function group(subjects: string[]) {
  const perSubject = [];
  for (const s of subjects) {
    const walks = [];
    for (const f of walksOf(s)) walks.push(await analyseWalk(f));
    assert.ok(walks.length > 0, `${s} has walk files`);
    perSubject.push({ subject: s, walks, strideS: mean(walks.map((w) => w.get('stride_time').mean.value!)), cadence: mean(walks.map((w) => w.get('cadence').mean.value!)) });
  }
  return perSubject;
}

for (const [name, subjects, norm] of [['controls', CONTROLS, NORMS.control], ['PD', PATIENTS, NORMS.pd]] as const) {
  test(`gaitpdb ${name} (${subjects.join(', ')}), every walk: stride times within the published norm ± 2 SD, sane cadence, swing and CV`, async (t) => {
    const subjectsResult = await group(subjects);
    for (const s of subjectsResult) {
      for (const w of s.walks) {
        const stride = w.get('stride_time'), step = w.get('step_time'), swing = w.get('swing');
        const stanceSi = w.params.symmetry.find((x) => x.name === 'stance')!.symmetryIndex.value;
        t.diagnostic(`${w.file}: stride ${fmt(stride.mean.value)} s (CV ${fmt(stride.cv.value, 2)} %), cadence ${fmt(w.get('cadence').mean.value, 1)} steps/min, ` +
          `swing ${fmt(swing.mean.value, 1)} %, double support ${fmt(w.get('double_support').mean.value, 1)} %, step ${fmt(step.mean.value)} s, ` +
          `strides ${stride.n} kept / ${w.params.strides.flagged} flagged, stance SI ${fmt(stanceSi, 2)} %`);
        // Every walk: both feet found, most strides clean, values in physiological ranges.
        assert.ok(w.get('stride_time', 'left').n > 30 && w.get('stride_time', 'right').n > 30, `${w.file}: clean strides per foot`);
        assert.ok(w.params.strides.flagged / w.strides < 0.2, `${w.file}: ${w.params.strides.flagged} of ${w.strides} strides flagged`);
        assert.ok(stride.mean.value! > 0.8 && stride.mean.value! < 1.6, `${w.file}: stride ${stride.mean.value}`);
        assert.ok(swing.mean.value! > 28 && swing.mean.value! < 42, `${w.file}: swing ${swing.mean.value} %`);
        assert.ok(stride.cv.value! < 10, `${w.file}: stride CV ${stride.cv.value} %`);
        // Step time is half the stride in steady walking: the two feet's events are consistent.
        assert.ok(Math.abs(step.mean.value! - stride.mean.value! / 2) < 0.05, `${w.file}: step ${step.mean.value} vs stride ${stride.mean.value}`);
      }
    }
    const strides = subjectsResult.map((s) => s.strideS);
    const groupMean = mean(strides), groupSd = standardDeviation(strides);
    const cadences = subjectsResult.map((s) => s.cadence);
    const cadence = mean(cadences);
    t.diagnostic(`${name}: stride time ${groupMean.toFixed(3)} ± ${groupSd.toFixed(3)} s over ${strides.length} subjects (norm ${norm.mean} ± ${norm.sd} s), ` +
      `cadence ${cadence.toFixed(1)} ± ${standardDeviation(cadences).toFixed(1)} steps/min (norm ${norm.cadence} ± ${norm.cadenceSd})`);
    assert.ok(Math.abs(groupMean - norm.mean) < 2 * norm.sd, `${name} mean stride ${groupMean} s vs ${norm.mean} ± ${norm.sd} s`);
    assert.ok(Math.abs(cadence - norm.cadence) < 2 * norm.cadenceSd, `${name} mean cadence ${cadence} vs ${norm.cadence} ± ${norm.cadenceSd} steps/min`);
    // One slow patient (GaPt03: 1.53 s strides, 78 steps/min) is real PD gait, not an error: a wide per-subject band.
    for (const s of subjectsResult) assert.ok(s.cadence > 60 && s.cadence < 140, `${s.subject}: cadence ${s.cadence}`);
  });
}
