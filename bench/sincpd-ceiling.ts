// What does the gaitpdb insole data allow at subject level? Issue 15 asks SincPD for binary accuracy ≥ 90 % and AUC ≥
// 0.95 over subject-grouped folds, and a severity score with Spearman ρ ≥ 0.93. This script measures what classifiers
// other than SincPD reach on exactly the same subjects and folds (§5.3.3: duplicates removed, seed 1, PD/control
// strata for the binary task, H&Y strata for severity), from features a gait lab computes from the same insoles:
//   - timing from GaitLab's own events (InsoleEvents on each foot's total force, its gait cycles and spatiotemporal
//     summary): stride, step, stance and swing times with their CVs, stance/swing/double-support %, cadence, and
//     left/right asymmetries of swing and step time and of stride-time CV;
//   - load: each sensor's share of its foot's mean load (16), each foot's mean stance-force curve (normalised to its
//     peak) at 0, 10, …, 60 % of the cycle;
//   - the band-energy features of the SincPD baseline (log power of each left − right sensor difference in 7 bands,
//     averaged over the walk's 10 s segments).
// One row per walk; scikit-learn (bench/sincpd_ceiling.py) picks each model's settings by an inner subject-grouped
// search on the training folds only, and a subject's decision is the mean of its walks' probabilities, as in §5.3.3.
// Never used by the tests.   npm run bench:sincpd-ceiling   (BENCH_SINCPD_WALKS=usual-only: walk 01 of each subject only;
// BENCH_SINCPD_CEILING_TASKS=pd|severity, BENCH_SINCPD_CEILING_SETS=0,2 to run a part; BENCH_SINCPD_CEILING_KEEP=file keeps the rows)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSincPdDataset, type RawWalk } from '../src-main/methods/sincpd/data';
import { bandEnergyFeatures } from '../src-shared/methods/sincpd/band-energy';
import { subjectFolds } from '../src-shared/methods/sincpd/protocols';
import { SEGMENT_VALUES, withSeverityLabels, type SegmentSet } from '../src-shared/methods/sincpd/segments';
import { SEVERITY_STAGES } from '../src-shared/methods/sincpd/walk-labels';
import { GaitCycleSegmentation } from '../src-shared/signal/cycles';
import { InsoleEvents } from '../src-shared/signal/events/insole';
import { spatiotemporal, type SummaryStatistic } from '../src-shared/signal/spatiotemporal';
import { releaseWalks } from './sincpd-walks';

const SEED = 1;
const CURVE_POINTS = [0, 10, 20, 30, 40, 50, 60];
const WALKS = process.env.BENCH_SINCPD_WALKS === 'usual-only' ? 'usual-only' : 'all';
/** pd,severity (both by default); feature sets by index: 0 timing + load, 1 band energies, 2 all, 3 all z-scored within study. */
const TASKS = process.env.BENCH_SINCPD_CEILING_TASKS ?? 'pd,severity';
const SETS = process.env.BENCH_SINCPD_CEILING_SETS ?? '';

/** Timing and load features of one walk; null values are missing (a walk without enough clean strides). */
export function walkGaitFeatures(w: RawWalk): Record<string, number | null> {
  const n = w.timeS.length;
  const rateHz = (n - 1) / (w.timeS[n - 1] - w.timeS[0]);
  const left = w.totals?.left ?? sumOf(w.left), right = w.totals?.right ?? sumOf(w.right);
  const events = new InsoleEvents().run({ rateHz, left, right });
  const { cycles } = new GaitCycleSegmentation().run({ events, channels: { left: { values: left, rateHz }, right: { values: right, rateHz } } });
  const st = spatiotemporal(cycles, events);
  const s = st.summary, l = st.perSide.left, r = st.perSide.right;
  const f: Record<string, number | null> = {};
  const put = (name: string, x: SummaryStatistic) => { f[`${name}_mean`] = x.mean.value; f[`${name}_cv`] = x.cv.value; };
  put('stride_time', s.strideTime); put('step_time', s.stepTime); put('stance_time', s.stanceTime); put('swing_time', s.swingTime);
  put('stance_pct', s.stance); put('swing_pct', s.swing); put('double_support_pct', s.doubleSupport);
  f.cadence = s.cadence.value;
  f.strides = s.stridesIncluded;
  const asym = (a: number | null, b: number | null) => (a == null || b == null || a + b === 0 ? null : (200 * Math.abs(a - b)) / (a + b));
  f.swing_time_asymmetry = asym(l.swingTime.mean.value, r.swingTime.mean.value);
  f.step_time_asymmetry = asym(l.stepTime.mean.value, r.stepTime.mean.value);
  f.stride_cv_asymmetry = asym(l.strideTime.cv.value, r.strideTime.cv.value);
  for (const [side, sensors] of [['L', w.left], ['R', w.right]] as const) {
    const means = sensors.map((c) => c.reduce((a, v) => a + v, 0) / c.length);
    const total = means.reduce((a, v) => a + v, 0);
    means.forEach((m, i) => { f[`${side}${i + 1}_share`] = total > 0 ? m / total : null; });
  }
  for (const side of ['left', 'right'] as const) {
    const curves = cycles.filter((c) => c.side === side && c.flags.length === 0 && c.curve).map((c) => c.curve!);
    const mean = curves.length ? Float64Array.from(curves[0], (_, i) => curves.reduce((a, c) => a + c[i], 0) / curves.length) : null;
    const peak = mean ? Math.max(...mean) : 0;
    for (const p of CURVE_POINTS) f[`${side}_force_at_${p}pct`] = mean && peak > 0 ? mean[p] / peak : null;
  }
  return f;
}

