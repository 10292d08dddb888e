// npm run bench:sincpd — training samples/s of the 100-filter binary SincPD network (methods-spec §3.3.4) at batch 32:
// the PyTorch CPU reference (bench/sincpd_torch.py, one thread) on the same real gaitpdb segments GaitLab builds
// (100 Hz grid, L − R differences, 10 s windows, training scaling), and GaitLab's own training through the seam of
// src-main/methods/sincpd/seam.ts where this build has it (part A of issue 15). Prints figures only.
// BENCH_SINCPD_WALKS (default 8 walks ≈ 96 segments), BENCH_SINCPD_EPOCHS (timed epochs, best of; default 2).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSincPdDataset, readWalkFile } from '../src-main/methods/sincpd/data';
import { loadSincPdImplementation } from '../src-main/methods/sincpd/seam';
import { applySegmentScaling, fitSegmentScaling } from '../src-shared/methods/sincpd/segment-standardise';

const DATA = resolve(__dirname, '..', '..', 'shared', 'data', 'gaitpdb');
const WALKS = Number(process.env.BENCH_SINCPD_WALKS ?? 8);
const EPOCHS = Number(process.env.BENCH_SINCPD_EPOCHS ?? 2);

async function main(): Promise<void> {
  // Alternate controls and patients so both classes are in the batch.
  const files = readdirSync(DATA).filter((f) => /_01\.txt\.gz$/.test(f)).sort();
  const co = files.filter((f) => f.includes('Co')), pt = files.filter((f) => f.includes('Pt'));
  const chosen = Array.from({ length: WALKS }, (_, i) => (i % 2 ? pt : co)[Math.floor(i / 2)]);
  const walks = [];
  for (const f of chosen) walks.push(await readWalkFile(join(DATA, f)));
  const data = buildSincPdDataset(walks);
  const n = data.set.meta.length;
  const rows = Array.from({ length: n }, (_, i) => i);
  const x = applySegmentScaling(data.set.x, rows, fitSegmentScaling(data.set.x, rows));
  const y = Int32Array.from(data.set.meta, (m) => m.pd);
  console.log(`data: ${n} segments (8 × 1000) from ${chosen.length} gaitpdb walks; batch 32; best of ${EPOCHS} timed epoch(s)`);

  const dir = mkdtempSync(join(tmpdir(), 'bench-sincpd-'));
  try {
    writeFileSync(join(dir, 'x.f32'), Buffer.from(x.buffer, x.byteOffset, x.byteLength));
    writeFileSync(join(dir, 'y.i32'), Buffer.from(y.buffer, y.byteOffset, y.byteLength));
    const r = spawnSync('/usr/bin/python3', [join(__dirname, 'sincpd_torch.py'), join(dir, 'x.f32'), join(dir, 'y.i32'), String(n), String(EPOCHS)], { encoding: 'utf8' });
    if (r.status !== 0) console.log(`PyTorch reference: failed (${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`);
    else {
      const t = JSON.parse(r.stdout) as { torch: string; threads: number; parameters: number; samples_per_s: number };
      console.log(`PyTorch ${t.torch} CPU, ${t.threads} thread: ${t.samples_per_s.toFixed(1)} training samples/s (${t.parameters.toLocaleString('en')} parameters, spec §3.3.4: 1,173,505)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // GaitLab's side: part A's trainSincPd, one epoch per timed fit, on the same segments.
  const impl = loadSincPdImplementation();
  if (!impl) {
    console.log('GaitLab: no figure yet: SincPD training (part A of issue 15) is not in this build; the hook is in bench/sincpd.ts');
    return;
  }
  let best = Infinity;
  for (let e = 0; e < EPOCHS + 1; e++) {
    const t0 = performance.now();
    await impl.trainSincPd({ x, y, validX: new Float32Array(0), validY: new Int32Array(0), classes: 2, fold: 0 }, { task: 'pd', profile: 'sincnet-gait', epochs: 1, seed: 42 }, {});
    if (e > 0) best = Math.min(best, (performance.now() - t0) / 1000); // the first fit warms up the kernels
  }
  console.log(`GaitLab (part A, sincnet-gait): ${(n / best).toFixed(1)} training samples/s`);
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
