// npm run bench:sae-retrieval — cross-validated "walks like this one" and the dictionary's sparsity on real data.
// Protocol (printed with the figures): the cohort's subjects are dealt into K subject-grouped folds (seeded); for
// each fold an SAE (gaitlab-default preset: stacked db5 coefficients, type-rms scaling, inner subject split with
// early stopping) is trained on the other folds only; every held-out subject's mean code queries the training
// subjects' mean codes (exact cosine); precision@k = share of the k neighbours in the query's group, against the
// base rate (share of the database in that group), with a label-permutation p per fold. Sparsity (firing rate,
// active features per sample, dead features) is measured on held-out codes and set against Kalam 2025 (firing
// rates 0.03–0.15, mean ≈ 0.07). Data: BENCH_SAE_DATA=gaitpdb (walks → GaitLab's clean gait cycles of L_total and
// R_total, one row per cycle and side; groups PD/control) or grf (the clinical GRF set: one row per trial, the
// 6-channel curves; groups = impairment class). Settings: BENCH_SAE_FOLDS (5), BENCH_SAE_EPOCHS (100, early
// stopping), BENCH_SAE_K (10), BENCH_SAE_MODEL (sae), BENCH_SAE_SUBJECTS (all; a seeded subset, labelled), BENCH_SAE_DB
// (an existing database with the cohort imported; else the shared data are imported into a temporary one).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadCurveDataset } from '../src-main/compute/curve-dataset';
import { loadSideCycleDataset } from '../src-main/compute/side-cycle-dataset';
import { initTfjsBackend } from '../src-main/compute/tfjs/backend';
import type { CurveDataset } from '../src-main/methods/logreg/state';
import { crossValidatedRetrieval, subsetRows } from '../src-main/methods/sae/retrieval-cv';
import { saeParams } from '../src-main/methods/sae/params';
import { closeServiceContext, openServiceContext } from '../src-main/services/context';
import { saeTrainingData } from '../src-main/services/sae-training-data';
import { seededRandom } from '../src-shared/random';
import { shuffleInPlace } from '../src-shared/sae/subject-split';

const REPO = join(__dirname, '..');
const DATA = (process.env.BENCH_SAE_DATA ?? 'gaitpdb') as 'gaitpdb' | 'grf';
const FOLDS = Number(process.env.BENCH_SAE_FOLDS ?? 5);
const EPOCHS = Number(process.env.BENCH_SAE_EPOCHS ?? 100);
const K = Number(process.env.BENCH_SAE_K ?? 10);
const MODEL = (process.env.BENCH_SAE_MODEL ?? 'sae') as 'sae' | 'sae-disent' | 'svae';
const SUBJECTS = process.env.BENCH_SAE_SUBJECTS ? Number(process.env.BENCH_SAE_SUBJECTS) : null;
const SEED = 42;

function importInto(db: string): void {
  const shared = join(REPO, '..', 'shared', 'data');
  const files = DATA === 'gaitpdb'
    ? [join(shared, 'gaitpdb')]
    : readdirSync(join(shared, 'slijepcevic2021-clinical-grf-mat')).filter((f) => f.endsWith('.mat')).map((f) => join(shared, 'slijepcevic2021-clinical-grf-mat', f));
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'gaitlab.cjs'), 'import', ...files, '--db', db, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`import failed: ${r.stderr.trim().split('\n').pop()}`);
}

function limitSubjects(data: CurveDataset, n: number): CurveDataset {
  const chosen = new Set(shuffleInPlace([...new Set(data.subjects)].sort(), seededRandom(SEED)).slice(0, n));
  return subsetRows(data, data.subjects.flatMap((s, r) => (chosen.has(s) ? [r] : [])));
}

