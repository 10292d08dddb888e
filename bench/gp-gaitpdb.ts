// npm run bench:gp-gaitpdb — the hierarchical GP on real insole data through the same services the gaitlab CLI
// calls (importPaths, fitGp as a job in a worker process, gpCompare, gpAsymmetry), on a fresh SQLite file:
// per-foot total vertical force cycles (L_total, R_total) from GaitLab's own InsoleEvents + GaitCycleSegmentation,
// groups PD (GaPt…) and control (GaCo…) of the Ga study, one walk each. Prints held-out NMSE/MSLL per group
// (pooled group predictive, split by point, 30 %, seed 0) for the heteroscedastic and homoscedastic models, the
// PD-vs-control MMD map, the Wasserstein asymmetry scores and the Mann–Whitney p between the groups. Prints;
// asserts nothing. Then HuGaDB shank angular velocity per leg (the paper's signal; one healthy group) through the
// same pipeline (GP_HUGADB=0 skips it, =only runs it alone). QUICK SETTINGS by default (labelled in the output):
// GP_SUBJECTS per group (8), GP_M (20), GP_ITERATIONS per phase (1000), Z fixed unless GP_OPTIMIZE_Z=1;
// GP_KEEP_DB=path keeps the databases there (path.gaitpdb, path.hugadb).
import * as path from 'node:path';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { ApiResponse } from '../src-shared/api/schema';
import { withApi } from '../src-main/cli/run-context';

const perGroup = Number(process.env.GP_SUBJECTS ?? 8), m = Number(process.env.GP_M ?? 20), cap = Number(process.env.GP_ITERATIONS ?? 1000);
const optimizeZ = process.env.GP_OPTIMIZE_Z === '1';
const folder = path.join(__dirname, '..', '..', 'shared', 'data', 'gaitpdb');
const hugadbFolder = path.join(__dirname, '..', '..', 'shared', 'data', 'hugadb');

interface Cohort { title: string; files: string[]; cohort: string; channels: string[]; groups: [string, string] | null; unit: string }

