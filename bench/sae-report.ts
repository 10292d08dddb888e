// npm run bench:sae-report — the figures issue 17 asks for, per model (sae, sae-disent, svae) on both data sets:
// the clinical GRF set (one row per trial, 6 channels; impairment classes as metadata) and gaitpdb (one row per
// clean gait cycle and side of L_total/R_total in ×BW; demographics as metadata). Each model is trained as
// `gaitlab train sae` trains it (methods-spec §5.2.5: gaitlab-default preset, subject-grouped 80/20 split, seed 42,
// ≤ 100 epochs, patience 10, best weights restored), then measured on the subjects it held out:
//   - reconstruction error in scaled coefficient space (MSE, R²) and per channel in the time domain (RMSE, R²);
//   - firing rate (min/max/mean), mean L0 and dead features on the held-out rows (paper: 0.03–0.15, mean ≈ 0.07);
//   - the strongest subject-level metadata correlations (all samples, §5.2.8) with 95 % bootstrap CIs and BH q;
//   - retrieval: each held-out subject's 10 nearest training subjects (cosine on mean codes): the share in its
//     own class/group against the base rate, with a label-permutation p.
// Settings: BENCH_SAE_REPORT_DATA (grf,gaitpdb), BENCH_SAE_REPORT_MODELS (sae,sae-disent,svae), BENCH_SAE_REPORT_EPOCHS
// (100; fewer is labelled in the table), BENCH_SAE_GRF_DB / BENCH_SAE_GAITPDB_DB (a database with the data imported;
// else they are imported into a temporary one). Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadCurveDataset } from '../src-main/compute/curve-dataset';
import { loadSideCycleDataset } from '../src-main/compute/side-cycle-dataset';
import { initTfjsBackend } from '../src-main/compute/tfjs/backend';
import type { CurveDataset } from '../src-main/methods/logreg/state';
import { fitSae, modelInput } from '../src-main/methods/sae/fit';
import { saeParams } from '../src-main/methods/sae/params';
import { encodeRows } from '../src-main/methods/sae/train';
import { closeServiceContext, openServiceContext } from '../src-main/services/context';
import { saeTrainingData } from '../src-main/services/sae-training-data';
import { readSubjectMetadata } from '../src-main/store/subject-metadata';
import { subjectMeanCodes } from '../src-shared/sae/akin-retrieval';
import { featureStats } from '../src-shared/sae/feature-stats';
import { heldOutRetrieval } from '../src-shared/sae/held-out-retrieval';
import { subjectAttributes, subjectLevelCorrelations, type MetadataAttribute, type SubjectCorrelation } from '../src-shared/sae/subject-correlations';
import { deriveSeed } from '../src-shared/sae/subject-split';

const REPO = join(__dirname, '..');
const SHARED = join(REPO, '..', 'shared', 'data');
const SETS = (process.env.BENCH_SAE_REPORT_DATA ?? 'grf,gaitpdb').split(',') as ('grf' | 'gaitpdb')[];
const MODELS = (process.env.BENCH_SAE_REPORT_MODELS ?? 'sae,sae-disent,svae').split(',') as ('sae' | 'sae-disent' | 'svae')[];
const EPOCHS = Number(process.env.BENCH_SAE_REPORT_EPOCHS ?? 100);
const SEED = 42;
const K = 10;

interface Row {
  set: string; model: string; epochs: string; trainS: number; heldS: number; heldRows: number; mse: number; r2: number; time: string;
  rates: string; l0: number; dead: number; corr: string[]; retrieval: string; byGroup: string; seconds: number; parity: string;
}

function importInto(set: 'grf' | 'gaitpdb', db: string): void {
  const grf = join(SHARED, 'slijepcevic2021-clinical-grf-mat');
  // The 6-channel set is the merge of the two files with all channels (the class-2 rows appear in both, kept once).
  const files = set === 'gaitpdb' ? [join(SHARED, 'gaitpdb')] : readdirSync(grf).filter((f) => /_1-2_\.mat$|_2-3-4_\.mat$/.test(f)).map((f) => join(grf, f));
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'gaitlab.cjs'), 'import', ...files, '--db', db, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`import failed: ${r.stderr.trim().split('\n').pop()}`);
}

