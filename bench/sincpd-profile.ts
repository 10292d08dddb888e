// Where one SincPD training step spends its time, layer by layer, forward and backward (for npm run bench:sincpd).
//
// The wasm backend runs every kernel synchronously, so wall-clock time around a layer's call is its forward time
// (its JS work included: the sinc layer's windows). Backward is timed by wrapping the gradient functions of the
// tape nodes each layer recorded: tfjs calls them one node at a time during backprop. Nodes recorded outside any
// layer (loss, L2) form their own row; the Adam update (FusedAdam, as training runs it) is timed apart. This reads tfjs's engine state (the active
// tape), which is not public API: it is a benchmark's probe, not used by the method.
import * as tf from '@tensorflow/tfjs';
import { FusedAdam } from '../src-main/compute/tfjs/fused-adam';
import type { SincPdArchitecture } from '../src-main/methods/sincpd/model';
import { l2Penalty, lossOf } from '../src-main/methods/sincpd/train';

/**
 * The profile's clock, ms: wall time by default; PROFILE_CLOCK=cpu reads this process's CPU time instead, which a
 * machine loaded by others inflates less (GC threads included, waiting for a core excluded).
 */
const now: () => number = process.env.PROFILE_CLOCK === 'cpu'
  ? () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }
  : () => performance.now();

type GradientThunks = Record<string, () => tf.Tensor>;
interface TapeNode { gradient?: (dys: tf.Tensor[]) => GradientThunks }
interface EngineState { state: { activeTape: TapeNode[] | null } }
type Call = (inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

export interface StepProfileRow {
  /** A layer kind: per-sensor layers (sinc_s1..s8) are summed into one row (sinc_s*). */
  part: string;
  forwardMs: number;
  backwardMs: number;
}

export interface StepProfile {
  rows: StepProfileRow[];
  /** Wall time of the whole step (forward, backward, update, loss read back). */
  stepMs: number;
}

/** The row a layer's time goes to: the eight sensor branches of one kind together. */
function partOf(layerName: string): string {
  return layerName.replace(/_s\d+$/, '_s*');
}

/**
 * Profiles `steps` training steps (loss + L2, gradients of every trainable weight, Adam) of `model` on one batch
 * and returns the median of each row. The model's weights move (a real step each time).
 */
export function profileTrainingStep(model: tf.LayersModel, arch: SincPdArchitecture, x: Float32Array, y: Float32Array, steps = 3): StepProfile {
  const engine = tf.engine() as unknown as EngineState;
  const optimizer = new FusedAdam(1e-3, 0.9, 0.999, 1e-7);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const runs: Map<string, { forward: number; backward: number }>[] = [];
  const stepTimes: number[] = [];
  const originals = new Map<tf.layers.Layer, Call>();
  let times = new Map<string, { forward: number; backward: number }>();
  const entry = (part: string) => {
    let e = times.get(part);
    if (!e) times.set(part, (e = { forward: 0, backward: 0 }));
    return e;
  };
  const claimed = new WeakSet<TapeNode>();
  // Wraps the gradient functions of tape nodes [from, end) so that their backward time is added to `part`.
  const timeBackward = (part: string, from: number) => {
    const tape = engine.state.activeTape ?? [];
    for (let i = from; i < tape.length; i++) {
      const node = tape[i];
      if (claimed.has(node) || !node.gradient) continue;
      claimed.add(node);
      const gradient = node.gradient;
      node.gradient = (dys) => {
        const t0 = now();
        const thunks = gradient(dys);
        entry(part).backward += now() - t0;
        const timed: GradientThunks = {};
        for (const [k, f] of Object.entries(thunks)) {
          timed[k] = () => {
            const t1 = now();
            const g = f();
            entry(part).backward += now() - t1;
            return g;
          };
        }
        return timed;
      };
    }
  };
  for (const layer of model.layers) {
    const call = layer.call.bind(layer) as Call;
    originals.set(layer, layer.call as Call);
    const part = partOf(layer.name);
    (layer as unknown as { call: Call }).call = (inputs, kwargs) => {
      const from = engine.state.activeTape?.length ?? 0;
      const t0 = now();
      const out = call(inputs, kwargs);
      entry(part).forward += now() - t0;
      timeBackward(part, from);
      return out;
    };
  }
  try {
    for (let s = 0; s < steps + 1; s++) {
      times = new Map();
      const t0 = now();
      let forwardEnd = 0;
      const { value, grads } = tf.tidy(() => {
        const xt = tf.tensor3d(x, [y.length, 8, arch.segmentLength]);
        const yt = tf.tensor1d(y);
        return tf.variableGrads(() => {
          const t1 = now();
          const logits = model.apply(xt, { training: true }) as tf.Tensor;
          const layersMs = [...times.values()].reduce((a, e) => a + e.forward, 0);
          const t2 = now();
          const loss = tf.add(lossOf(arch, logits, yt), l2Penalty(model)) as tf.Scalar;
          entry('loss + L2').forward += now() - t2;
          entry('(model glue)').forward += t2 - t1 - layersMs;
          timeBackward('loss + L2', 0);
          forwardEnd = now();
          return loss;
        }, vars);
      });
      const t3 = now();
      const attributed = [...times.values()].reduce((a, e) => a + e.backward, 0);
      entry('(backprop glue)').backward += t3 - forwardEnd - attributed;
      optimizer.applyGradients(vars, grads);
      value.dataSync();
      entry('Adam update').forward += now() - t3;
      tf.dispose([value, ...Object.values(grads)]);
      stepTimes.push(now() - t0);
      if (s > 0) runs.push(times); // the first step warms up (allocations, kernel setup)
    }
  } finally {
    for (const [layer, call] of originals) (layer as unknown as { call: Call }).call = call;
    optimizer.dispose();
  }
  const median = (v: number[]) => { const s = [...v].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
  const parts = [...runs[0].keys()];
  return {
    rows: parts.map((part) => ({
      part,
      forwardMs: median(runs.map((r) => r.get(part)?.forward ?? 0)),
      backwardMs: median(runs.map((r) => r.get(part)?.backward ?? 0)),
    })),
    stepMs: median(stepTimes.slice(1)),
  };
}

/** The profile as aligned lines: part, forward, backward, total and share of the step, largest first. */
export function formatStepProfile(p: StepProfile): string[] {
  const rows = [...p.rows].sort((a, b) => b.forwardMs + b.backwardMs - (a.forwardMs + a.backwardMs));
  const accounted = rows.reduce((s, r) => s + r.forwardMs + r.backwardMs, 0);
  const line = (part: string, f: string, b: string, t: number) => `  ${part.padEnd(16)} ${f.padStart(8)} ${b.padStart(9)} ${t.toFixed(1).padStart(8)} ${((100 * t) / p.stepMs).toFixed(1).padStart(6)} %`;
  return [
    `  ${'part'.padEnd(16)} ${'fwd ms'.padStart(8)} ${'bwd ms'.padStart(9)} ${'total'.padStart(8)} ${'share'.padStart(8)}`,
    ...rows.filter((r) => r.forwardMs + r.backwardMs >= 0.05).map((r) => line(r.part, r.forwardMs.toFixed(1), r.backwardMs.toFixed(1), r.forwardMs + r.backwardMs)),
    line('(unattributed)', '', '', Math.max(0, p.stepMs - accounted)),
    `  whole step: ${p.stepMs.toFixed(1)} ms (median of the profiled steps; the probes add a little)`,
  ];
}
