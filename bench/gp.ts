// npm run bench:gp — the hierarchical GP's numerical core on this machine. Prints figures; asserts nothing.
// Part 2 (below) times the fit. Part 1: a 100 × 100 Cholesky (the per-node factorisation at M = 100), blocked vs the textbook loop, in µs.
import { evaluateBound, type GpModel } from '../src-shared/gp/bound';
import { observationCount } from '../src-shared/gp/cell-stats';
import { fitHierarchy } from '../src-shared/gp/fit';
import { initialTheta } from '../src-shared/gp/init';
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

for (const n of [100, 200]) choleskyFigures(n);

// Part 2: time per cavi-adam iteration of the 4-level hierarchy (2 groups × 28 individuals × 2 limbs, 112 leaves,
// 101-point grid, M = 100) at N and 2N observations. After one pass to cell statistics (HG-9) the iteration
// cannot depend on N; the figures show it. BENCH_GP_ITERATIONS (default 3) iterations per fit, Z fixed.
const iterations = Number(process.env.BENCH_GP_ITERATIONS ?? 3);
const m = Number(process.env.BENCH_GP_M ?? 100);
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

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
  started = performance.now();
  const fit = fitHierarchy(synthetic.leaves, stats, synthetic.grid, {
    m, tieLevels, optimizeZ: false, maxIterations: iterations,
    onIteration: () => { peak = Math.max(peak, process.memoryUsage().rss); },
  });
  const perIteration = (performance.now() - started) / 1000 / fit.iterations;
  console.log(`${tieLevels ? 'tieLevels' : 'untied   '} N = ${points.toLocaleString('en')} points (${(cyclesPerLimb * 112).toLocaleString('en')} cycles), ` +
    `${structure.parent.length} f-nodes + ${model.layout.noiseNodeCount} noise nodes, M = ${m}: ${perIteration.toFixed(2)} s per cavi-adam iteration; ` +
    `bound + gradient with the N raw points ${rawS.toFixed(2)} s, with cell statistics ${statsS.toFixed(2)} s; ` +
    `RSS ${mib(rssBefore)} MiB before the fit, peak ${mib(peak)} MiB during it (generation ${generateS.toFixed(1)} s)`);
}

const perLimb = Number(process.env.BENCH_GP_CYCLES_PER_LIMB ?? 178); // 112 limbs × 178 cycles × 101 points ≈ 2.0 million
for (const tie of [false, true]) for (const cycles of [perLimb, 2 * perLimb]) iterationFigures(cycles, tie);