function loadSet(set: 'grf' | 'gaitpdb'): { data: CurveDataset; attributes: MetadataAttribute[]; description: string; units: string[] } {
  const given = set === 'grf' ? process.env.BENCH_SAE_GRF_DB : process.env.BENCH_SAE_GAITPDB_DB;
  const db = given ?? join(mkdtempSync(join(tmpdir(), 'gaitlab-sae-report-')), `${set}.db`);
  if (!given) importInto(set, db);
  const ctx = openServiceContext({ dbPath: db, mode: 'cli' });
  try {
    let data: CurveDataset, units: string[], description: string;
    if (set === 'gaitpdb') {
      const spec = saeTrainingData(ctx, { cohort: 'gaitpdb', session: null });
      const loaded = loadSideCycleDataset(ctx.db, spec, `${set}.db`);
      data = loaded.data;
      units = loaded.selection.units;
      description = `gaitpdb: clean gait cycles of L_total/R_total, one row per cycle and side, ×BW${loaded.selection.leftOut?.length ? `; ${loaded.selection.leftOut.length} subjects without body mass left out` : ''}`;
    } else {
      data = loadCurveDataset(ctx.db, { cohort: 'slijepcevic2021' }, `${set}.db`).data;
      units = data.channels.map(() => '×BW');
      description = 'clinical GRF (Slijepcevic 2021): one row per trial, 6 channels (AP, ML, vertical force of affected and unaffected side)';
    }
    const attributes = subjectAttributes(readSubjectMetadata(ctx.db, [...new Set(data.subjects)]));
    return { data, attributes, description, units };
  } finally {
    closeServiceContext(ctx);
  }
}

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');
const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');

async function measure(set: 'grf' | 'gaitpdb', model: 'sae' | 'sae-disent' | 'svae', data: CurveDataset, attributes: MetadataAttribute[]): Promise<Row> {
  const t0 = performance.now();
  const params = saeParams.parse({ model, epochs: EPOCHS });
  let last = 0;
  const { state, metrics, perChannel } = await fitSae(data, params, SEED, tf.getBackend(), {
    onProgress: (p) => { if (performance.now() - last > 30_000) { last = performance.now(); process.stderr.write(`  ${set} ${model}: ${p.stage}\n`); } },
  });
  const latent = state.weights.latent;
  const { matrix, scaled } = modelInput(state.card, state.scaling, data);
  const codes = encodeRows(state.weights, Float32Array.from(scaled!), matrix.rows);
  const rowSubjects = matrix.source.map((s) => data.subjects[s.sample]);
  const groupOf = new Map<string, string>();
  data.subjects.forEach((s, r) => groupOf.set(s, data.labels[r]));
  // Correlations use every sample (the analysis set of §5.2.6); dead = never active on any sample.
  const all = featureStats(codes, matrix.rows, latent, model === 'svae' ? 'signed' : 'relu');
  const means = subjectMeanCodes(codes, matrix.rows, latent, rowSubjects);
  const corr = subjectLevelCorrelations(means.subjects, means.codes, latent, attributes, new Set(all.dead), deriveSeed(SEED, 'bootstrap'));
  // The strongest correlation per attribute, then the three strongest of those.
  const seen = new Set<string>();
  const strongest: SubjectCorrelation[] = [];
  for (const c of corr) if (!seen.has(c.attribute)) { seen.add(c.attribute); strongest.push(c); }
  const retrieval = heldOutRetrieval(codes, matrix.rows, latent, rowSubjects, new Set(state.card.validationSubjects), (s) => groupOf.get(s) ?? '',
    { k: K, seed: deriveSeed(SEED, 'bootstrap'), permutations: 999 });
  // §5.2.13 parity figures (report only): redundancy, R6's speed count and age/height/weight maxima, R7's top share.
  const maxAbs = (name: string) => Math.max(0, ...corr.filter((c) => c.attribute === name).map((c) => Math.abs(c.r)));
  const speedCount = corr.filter((c) => c.attribute === 'walking speed' && Math.abs(c.r) > 0.3).length;
  const parity = `max |r| between features ${f2(all.maxAbsCorrelation)} (paper R5: ≈ 0.4 sae, ≈ 0.25 sae-disent); top variance share ${f3(Math.max(...all.varianceShare))} (R7); dead ${all.dead.length} of ${latent} on all samples (R3: 98 for sae-disent)`
    + (attributes.some((a) => a.name === 'walking speed') ? `; features with |r| > 0.3 vs speed ${speedCount} (R6: several); max |r| age ${f2(maxAbs('age'))}, height ${f2(maxAbs('height'))}, body weight ${f2(maxAbs('body weight'))} (R6: ≈ 0.25)` : '');
  const epochs = `${metrics.epochsRun}${state.card.stoppedEarly ? ` (best ${metrics.bestEpoch}, stopped)` : ` (best ${metrics.bestEpoch})`}${EPOCHS < 100 ? ` CAPPED at ${EPOCHS}` : ''}`;
  return {
    set, model, epochs, trainS: state.card.trainSubjects.length, heldS: state.card.validationSubjects.length, heldRows: metrics.evaluationSamples,
    mse: metrics.validationMseScaled, r2: metrics.validationR2Scaled,
    time: perChannel.map((c) => `${c.channel} ${c.rmse.toPrecision(3)}/${f2(c.r2)}`).join('; '),
    rates: `${f3(metrics.minFiringRate)}/${f3(metrics.maxFiringRate)}/${f3(metrics.meanFiringRate)}`, l0: metrics.meanL0, dead: metrics.deadFeatures,
    corr: strongest.slice(0, 3).map((c) => `f${c.feature} ~ ${c.attribute}: r ${f2(c.r)} [${f2(c.ciLow)}, ${f2(c.ciHigh)}] q ${c.q.toExponential(1)} (n ${c.n})`),
    retrieval: `P@${K} ${f3(retrieval.precision)} vs base ${f3(retrieval.baseRate)} (lift ${f3(retrieval.precision - retrieval.baseRate)}, perm p ${f3(retrieval.permutationP)}; ${retrieval.queries.length} queries, ${retrieval.database} in database${retrieval.silent.length ? `, ${retrieval.silent.length} silent` : ''})`,
    byGroup: retrieval.byGroup.map((g) => `${g.group} ${f3(g.precision)}/${f3(g.baseRate)} (${g.queries})`).join(', '),
    seconds: (performance.now() - t0) / 1000, parity,
  };
}

