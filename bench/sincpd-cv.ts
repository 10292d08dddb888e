// npm run bench:sincpd-cv — SincPD itself (not the baseline) with the spec's full settings (100 filters per sensor,
// batch 32, at most 1000 epochs per stage, patience 20, pruning and retraining) over the subject-grouped 10-fold
// protocol on the whole gaitpdb release. A fold takes 16–60 min of this 2-core machine, so the run is resumable: each
// finished fold's test probabilities are kept, keyed by a hash of its data and settings, in bench/results/sincpd-cv —
// committed, so that a later session on another machine goes on from them (BENCH_SINCPD_CV_DIR keeps them elsewhere).
// BENCH_SINCPD_CV_FOLDS=6,7 (0-based fold indices) runs only those folds, training the ones not kept; two runs with
// disjoint folds use both cores. The figures printed cover the folds named (or all ten), labelled "k of 10 folds".
// BENCH_SINCPD_CV_TASK=pd|severity (default pd), BENCH_SINCPD_CV_CONFIG=sincnet-gait|sincpd-2024.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { initTfjsBackend } from '../src-main/compute/tfjs/backend';
import { buildSincPdDataset } from '../src-main/methods/sincpd/data';
import { predictSincPd, trainSincPd } from '../src-main/methods/sincpd/index';
import { sincPdFitPredict, type SincPdRunOptions } from '../src-main/methods/sincpd/training-run';
import { evaluateProtocol, type FitPredict } from '../src-shared/methods/sincpd/evaluate-protocol';
import { formatProtocolResult } from '../src-shared/methods/sincpd/report-lines';
import { withSeverityLabels } from '../src-shared/methods/sincpd/segments';
import { releaseWalks } from './sincpd-walks';

const TASK = process.env.BENCH_SINCPD_CV_TASK === 'severity' ? 'severity' : 'pd';
const CONFIG = process.env.BENCH_SINCPD_CV_CONFIG === 'sincpd-2024' ? 'sincpd-2024' : 'sincnet-gait';
const SEED = 1;
const DIR = process.env.BENCH_SINCPD_CV_DIR ?? resolve(__dirname, 'results', 'sincpd-cv');
const ONLY = process.env.BENCH_SINCPD_CV_FOLDS?.split(',').map(Number);

/** A fold's test probabilities, kept on disk under a hash of everything that decides them. */
function cachedFolds(inner: FitPredict, settings: string): FitPredict {
  mkdirSync(DIR, { recursive: true });
  return async (input) => {
    const h = createHash('sha256').update(settings);
    for (const a of [input.trainX, input.trainY, input.validX, input.validY, input.testX]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    const file = join(DIR, `fold-${input.fold}-${h.digest('hex').slice(0, 16)}.json`);
    if (existsSync(file)) {
      console.log(`fold ${input.fold + 1}: kept from an earlier run (${file})`);
      return Float64Array.from(JSON.parse(readFileSync(file, 'utf8')).probabilities as number[]);
    }
    const t0 = performance.now();
    const probs = await inner(input);
    const seconds = (performance.now() - t0) / 1000;
    writeFileSync(file, JSON.stringify({ fold: input.fold, settings, seconds, probabilities: Array.from(probs) }));
    console.log(`fold ${input.fold + 1}: trained and tested in ${(seconds / 60).toFixed(1)} min (${file})`);
    return probs;
  };
}

async function main(): Promise<void> {
  await initTfjsBackend();
  const { walks } = await releaseWalks();
  const data = buildSincPdDataset(walks, { walks: 'all' });
  const set = TASK === 'severity' ? withSeverityLabels(data.set) : data.set;
  const o: SincPdRunOptions = { task: TASK, config: CONFIG, protocol: 'subject-10fold', walks: 'all', seed: SEED };
  const settings = JSON.stringify({ task: TASK, config: CONFIG, seed: SEED, settings: 'spec (100 filters, batch 32, ≤ 1000 epochs, patience 20, pruning)' });
  console.log(`gaitpdb: ${set.meta.length} segments of ${new Set(set.meta.map((m) => m.subject)).size} subjects; SincPD ${CONFIG}, task ${TASK}, subject-10fold, seed ${SEED}, full settings; folds kept in ${DIR}`);
  let last = '';
  const r = await evaluateProtocol(set, 'subject-10fold', cachedFolds(sincPdFitPredict({ trainSincPd, predictSincPd }, o), settings), {
    task: TASK, seed: SEED, ...(ONLY ? { runFolds: ONLY } : {}),
    onProgress: (p) => {
      // One line per epoch (the stage text changes with it), with the time, so a log shows the pace.
      if (p.stage !== last) console.log(`${new Date().toISOString().slice(11, 19)} ${p.stage}`);
      last = p.stage;
    },
  });
  console.log(`\nSincPD (${CONFIG}, full settings) — subject-10fold, task ${TASK}: ${r.folds.length} of 10 folds (${r.folds.map((f) => f.fold + 1).join(', ')})`);
  for (const line of formatProtocolResult(r)) console.log(line);
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