async function main(): Promise<void> {
  const db = process.env.BENCH_SAE_DB ?? join(mkdtempSync(join(tmpdir(), 'gaitlab-bench-sae-')), 'bench.db');
  const t0 = performance.now();
  if (!process.env.BENCH_SAE_DB) importInto(db);
  const ctx = openServiceContext({ dbPath: db, mode: 'cli' });
  let data: CurveDataset;
  try {
    if (DATA === 'gaitpdb') {
      const spec = saeTrainingData(ctx, { cohort: 'gaitpdb', session: null });
      data = loadSideCycleDataset(ctx.db, spec, 'bench.db').data;
    } else {
      data = loadCurveDataset(ctx.db, { cohort: 'slijepcevic2021' }, 'bench.db').data;
    }
  } finally {
    closeServiceContext(ctx);
  }
  const prepS = (performance.now() - t0) / 1000;
  if (SUBJECTS !== null) data = limitSubjects(data, SUBJECTS);
  const subjects = new Set(data.subjects).size;
  const groups = new Map<string, Set<string>>();
  data.subjects.forEach((s, r) => { if (!groups.has(data.labels[r])) groups.set(data.labels[r], new Set()); groups.get(data.labels[r])!.add(s); });
  const choice = await initTfjsBackend();
  const params = saeParams.parse({ model: MODEL, epochs: EPOCHS });
  console.log(`SAE cross-validated retrieval on ${DATA === 'gaitpdb' ? 'gaitpdb gait cycles (L_total/R_total, one row per clean cycle and side)' : 'the clinical GRF set (one row per trial, 6 channels)'}${SUBJECTS !== null ? ` — SUBSET of ${SUBJECTS} subjects (seeded), labelled as such` : ''}`);
  console.log(`  data: ${data.rows} rows of ${subjects} subjects (${[...groups].map(([g, s]) => `${g} ${s.size}`).join(', ')}); import and cycles ${prepS.toFixed(1)} s`);
  console.log(`  protocol: ${FOLDS} subject-grouped folds (seed ${SEED}); per fold ${MODEL} (gaitlab-default preset, ≤ ${EPOCHS} epochs, early stopping on an inner subject split) on the training folds only; held-out subject mean code → ${K} nearest training subjects (cosine); P@${K} of the same group vs base rate; label permutation p (999) per fold; tfjs ${choice.tier}`);
  const t1 = performance.now();
  const r = await crossValidatedRetrieval(data, { folds: FOLDS, k: K, seed: SEED, params, backend: tf.getBackend(), onFold: (f, n) => process.stderr.write(`fold ${f + 1}/${n}…\n`) });
  console.log('  fold  train subj  test subj  test rows  epochs  inner R²  P@k    base   perm p   firing  L0     dead');
  for (const f of r.folds) {
    console.log(`  ${String(f.fold + 1).padEnd(5)} ${String(f.trainSubjects).padEnd(11)} ${String(f.testSubjects).padEnd(10)} ${String(f.testRows).padEnd(10)} ${String(f.epochs).padEnd(7)} ${f.innerR2.toFixed(3).padEnd(9)} ${f.precision.toFixed(3)}  ${f.baseRate.toFixed(3)}  ${f.permutationP.toFixed(3).padEnd(7)}  ${f.firingRate.toFixed(3)}   ${f.meanL0.toFixed(1).padEnd(6)} ${f.dead}`);
  }
  const byGroup = [...groups.keys()].sort().map((g) => {
    const q = r.queries.filter((x) => x.group === g);
    const m = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    return `${g} (${q.length}): P@${K} ${m(q.map((x) => x.precision)).toFixed(3)} vs base ${m(q.map((x) => x.baseRate)).toFixed(3)}`;
  });
  console.log(`  all ${r.queries.length} held-out subjects: P@${K} same group ${r.precision.toFixed(3)} vs base rate ${r.baseRate.toFixed(3)} (lift ${(r.precision - r.baseRate).toFixed(3)}); ${byGroup.join('; ')}`);
  console.log(`  sparsity on held-out rows: mean firing rate ${r.firingRate.toFixed(3)} (Kalam 2025: 0.03–0.15, mean ≈ 0.07); dead features per fold ${r.folds.map((f) => f.dead).join(', ')} of ${params.latent}`);
  console.log(`  ${((performance.now() - t1) / 1000).toFixed(1)} s for ${FOLDS} folds`);
}

main().catch((e) => { console.error(e instanceof Error ? e.message : e); process.exit(1); });
