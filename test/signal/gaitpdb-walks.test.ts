// Real data: InsoleEvents + cycles + spatiotemporal parameters on every walk of a few gaitpdb controls and PD
// patients, checked against the published norms (a plausibility band, not a target; reference-results.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseNumericTable } from '../../src-main/formats/numeric-table';
import { InsoleEvents } from '../../src-shared/signal/events';
import { GaitCycleSegmentation } from '../../src-shared/signal/cycles';
import { resampleToUniform } from '../../src-shared/signal/resample';
import { spatiotemporal, type SpatiotemporalSummary } from '../../src-shared/signal/spatiotemporal';
import { compareSides } from '../../src-shared/signal/symmetry';
import { mean, standardDeviation } from '../../src-shared/signal/events/stats';
import { sharedData } from '../helpers';

const CONTROLS = ['GaCo02', 'GaCo13', 'JuCo01', 'JuCo05', 'SiCo03', 'SiCo10'];
const PATIENTS = ['GaPt03', 'GaPt13', 'JuPt02', 'JuPt10', 'SiPt02', 'SiPt10'];
/** Stride time: Frenkel-Toledo et al. 2005 (Table 2); cadence: Pistacchi et al. 2017 (mean ± SD across subjects). */
const NORMS = {
  control: { mean: 1.08, sd: 0.09, cadence: 113.8, cadenceSd: 4.3 },
  pd: { mean: 1.12, sd: 0.07, cadence: 102.5, cadenceSd: 13.2 },
};

interface Walk { file: string; summary: SpatiotemporalSummary; perSide: Record<'left' | 'right', SpatiotemporalSummary>; strides: number }

function analyseWalk(file: string): Walk {
  const table = parseNumericTable(gunzipSync(readFileSync(sharedData('gaitpdb', file))), 19, file, (c) => 'c' + c);
  // gaitpdb's clock runs at ≈ 100.007 Hz (0.0099 s steps): put both feet on an exact 100 Hz grid first.
  const left = resampleToUniform(table.columns[0], table.columns[17], 100);
  const right = resampleToUniform(table.columns[0], table.columns[18], 100);
  const events = new InsoleEvents().run({ rateHz: 100, left, right });
  const { cycles } = new GaitCycleSegmentation().run({ events, channels: { left: { values: left, rateHz: 100 }, right: { values: right, rateHz: 100 } } });
  const st = spatiotemporal(cycles, events);
  return { file, summary: st.summary, perSide: st.perSide, strides: st.strides.length };
}

const walksOf = (subject: string) => readdirSync(sharedData('gaitpdb')).filter((f) => f.startsWith(subject + '_') && f.endsWith('.txt.gz')).sort();
const fmt = (x: number | null, d = 3) => (x === null ? '—' : x.toFixed(d));

function group(subjects: string[]) {
  const perSubject = subjects.map((s) => {
    const walks = walksOf(s).map(analyseWalk);
    assert.ok(walks.length > 0, `${s} has walk files`);
    return { subject: s, walks, strideS: mean(walks.map((w) => w.summary.strideTime.mean.value!)), cadence: mean(walks.map((w) => w.summary.cadence.value!)) };
  });
  return perSubject;
}

for (const [name, subjects, norm] of [['controls', CONTROLS, NORMS.control], ['PD', PATIENTS, NORMS.pd]] as const) {
  test(`gaitpdb ${name} (${subjects.join(', ')}), every walk: stride times within the published norm ± 2 SD, sane cadence, swing and CV`, (t) => {
    const subjectsResult = group(subjects);
    for (const s of subjectsResult) {
      for (const w of s.walks) {
        const m = w.summary;
        t.diagnostic(`${w.file}: stride ${fmt(m.strideTime.mean.value)} s (CV ${fmt(m.strideTime.cv.value, 2)} %), cadence ${fmt(m.cadence.value, 1)} steps/min, ` +
          `swing ${fmt(m.swing.mean.value, 1)} %, double support ${fmt(m.doubleSupport.mean.value, 1)} %, step ${fmt(m.stepTime.mean.value)} s, ` +
          `strides ${m.stridesIncluded} kept / ${m.stridesExcluded} flagged, stance SI ${fmt(compareSides(w.perSide.left.stance.mean.value, w.perSide.right.stance.mean.value).si.value, 2)} %`);
        // Every walk: both feet found, most strides clean, values in physiological ranges.
        assert.ok(w.perSide.left.strideTime.n > 30 && w.perSide.right.strideTime.n > 30, `${w.file}: clean strides per foot`);
        assert.ok(m.stridesExcluded / w.strides < 0.2, `${w.file}: ${m.stridesExcluded} of ${w.strides} strides flagged`);
        assert.ok(m.strideTime.mean.value! > 0.8 && m.strideTime.mean.value! < 1.6, `${w.file}: stride ${m.strideTime.mean.value}`);
        assert.ok(m.swing.mean.value! > 28 && m.swing.mean.value! < 42, `${w.file}: swing ${m.swing.mean.value} %`);
        assert.ok(m.strideTime.cv.value! < 10, `${w.file}: stride CV ${m.strideTime.cv.value} %`);
        // Step time is half the stride in steady walking: the two feet's events are consistent.
        assert.ok(Math.abs(m.stepTime.mean.value! - m.strideTime.mean.value! / 2) < 0.05, `${w.file}: step ${m.stepTime.mean.value} vs stride ${m.strideTime.mean.value}`);
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
