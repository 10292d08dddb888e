// npm run bench:gp — the hierarchical GP's numerical core on this machine. Prints figures; asserts nothing.
// Part 2 (below) times the fit. Part 1: a 100 × 100 Cholesky (the per-node factorisation at M = 100), blocked vs the textbook loop, in µs.
import os from 'node:os';
import { evaluateBound, type GpModel } from '../src-shared/gp/bound';
import { observationCount } from '../src-shared/gp/cell-stats';
import { fitHierarchy } from '../src-shared/gp/fit';
import { initialTheta } from '../src-shared/gp/init';
import { useGpKernel } from '../src-shared/gp/products';
import { choleskyInPlace, choleskyUnblocked, matMulTransB } from '../src-shared/gp/linalg';
import { gpLayout, hierarchyStructure } from '../src-shared/gp/structure';
import { generateHierarchy } from '../src-shared/gp/synthetic';
import { seededRandom } from '../src-shared/random';

/** Microseconds per call: best of 5 rounds after a warm-up. */
function microseconds(step: () => void, rounds = 5, minMs = 200): number {
  for (let i = 0; i < 50; i++) step();
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    let calls = 0;
    const start = performance.now();
    let elapsed = 0;
    do { step(); calls++; elapsed = performance.now() - start; } while (elapsed < minMs);
    best = Math.min(best, (elapsed * 1000) / calls);
  }
  return best;
}

function choleskyFigures(n: number): void {
  const r = seededRandom(1);
  const g = Float64Array.from({ length: n * n }, () => r() - 0.5);
  const a = matMulTransB(g, g, n, n, n);
  for (let i = 0; i < n; i++) a[i * n + i] += n;
  const out = new Float64Array(n * n);
  const blocked = microseconds(() => choleskyInPlace(a, n, out));
  const plain = microseconds(() => choleskyUnblocked(a, n));
  console.log(`Cholesky ${n}×${n}: blocked ${blocked.toFixed(1)} µs, unblocked loop ${plain.toFixed(1)} µs`);
}

if (process.env.BENCH_GP_PARTS !== 'fit') for (const n of [100, 200]) choleskyFigures(n);

// Part 2: time per cavi-adam iteration of the 4-level hierarchy (2 groups × 28 individuals × 2 limbs, 112 leaves,
// 101-point grid, M = 100) at N and 2N observations. After one pass to cell statistics (HG-9) the iteration
// cannot depend on N; the figures show it. BENCH_GP_ITERATIONS (default 5) iterations per fit, Z fixed; the median
// iteration is printed, wall and CPU, for the per-node products of linalg.ts's loops (the path before issue 16's
// work: "loops") and for the float64 WebAssembly SIMD product ("simd"), in the same run.
const iterations = Number(process.env.BENCH_GP_ITERATIONS ?? 5);
const m = Number(process.env.BENCH_GP_M ?? 100);
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');

/** Median wall and CPU seconds per iteration of `fit` over its iterations (the first, which warms up, left out). */
function timeIterations(run: (onIteration: () => void) => void): { wall: number; cpu: number } {
  const wall: number[] = [], cpu: number[] = [];
  let t = performance.now(), c = cpuMs();
  run(() => {
    const t1 = performance.now(), c1 = cpuMs();
    wall.push((t1 - t) / 1000); cpu.push((c1 - c) / 1000);
    t = t1; c = c1;
  });
  if (wall.length > 1) { wall.shift(); cpu.shift(); }
  return { wall: median(wall), cpu: median(cpu) };
}

