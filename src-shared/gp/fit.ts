// Fitting the hierarchical GP (methods-spec §5.4.5): cavi-adam by default (HG-13), plain adam, or the paper's
// NAdam (HG-14); convergence by window means (HG-13b); the guarded phase that releases Z (HG-13a); jitter
// escalation that resets the window (HG-16); standardised targets (HG-3).

import { evaluateBound, factorKernels, JitterExhaustedError, kernelName, type GpModel, type NodeMarginal } from './bound';
import { caviState, caviSweep } from './cavi';
import { observationCount, type CellStats } from './cell-stats';
import { WindowConvergence } from './convergence';
import { initialTheta } from './init';
import { Adam, NadamPaper, type AscentStep } from './optimisers';
import { gpLayout, hierarchyStructure, type GpStructure, type LeafKey, type NoiseModel } from './structure';

export type GpOptimizer = 'cavi-adam' | 'adam' | 'nadam-paper';

export interface GpFitOptions {
  /** Inducing inputs M (HG-7, default 100). */
  m?: number;
  noise?: NoiseModel;
  tieLevels?: boolean;
  optimizer?: GpOptimizer;
  /** Release Z in a guarded second phase (HG-13a, default true). */
  optimizeZ?: boolean;
  /** Adam learning rate of phase 1 (0.02 for cavi-adam, 0.01 for adam). */
  learningRate?: number;
  /** Iteration cap per phase (HG-13b: 20,000; phase 2 at most 5,000). */
  maxIterations?: number;
  /** Window W and tolerance τ of HG-13b. */
  window?: number;
  tolerance?: number;
  /** Starting relative jitter ε (HG-16, default 1e-8). */
  jitter?: number;
  /** Records the bound just before and after every CAVI sweep (HG-24 (a)); costs one extra evaluation. */
  traceSweeps?: boolean;
  /** Called after each iteration; returning false stops the fit (cancellation). */
  onIteration?: (iteration: number, bound: number, phase: 1 | 2) => boolean | void;
}

export interface PhaseRecord {
  iterations: number;
  converged: boolean;
  /** Last window mean of the bound (standardised units). */
  windowMean: number;
  trace: number[];
}

export interface GpFit {
  model: GpModel;
  theta: Float64Array;
  /** HG-3: targets were (y − mean)/sd. */
  standardisation: { mean: number; sd: number };
  /** Final bound in original units (the standardised bound − N_obs ln sd). */
  bound: number;
  iterations: number;
  converged: boolean;
  cancelled: boolean;
  /** Bound per iteration (standardised units), both phases. */
  trace: number[];
  phases: PhaseRecord[];
  zOptimisationRejected: boolean;
  /** Final relative jitter per kernel and the kernels that were escalated (HG-16). */
  jitter: number[];
  jitterEscalations: { kernel: string; iteration: number; jitter: number }[];
  /** Smallest change of the bound over any traced CAVI sweep (traceSweeps only). */
  minSweepChange: number | null;
  observations: number;
  options: Required<Omit<GpFitOptions, 'onIteration'>>;
}

/** HG-3: pooled training mean and SD of all observations, from the cell statistics. */
export function pooledMoments(stats: readonly CellStats[]): { mean: number; sd: number } {
  let n = 0, sum = 0;
  for (const s of stats) for (let j = 0; j < s.n.length; j++) { n += s.n[j]; sum += s.n[j] * s.mean[j]; }
  const mean = sum / n;
  let ss = 0;
  for (const s of stats) for (let j = 0; j < s.n.length; j++) if (s.n[j] > 0) ss += s.c[j] + s.n[j] * (s.mean[j] - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / n) };
}

export function standardiseStats(stats: readonly CellStats[], mean: number, sd: number): CellStats[] {
  return stats.map((s) => ({ n: Float64Array.from(s.n), mean: s.mean.map((y, j) => (s.n[j] > 0 ? (y - mean) / sd : 0)), c: s.c.map((c) => c / (sd * sd)) }));
}

