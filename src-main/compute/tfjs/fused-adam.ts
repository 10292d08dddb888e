// Adam (Kingma & Ba 2015, as tf.train.adam computes it) with the update done in one loop per variable on the wasm
// heap (WebAssembly SIMD, kernels/simd-adam.ts; this file's loop where SIMD is missing). tf.train.adam runs about
// a dozen ops per variable (each a dispatch, a pass over memory and a new tensor): 10–12 ms of a SincPD training
// step over its 1.17 M parameters. The moments live on the heap too; the new weights go into a new heap tensor that the variable takes over, never into the variable's own
// memory: XNNPACK caches its packed weights per tensor (matMul, conv2d), and an in-place write would leave the
// next forward pass multiplying by the old weights. Every step of tfjs's formula is rounded to float32 as tfjs's
// float32 kernels round it (an operation on float32 values computed in float64 and rounded once is the float32
// result: 53 ≥ 2·24 + 2 bits), so the weights equal tf.train.adam's. Elsewhere (cpu, webgpu, tfjs-node) it is
// tf.train.adam itself.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { simdAdamFor } from './kernels/simd-adam';

const f32 = Math.fround;

/** tf.train.adam's scalars for one step: β's and their float32 complements, the bias corrections, −lr and ε. */
export interface AdamStepScalars {
  beta1: number;
  beta2: number;
  oneMinusBeta1: number;
  oneMinusBeta2: number;
  /** 1 − β1^t and 1 − β2^t, as tfjs keeps them (float32 products of β). */
  correction1: number;
  correction2: number;
  negativeLearningRate: number;
  epsilon: number;
}

/**
 * One Adam step of tfjs's formula over one variable (m and v in place, the new weights into wOut, which may be w):
 * m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²; w ← (m/(1 − β1^t)) / (√(v/(1 − β2^t)) + ε) · (−lr) + w, each
 * operation rounded to float32.
 */
export function adamStepInto(wOut: Float32Array, w: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array, s: AdamStepScalars): void {
  const { beta1, beta2, oneMinusBeta1, oneMinusBeta2, correction1, correction2, negativeLearningRate, epsilon } = s;
  for (let i = 0; i < w.length; i++) {
    const gi = g[i];
    const mi = f32(f32(m[i] * beta1) + f32(gi * oneMinusBeta1));
    const vi = f32(f32(v[i] * beta2) + f32(f32(gi * gi) * oneMinusBeta2));
    m[i] = mi;
    v[i] = vi;
    const step = f32(f32(mi / correction1) / f32(f32(Math.sqrt(f32(vi / correction2))) + epsilon));
    wOut[i] = f32(step * negativeLearningRate) + w[i];
  }
}

/** A variable's first and second moments: tensors' memory on the wasm heap (no engine tensors: freed by dispose). */
interface Moments { m: tf.TensorInfo; v: tf.TensorInfo }

/** Adam over a list of variables; `applyGradients` takes their gradients by variable name, as tf.variableGrads gives them. */
export class FusedAdam {
  private readonly fallback: tf.AdamOptimizer | null;
  private readonly moments = new Map<string, Moments>();
  private backend: BackendWasm | null = null;
  // tf.train.adam's accBeta1/accBeta2: float32 scalars multiplied by β once per step.
  private accBeta1: number;
  private accBeta2: number;
  private readonly scalars: Pick<AdamStepScalars, 'beta1' | 'beta2' | 'oneMinusBeta1' | 'oneMinusBeta2' | 'negativeLearningRate' | 'epsilon'>;

  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7) {
    this.fallback = tf.getBackend() === 'wasm' ? null : tf.train.adam(learningRate, beta1, beta2, epsilon);
    this.scalars = {
      beta1: f32(beta1), beta2: f32(beta2), oneMinusBeta1: f32(1 - beta1), oneMinusBeta2: f32(1 - beta2), negativeLearningRate: f32(-learningRate), epsilon: f32(epsilon),
    };
    this.accBeta1 = f32(beta1);
    this.accBeta2 = f32(beta2);
  }

  /** Whether the update is the fused loop (wasm) rather than tf.train.adam. */
  get fused(): boolean {
    return this.fallback === null;
  }

  applyGradients(vars: readonly tf.Variable[], grads: tf.NamedTensorMap): void {
    if (this.fallback) {
      this.fallback.applyGradients(vars.filter((v) => grads[v.name]).map((v) => ({ name: v.name, tensor: grads[v.name] })));
      return;
    }
    const backend = tf.backend() as unknown as BackendWasm;
    this.backend = backend;
    const s: AdamStepScalars = { ...this.scalars, correction1: f32(1 - this.accBeta1), correction2: f32(1 - this.accBeta2) };
    const simd = simdAdamFor(backend);
    for (const variable of vars) {
      const g = grads[variable.name];
      if (!g) continue;
      let state = this.moments.get(variable.name);
      if (!state) {
        state = { m: backend.makeOutput([variable.size], 'float32'), v: backend.makeOutput([variable.size], 'float32') };
        this.moments.set(variable.name, state);
        (backend.typedArrayFromHeap(state.m) as Float32Array).fill(0);
        (backend.typedArrayFromHeap(state.v) as Float32Array).fill(0);
      }
      const next = backend.makeOutput(variable.shape, 'float32');
      const n = variable.size, done = simd ? n - (n % 4) : 0;
      if (simd && done > 0) {
        const at = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
        simd(at(variable), at(next), at(state.m), at(state.v), at(g), done / 4, s.beta1, s.beta2, s.oneMinusBeta1, s.oneMinusBeta2, s.correction1, s.correction2,
          s.negativeLearningRate, s.epsilon);
      }
      if (done < n) {
        // Views after the allocation (a heap that grows detaches earlier ones); the last n mod 4 values, or all of them.
        const view = (t: tf.TensorInfo) => (backend.typedArrayFromHeap(t) as Float32Array).subarray(done);
        adamStepInto(view(next), view(variable), view(state.m), view(state.v), view(g), s);
      }
      const t = tf.engine().makeTensorFromTensorInfo(next);
      variable.assign(t);
      t.dispose();
    }
    this.accBeta1 = f32(this.accBeta1 * this.scalars.beta1);
    this.accBeta2 = f32(this.accBeta2 * this.scalars.beta2);
  }

  dispose(): void {
    this.fallback?.dispose();
    for (const { m, v } of this.moments.values()) for (const t of [m, v]) this.backend?.disposeData(t.dataId);
    this.moments.clear();
  }
}