function iterationFigures(cyclesPerLimb: number, tieLevels: boolean): void {
  let started = performance.now();
  const synthetic = generateHierarchy(0, { individualsPerGroup: 28, cyclesPerLimb });
  const points = observationCount(synthetic.stats);
  const generateS = (performance.now() - started) / 1000;
  // The bound and gradient with the data term summed point by point over the N raw points (R8a), for comparison
  // with the cell statistics' one. (Points share the 101 grid inputs, so this is O(N) on top of the node work; a
  // dense per-point evaluation with its own Ã column per observation, O(N·M²) per node, is not run here.)
  const structure = hierarchyStructure(synthetic.leaves, tieLevels);
  const model: GpModel = { structure, layout: gpLayout(structure, m, 'hetero'), grid: synthetic.grid };
  const theta = initialTheta(model, synthetic.stats);
  const jitter = new Float64Array(structure.kernelCount + 2 * structure.groupCount).fill(1e-8);
  started = performance.now();
  evaluateBound(model, theta, { kind: 'points', cycles: synthetic.cycles }, jitter, true);
  const rawS = (performance.now() - started) / 1000;
  started = performance.now();
  evaluateBound(model, theta, { kind: 'stats', stats: synthetic.stats }, jitter, true);
  const statsS = (performance.now() - started) / 1000;
  const stats = synthetic.stats;
  (synthetic as { cycles: unknown }).cycles = [];
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const per: Record<string, { wall: number; cpu: number }> = {};
  for (const kind of ['loops', 'simd'] as const) {
    useGpKernel(kind === 'loops' ? 'loops' : undefined);
    per[kind] = timeIterations((tick) => fitHierarchy(synthetic.leaves, stats, synthetic.grid, {
      m, tieLevels, optimizeZ: false, maxIterations: iterations,
      onIteration: () => { peak = Math.max(peak, process.memoryUsage().rss); tick(); },
    }));
  }
  useGpKernel(undefined);
  const f = (x: { wall: number; cpu: number }) => `${x.wall.toFixed(3)} s (CPU ${x.cpu.toFixed(3)} s)`;
  console.log(`${tieLevels ? 'tieLevels' : 'untied   '} N = ${points.toLocaleString('en')} points (${(cyclesPerLimb * 112).toLocaleString('en')} cycles), ` +
    `${structure.parent.length} f-nodes + ${model.layout.noiseNodeCount} noise nodes, M = ${m}: per cavi-adam iteration (median) ` +
    `loops ${f(per.loops)}, simd ${f(per.simd)} = ${(per.loops.cpu / per.simd.cpu).toFixed(2)}× (CPU); ` +
    `bound + gradient with the N raw points ${rawS.toFixed(2)} s, with cell statistics ${statsS.toFixed(2)} s; ` +
    `RSS ${mib(rssBefore)} MiB before the fits, peak ${mib(peak)} MiB during them (generation ${generateS.toFixed(1)} s); load ${load()}`);
}

const perLimb = Number(process.env.BENCH_GP_CYCLES_PER_LIMB ?? 178); // 112 limbs × 178 cycles × 101 points ≈ 2.0 million
if (process.env.BENCH_GP_PARTS !== 'fit') for (const tie of [false, true]) for (const cycles of [perLimb, 2 * perLimb]) iterationFigures(cycles, tie);

// Part 3 (BENCH_GP_PARTS=fit or all): whole fits to convergence (HG-13b, defaults: cavi-adam lr 0.02, W = 100,
// τ = 1e-5, Z released in phase 2), tied then untied unless BENCH_GP_FIT_TIE names one, at BENCH_GP_FIT_M
// (default M). Iterations per phase, converged flags and seconds are printed; at M = 100 this takes long here.
if (process.env.BENCH_GP_PARTS === 'fit' || process.env.BENCH_GP_PARTS === 'all') {
  const fitM = Number(process.env.BENCH_GP_FIT_M ?? m);
  const ties = process.env.BENCH_GP_FIT_TIE ? [process.env.BENCH_GP_FIT_TIE === 'true'] : [true, false];
  const synthetic = generateHierarchy(0, { individualsPerGroup: 28, cyclesPerLimb: perLimb });
  const points = observationCount(synthetic.stats);
  for (const tieLevels of ties) {
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore, last = performance.now();
    const started = performance.now(), cpu0 = cpuMs();
    const fit = fitHierarchy(synthetic.leaves, synthetic.stats, synthetic.grid, {
      m: fitM, tieLevels, learningRate: process.env.BENCH_GP_FIT_LR ? Number(process.env.BENCH_GP_FIT_LR) : undefined,
      onIteration: (i, bound, phase) => {
        peak = Math.max(peak, process.memoryUsage().rss);
        if (performance.now() - last > 30000) { console.log(`  … iteration ${i} (phase ${phase}), bound ${bound.toFixed(1)}, ${((performance.now() - started) / 1000).toFixed(0)} s`); last = performance.now(); }
      },
    });
    const seconds = (performance.now() - started) / 1000, cpu = (cpuMs() - cpu0) / 1000;
    console.log(`whole fit ${tieLevels ? 'tieLevels' : 'untied'}, N = ${points.toLocaleString('en')}, M = ${fitM}, lr ${fit.options.learningRate}: ` +
      `${fit.phases.map((p, i) => `phase ${i + 1} ${p.iterations} iterations${p.converged ? ' (converged)' : ' (not converged)'}`).join(', ')}` +
      `${fit.zOptimisationRejected ? ', Z phase rejected' : ''}; bound ${fit.bound.toFixed(1)}; ` +
      `${seconds.toFixed(1)} s wall (CPU ${cpu.toFixed(1)} s, ${(seconds / fit.iterations).toFixed(3)} s per iteration); ` +
      `RSS ${mib(rssBefore)} → peak ${mib(peak)} MiB; load ${load()}`);
  }
}