/** Refuses data the model cannot take, with one line naming what is wrong (nothing is fitted). */
function checkFitInput(structure: GpStructure, stats: readonly CellStats[], grid: Float64Array, m: number): void {
  const leaves = structure.leafNode.length;
  if (stats.length !== leaves) throw new RangeError(`GP fit: ${leaves} leaves but cell statistics for ${stats.length}`);
  if (!Number.isInteger(m) || m < 2) throw new RangeError(`GP fit: M must be an integer ≥ 2, got ${m}`);
  for (let j = 0; j < grid.length; j++) {
    if (!(grid[j] >= 0 && grid[j] <= 1) || (j > 0 && !(grid[j] > grid[j - 1]))) throw new RangeError(`GP fit: grid point ${j} (${grid[j]}) is not an increasing cycle fraction in [0, 1]`);
  }
  stats.forEach((s, l) => {
    const id = structure.nodeIds[structure.leafNode[l]];
    if (s.n.length !== grid.length) throw new RangeError(`GP fit: leaf ${id} has ${s.n.length} grid points, the grid ${grid.length}`);
    if (observationCount([s]) === 0) throw new RangeError(`GP fit: leaf ${id} has no training observations (HG-1: leave it out)`);
  });
}

/** Which entries of θ each optimiser moves by gradient steps. */
function gradientMask(model: GpModel, optimizer: GpOptimizer, withZ: boolean): Uint8Array {
  const { layout } = model;
  const mask = new Uint8Array(layout.size).fill(1);
  if (!withZ) mask.fill(0, 0, layout.m);
  if (optimizer === 'cavi-adam') mask.fill(0, layout.fVariational, layout.noiseVariational);
  return mask;
}

/** Fits the four-level hierarchy of HG-5 to the leaves' cell statistics on `grid`. */
export function fitHierarchy(leaves: readonly LeafKey[], stats: readonly CellStats[], grid: Float64Array, options: GpFitOptions = {}): GpFit {
  return fitStructure(hierarchyStructure(leaves, options.tieLevels ?? false), stats, grid, options);
}

export function fitStructure(structure: GpStructure, rawStats: readonly CellStats[], grid: Float64Array, options: GpFitOptions = {}, start?: Float64Array): GpFit {
  const steps = fitSteps(structure, rawStats, grid, options, start);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * The same fit, handing the event loop back at least every `yieldMs` (default 50 ms) so that a worker's
 * heartbeat and cancel messages are served while it runs (the iterations themselves are synchronous).
 */
export async function fitHierarchyAsync(leaves: readonly LeafKey[], stats: readonly CellStats[], grid: Float64Array, options: GpFitOptions = {}, yieldMs = 50): Promise<GpFit> {
  const steps = fitSteps(hierarchyStructure(leaves, options.tieLevels ?? false), stats, grid, options);
  let last = Date.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (Date.now() - last >= yieldMs) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      last = Date.now();
    }
  }
}