function sumOf(channels: Float32Array[]): Float32Array {
  return Float32Array.from(channels[0], (_, i) => channels.reduce((a, c) => a + c[i], 0));
}

/** The walk's mean of the baseline's band energies over its segments (rows of `set` whose walk is `name`). */
function walkBandEnergies(set: SegmentSet, name: string): Float64Array {
  const rows = set.meta.flatMap((m, i) => (m.walk === name ? [i] : []));
  const x = new Float32Array(rows.length * SEGMENT_VALUES);
  rows.forEach((r, i) => x.set(set.x.subarray(r * SEGMENT_VALUES, (r + 1) * SEGMENT_VALUES), i * SEGMENT_VALUES));
  const { features, perRow } = bandEnergyFeatures(x);
  return Float64Array.from({ length: perRow }, (_, j) => rows.reduce((a, _r, i) => a + features[i * perRow + j], 0) / rows.length);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const { walks: raw } = await releaseWalks();
  const data = buildSincPdDataset(raw, { walks: WALKS });
  const set = data.set;
  const walkNames = [...new Set(set.meta.map((m) => m.walk))];
  const byName = new Map(raw.map((w) => [w.name, w]));
  const pdFolds = subjectFolds(set.meta.map((m) => ({ subject: m.subject, stratum: m.pd })), 10, SEED);
  const sev = withSeverityLabels(set);
  const sevFolds = subjectFolds(sev.meta.map((m) => ({ subject: m.subject, stratum: m.severity! })), 10, SEED);
  const rows = walkNames.map((name) => {
    const m = set.meta.find((x) => x.walk === name)!;
    const gait = walkGaitFeatures(byName.get(name)!);
    const bands = walkBandEnergies(set, name);
    bands.forEach((v, j) => { gait[`band_${j}`] = v; });
    return {
      walk: name, subject: m.subject, pd: m.pd, severity: m.severity, stage: m.severity == null ? null : SEVERITY_STAGES[m.severity],
      pdFold: pdFolds.subjectFold[m.subject], severityFold: m.severity == null ? null : sevFolds.subjectFold[m.subject], features: gait,
    };
  });
  const subjects = new Set(rows.map((r) => r.subject));
  console.log(`gaitpdb: ${rows.length} walks (walks: ${WALKS}; ${data.duplicates.length} duplicates removed) of ${subjects.size} subjects; features per walk: ${Object.keys(rows[0].features).length}; read and computed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const missing = rows.filter((r) => Object.values(r.features).some((v) => v == null || !Number.isFinite(v)));
  console.log(`walks with a missing timing feature (imputed with the training median): ${missing.length}${missing.length ? ` (${missing.slice(0, 5).map((r) => r.walk).join(', ')}${missing.length > 5 ? ', …' : ''})` : ''}`);

  const folder = mkdtempSync(join(tmpdir(), 'sincpd-ceiling-'));
  writeFileSync(join(folder, 'walks.json'), JSON.stringify({ seed: SEED, rows }));
  if (process.env.BENCH_SINCPD_CEILING_KEEP) writeFileSync(process.env.BENCH_SINCPD_CEILING_KEEP, JSON.stringify({ seed: SEED, rows }));
  const p = spawnSync('/usr/bin/python3', [join(__dirname, 'sincpd_ceiling.py'), join(folder, 'walks.json'), TASKS, SETS], {
    encoding: 'utf8', stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
  });
  rmSync(folder, { recursive: true, force: true });
  if (p.status !== 0) throw new Error(`bench/sincpd_ceiling.py failed (exit ${p.status}, its error above)`);
}

if (require.main === module) main().catch((e) => { console.error(e); process.exitCode = 1; });
