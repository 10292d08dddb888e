// SincPD's batch normalisation (methods-spec §3.3.4: after each head conv and dense layer): tf.layers
// .batchNormalization's weights (gamma, beta, moving_mean, moving_variance), values, gradients and moving-average
// updates, with its training-mode forward and gradient as one wasm kernel each (batch-norm-numerics.ts on the
// tensors' memory). tfjs's own gradient tiles 1/√(variance + ε) to the input's shape, which wasm does slowly.
// Elsewhere (or when a test asks) training mode is tfjs-layers' own composition: tf.moments, then tf.batchNorm.
import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasm, heapF32 } from '../../compute/tfjs/kernels/wasm-kernel-api';
import { batchNormTrainingGradientInto, batchNormTrainingInto } from '../../../src-shared/methods/sincpd/batch-norm-numerics';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Kwargs = Record<string, unknown>;

const BN_TRAIN = 'SincPdBatchNormTrain';
const BN_TRAIN_GRAD = 'SincPdBatchNormTrainGrad';

const last = (t: TensorInfo) => t.shape[t.shape.length - 1];

const kernels: Record<string, KernelFunc> = {
  [BN_TRAIN]: ({ inputs, backend, attrs }) => {
    const wasm = asWasm(backend as KernelBackend);
    const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
    const y = wasm.makeOutput(x.shape, 'float32');
    const mean = wasm.makeOutput(gamma.shape, 'float32');
    const variance = wasm.makeOutput(gamma.shape, 'float32');
    batchNormTrainingInto(heapF32(wasm, y), heapF32(wasm, mean), heapF32(wasm, variance), heapF32(wasm, x), last(x), heapF32(wasm, gamma), heapF32(wasm, beta),
      (attrs as { epsilon: number }).epsilon);
    return [y, mean, variance];
  },
  [BN_TRAIN_GRAD]: ({ inputs, backend, attrs }) => {
    const wasm = asWasm(backend as KernelBackend);
    const { dy, x, gamma } = inputs as { dy: TensorInfo; x: TensorInfo; gamma: TensorInfo };
    const dx = wasm.makeOutput(x.shape, 'float32');
    const dGamma = wasm.makeOutput(gamma.shape, 'float32');
    const dBeta = wasm.makeOutput(gamma.shape, 'float32');
    batchNormTrainingGradientInto(heapF32(wasm, dx), heapF32(wasm, dGamma), heapF32(wasm, dBeta), heapF32(wasm, dy), heapF32(wasm, x), last(x), heapF32(wasm, gamma),
      (attrs as { epsilon: number }).epsilon);
    return [dx, dGamma, dBeta];
  },
};
for (const [kernelName, kernelFunc] of Object.entries(kernels)) {
  if (!tf.getKernel(kernelName, 'wasm')) tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
}
if (!tf.getGradient(BN_TRAIN)) {
  tf.registerGradient({
    kernelName: BN_TRAIN, inputsToSave: ['x', 'gamma'],
    gradFunc: (dys, saved, attrs) => {
      // Outputs 2 and 3 (batch mean and variance) only feed the moving averages, never the loss: dys[0] alone.
      const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
      const [dx, dGamma, dBeta] = tf.engine().runKernel(BN_TRAIN_GRAD, { dy, x: saved[0], gamma: saved[1] }, attrs as tf.NamedAttrMap) as tf.Tensor[];
      return { x: () => dx, gamma: () => dGamma, beta: () => dBeta };
    },
  });
}

let kernelAllowed = true;
/** Tests: false runs tfjs-layers' composition (tf.moments + tf.batchNorm) even where the kernel is registered. */
export function useBatchNormKernel(allowed: boolean): void {
  kernelAllowed = allowed;
}

/** Training-mode batch norm over every axis but the last: [y, batch mean, batch (biased) variance]. */
export function batchNormTraining(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): [tf.Tensor, tf.Tensor, tf.Tensor] {
  if (kernelAllowed && tf.getKernel(BN_TRAIN, tf.getBackend())) {
    return tf.engine().runKernel(BN_TRAIN, { x, gamma, beta }, { epsilon }) as [tf.Tensor, tf.Tensor, tf.Tensor];
  }
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, Array.from({ length: x.rank - 1 }, (_, i) => i));
    return [tf.batchNorm(x, mean, variance, beta, gamma, epsilon), mean, variance];
  });
}

export interface SincBatchNormArgs extends LayerArgs {
  /** Keras' momentum: moving ← moving − (moving − batch)·(1 − momentum). */
  momentum: number;
  epsilon: number;
}

/** tf.layers.batchNormalization (axis −1, centre and scale) with the training-mode kernel above. */
export class SincBatchNorm extends tf.layers.Layer {
  static readonly className = 'SincBatchNorm';
  readonly momentum: number;
  readonly epsilon: number;
  private gamma: tf.LayerVariable | null = null;
  private beta: tf.LayerVariable | null = null;
  private movingMean: tf.LayerVariable | null = null;
  private movingVariance: tf.LayerVariable | null = null;

  constructor(args: SincBatchNormArgs) {
    super(args);
    this.momentum = args.momentum;
    this.epsilon = args.epsilon;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const n = shape[shape.length - 1]!;
    // The names, order and trainability of tf.layers.batchNormalization's weights.
    this.gamma = this.addWeight('gamma', [n], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [n], 'float32', tf.initializers.zeros());
    this.movingMean = this.addWeight('moving_mean', [n], 'float32', tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [n], 'float32', tf.initializers.ones(), undefined, false);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return inputShape as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs.training !== true) {
      return tf.tidy(() => tf.batchNorm(x, this.movingMean!.read(), this.movingVariance!.read(), this.beta!.read(), this.gamma!.read(), this.epsilon));
    }
    const [y, mean, variance] = batchNormTraining(x, this.gamma!.read(), this.beta!.read(), this.epsilon);
    tf.tidy(() => {
      for (const [moving, batch] of [[this.movingMean!, mean], [this.movingVariance!, variance]] as const) {
        const now = moving.read();
        moving.write(tf.sub(now, tf.mul(tf.sub(now, batch), 1 - this.momentum)));
      }
    });
    tf.dispose([mean, variance]);
    return y;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(SincBatchNorm);