async function main(): Promise<void> {
  const choice = await initTfjsBackend();
  const started = loadavg();
  console.log(`SAE results report (issue 17): seed ${SEED}, gaitlab-default preset, subject-grouped 80/20, ≤ ${EPOCHS} epochs, patience 10; tfjs ${choice.tier}; load average at start ${started.map((v) => v.toFixed(2)).join(' ')}`);
  const rows: Row[] = [];
  for (const set of SETS) {
    const t0 = performance.now();
    const { data, attributes, description, units } = loadSet(set);
    const subjects = new Set(data.subjects).size;
    const groups = new Map<string, Set<string>>();
    data.subjects.forEach((s, r) => { if (!groups.has(data.labels[r])) groups.set(data.labels[r], new Set()); groups.get(data.labels[r])!.add(s); });
    console.log(`\n${description}\n  ${data.rows} rows of ${subjects} subjects (${[...groups].map(([g, s]) => `${g} ${s.size}`).join(', ')}); channels ${data.channels.join(', ')} in ${[...new Set(units)].join(', ')}; loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    console.log(`  metadata (subject level): ${attributes.map((a) => `${a.name} (${a.values.size})`).join(', ')}`);
    for (const model of MODELS) {
      const r = await measure(set, model, data, attributes);
      rows.push(r);
      console.log(`  ${model}: ${r.epochs} epochs, held-out R² ${f3(r.r2)}, firing ${r.rates}, ${r.seconds.toFixed(0)} s`);
    }
  }
  console.log(`\n=== SAE results per model (held-out subjects; firing rate min/max/mean, paper: 0.03–0.15, mean ≈ 0.07) ===`);
  for (const r of rows) {
    console.log(`\n${r.set} × ${r.model}: epochs ${r.epochs}; ${r.trainS} training / ${r.heldS} held-out subjects (${r.heldRows} held-out rows); ${r.seconds.toFixed(0)} s`);
    console.log(`  reconstruction (held out): MSE ${r.mse.toPrecision(4)} and R² ${f3(r.r2)} in scaled coefficients; time domain RMSE/R² per channel: ${r.time}`);
    console.log(`  firing rate ${r.rates}, mean L0 ${r.l0.toFixed(1)} of 100, dead ${r.dead}`);
    console.log(`  strongest subject-level correlations (95 % bootstrap CI, BH q over all pairs): ${r.corr.join('; ') || 'none'}`);
    console.log(`  retrieval of held-out subjects: ${r.retrieval}; per group P@${K}/base: ${r.byGroup}`);
    console.log(`  parity (§5.2.13; paper values were produced with ID columns inside the transformed signal (§2.2(3)); differences are expected): ${r.parity}`);
  }
  console.log(`\nload average at end ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
}

main().catch((e) => { console.error(e instanceof Error ? e.stack ?? e.message : e); process.exit(1); });