/** The fit as a generator that yields after every iteration; its return value is the fit. */
function* fitSteps(structure: GpStructure, rawStats: readonly CellStats[], grid: Float64Array, options: GpFitOptions = {}, start?: Float64Array): Generator<void, GpFit, void> {
  const optimizer = options.optimizer ?? 'cavi-adam';
  const opts: GpFit['options'] = {
    m: options.m ?? 100, noise: options.noise ?? 'hetero', tieLevels: options.tieLevels ?? false, optimizer,
    optimizeZ: optimizer === 'nadam-paper' ? true : options.optimizeZ ?? true,
    learningRate: options.learningRate ?? (optimizer === 'adam' ? 0.01 : optimizer === 'nadam-paper' ? 1e-4 : 0.02),
    maxIterations: options.maxIterations ?? (optimizer === 'nadam-paper' ? 1000 : 20000),
    window: options.window ?? 100, tolerance: options.tolerance ?? 1e-5, jitter: options.jitter ?? 1e-8,
    traceSweeps: options.traceSweeps ?? false,
  };
  checkFitInput(structure, rawStats, grid, opts.m);
  const model: GpModel = { structure, layout: gpLayout(structure, opts.m, opts.noise), grid };
  const { mean, sd } = pooledMoments(rawStats);
  const stats = standardiseStats(rawStats, mean, sd);
  const data = { kind: 'stats' as const, stats };
  const nObs = observationCount(stats);
  const theta = start ? Float64Array.from(start) : initialTheta(model, stats);
  const jitter = new Float64Array(structure.kernelCount + (opts.noise === 'hetero' ? 2 * structure.groupCount : 0)).fill(opts.jitter);
  const escalations: GpFit['jitterEscalations'] = [];
  const trace: number[] = [];
  let minSweepChange: number | null = opts.traceSweeps ? Infinity : null;
  let cancelled = false;

  function* runPhase(phase: 1 | 2, step: AscentStep, cap: number, convergenceTest: boolean): Generator<void, PhaseRecord & { finite: boolean }, void> {
    const record: PhaseRecord & { finite: boolean } = { iterations: 0, converged: false, windowMean: NaN, trace: [], finite: true };
    const convergence = new WindowConvergence(opts.window, opts.tolerance, nObs);
    while (record.iterations < cap) {
      const escalated: number[] = [];
      const kernels = factorKernels(model, theta, jitter, escalated);
      for (const c of escalated) escalations.push({ kernel: kernelName(model, c), iteration: trace.length, jitter: jitter[c] });
      if (escalated.length) convergence.reset();
      let noise: NodeMarginal[] | undefined;
      if (optimizer === 'cavi-adam') {
        const before = opts.traceSweeps ? evaluateBound(model, theta, data, jitter, false, kernels).bound : 0;
        const state = caviState(model, theta, jitter, kernels);
        caviSweep(model, theta, stats, state);
        noise = state.h;
        if (opts.traceSweeps) minSweepChange = Math.min(minSweepChange!, evaluateBound(model, theta, data, jitter, false, kernels, noise).bound - before);
      }
      const evaluation = evaluateBound(model, theta, data, jitter, true, kernels, noise, optimizer !== 'cavi-adam');
      if (!Number.isFinite(evaluation.bound) || evaluation.gradient!.some((g) => !Number.isFinite(g))) { record.finite = false; break; }
      record.iterations++;
      trace.push(evaluation.bound);
      record.trace.push(evaluation.bound);
      step.step(theta, evaluation.gradient!);
      if (options.onIteration?.(trace.length, evaluation.bound - nObs * Math.log(sd), phase) === false) { cancelled = true; break; }
      if (convergenceTest && convergence.push(evaluation.bound)) { record.converged = true; break; }
      yield;
    }
    // HG-13a compares the phases by their final window mean: the mean of the last W bounds.
    const tail = record.trace.slice(-opts.window);
    record.windowMean = tail.reduce((a, b) => a + b, 0) / tail.length;
    return record;
  }

  const phases: PhaseRecord[] = [];
  let zOptimisationRejected = false;
  try {
    if (optimizer === 'nadam-paper') {
      phases.push(yield* runPhase(1, new NadamPaper(gradientMask(model, optimizer, true), opts.learningRate), opts.maxIterations, false));
    } else {
      const lr = new Float64Array(model.layout.size).fill(opts.learningRate);
      const p1 = yield* runPhase(1, new Adam(gradientMask(model, optimizer, false), lr), opts.maxIterations, true);
      if (!p1.finite) throw new Error(`GP fit: the bound became non-finite at iteration ${trace.length + 1}`);
      phases.push(p1);
      if (opts.optimizeZ && !cancelled) {
        const saved = Float64Array.from(theta), savedJitter = Float64Array.from(jitter);
        const lrZ = Float64Array.from(lr).fill(1e-3, 0, model.layout.m);
        const p2 = yield* runPhase(2, new Adam(gradientMask(model, optimizer, true), lrZ), Math.min(5000, opts.maxIterations), true);
        phases.push(p2);
        if (!p2.finite || !(p2.windowMean > p1.windowMean)) { theta.set(saved); jitter.set(savedJitter); zOptimisationRejected = true; }
      }
    }
  } catch (e) {
    if (e instanceof JitterExhaustedError) throw new Error(`${e.message} at iteration ${trace.length + 1}`);
    throw e;
  }
  const final = evaluateBound(model, theta, data, jitter, false).bound;
  const last = phases[zOptimisationRejected ? 0 : phases.length - 1];
  return {
    model, theta, standardisation: { mean, sd }, bound: final - nObs * Math.log(sd),
    iterations: trace.length, converged: optimizer !== 'nadam-paper' && last.converged && !cancelled, cancelled, trace, phases, zOptimisationRejected,
    jitter: Array.from(jitter), jitterEscalations: escalations, minSweepChange, observations: nObs, options: opts,
  };
}