async function fitCohort(c: Cohort): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gaitlab-bench-gp-'));
  const db = process.env.GP_KEEP_DB ? `${process.env.GP_KEEP_DB}.${c.cohort}` : path.join(dir, 'gp.db');
  try {
    await withApi({ db, json: true }, async (call) => {
      const imported = (await call('importPaths', { paths: c.files })) as ApiResponse<'importPaths'>;
      console.log(`\n${c.title}: ${imported.trials} walks imported; channels ${c.channels.join(', ')}; ` +
        `M = ${m}, ${optimizeZ ? 'Z released in phase 2' : 'Z fixed'}, at most ${cap} iterations per phase${perGroup < 30 || cap < 20000 || m < 100 ? ' (QUICK SETTINGS)' : ''}`);
      let heteroModel = '';
      for (const noise of ['hetero', 'homo'] as const) {
        const started = performance.now();
        const queued = (await call('fitGp', { channels: c.channels, cohort: c.cohort, noise, m, optimizeZ, maxIterations: cap, seed: 0 })) as ApiResponse<'fitGp'>;
        const job = ((await call('waitJob', { id: queued.job.id })) as ApiResponse<'waitJob'>).job;
        if (job.status !== 'done' || !job.modelId) throw new Error(`${noise} fit: job ${job.id} ${job.status} ${job.error ?? ''}`);
        const wall = (performance.now() - started) / 1000;
        const model = ((await call('getModel', { id: job.modelId })) as ApiResponse<'getModel'>).model;
        const x = model.metrics as { bound: number; iterations: number; converged: boolean; fitSeconds: number; heldOut: { group: string; nmse: number; msll: number; points: number }[]; testPoints: number };
        if (noise === 'hetero') {
          heteroModel = model.id;
          console.log(`data: ${queued.cycles} clean cycles of ${queued.subjects} subjects (${queued.extracted} walks segmented by GaitLab now), ${x.testPoints.toLocaleString('en')} held-out points`);
        }
        const groups = x.heldOut.map((h) => `${h.group} NMSE ${h.nmse.toFixed(3)} % MSLL ${h.msll.toFixed(3)}`).join('; ');
        console.log(`${noise}: ${x.iterations} iterations (converged ${x.converged}), fit ${x.fitSeconds.toFixed(1)} s (job ${wall.toFixed(1)} s), bound ${x.bound.toFixed(0)}; group-level held-out ${groups}`);
      }
      if (c.groups) {
        const cmp = (await call('gpCompare', { modelId: heteroModel, a: c.groups[0], b: c.groups[1], points: 200 })) as ApiResponse<'gpCompare'>;
        const map = cmp.mmdNormalised.map(Number);
        const regions: string[] = [];
        for (let j = 0; j < map.length;) {
          if (map[j] < 0.5) { j++; continue; }
          let k = j;
          while (k + 1 < map.length && map[k + 1] >= 0.5) k++;
          regions.push(`${(100 * cmp.grid[j]).toFixed(0)}–${(100 * cmp.grid[k]).toFixed(0)} %`);
          j = k + 1;
        }
        const deciles = Array.from({ length: 10 }, (_, d) => {
          const part = map.slice(d * 20, d * 20 + 20);
          return (part.reduce((a, b) => a + b, 0) / part.length).toFixed(2);
        });
        console.log(`${c.groups[1]} vs ${c.groups[0]} MMD map (normalised, hetero model): ≥ 0.5 over ${regions.join(', ')} of the cycle; maximum at ${(100 * cmp.grid[map.indexOf(1)]).toFixed(0)} %; mean per tenth of the cycle ${deciles.join(' ')}`);
      }
      const asym = (await call('gpAsymmetry', { modelId: heteroModel })) as ApiResponse<'gpAsymmetry'>;
      for (const g of asym.groups) {
        const scores = asym.scores.filter((s) => s.group === g.group).map((s) => s.score.toFixed(1)).join(' ');
        console.log(`asymmetry (W1 area, ${c.unit}) ${g.group}: median ${g.median.toFixed(1)} (IQR ${g.q1.toFixed(1)}–${g.q3.toFixed(1)}), n ${g.n}: ${scores}`);
      }
      if (asym.mannWhitney) console.log(`Mann–Whitney ${asym.mannWhitney.a} vs ${asym.mannWhitney.b}: U ${asym.mannWhitney.u1}, p = ${asym.mannWhitney.p.toFixed(4)} (${asym.mannWhitney.method})`);
    }, 'create');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const files = readdirSync(folder).filter((f) => /^Ga(Co|Pt)\d+_01\.txt(\.gz)?$/.test(f)).sort();
  const chosen = [...files.filter((f) => f.startsWith('GaCo')).slice(0, perGroup), ...files.filter((f) => f.startsWith('GaPt')).slice(0, perGroup)];
  if (process.env.GP_HUGADB !== 'only') {
    await fitCohort({
      title: `gaitpdb Ga study (${chosen.filter((f) => f.startsWith('GaCo')).length} control, ${chosen.filter((f) => f.startsWith('GaPt')).length} PD, one walk each)`,
      files: chosen.map((f) => path.join(folder, f)), cohort: 'gaitpdb', channels: ['L_total', 'R_total'], groups: ['control', 'PD'], unit: 'N',
    });
  }
  if (process.env.GP_HUGADB === '0') return;
  // HuGaDB: every walking file of subjects 01, 06, 08, 10 but the two byte-identical copies (README item 5);
  // one group (healthy), so no MMD map between groups and no Mann–Whitney.
  const hugadb = readdirSync(hugadbFolder).filter((f) => /^HuGaDB_v1_walking_\d+_\d+\.txt(\.gz)?$/.test(f) && !/walking_06_0[56]/.test(f)).sort();
  await fitCohort({
    title: `HuGaDB (${hugadb.length} walking files of subjects 01, 06, 08, 10; healthy)`, files: hugadb.map((f) => path.join(hugadbFolder, f)),
    cohort: 'hugadb', channels: ['left_shank_gyro_y', 'right_shank_gyro_y'], groups: null, unit: 'deg/s',
  });
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exitCode = 1;
});
