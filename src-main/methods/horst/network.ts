// The Horst networks in tfjs (float32), built from the same §1.3 plan the LRP attributor uses, with weights in
// the same layouts (dense [in][out], conv [kh][kw][d][f]), so trained weights copy straight into LRP.
import * as tf from '@tensorflow/tfjs';
import { affineLayers, SAMPLES, type LayerWeights, type ModelPlan } from '../../../src-shared/methods/horst/architectures';

export interface NetworkVariables { weight: tf.Variable; bias: tf.Variable }

export function createVariables(plan: ModelPlan, weights: readonly LayerWeights[]): NetworkVariables[] {
  return affineLayers(plan).map((layer, l) => {
    const shape = layer.kind === 'dense' ? [layer.inputs, layer.units] : [layer.kernel[0], layer.kernel[1], layer.input[2], layer.filters];
    return tf.tidy(() => ({
      weight: tf.variable(tf.tensor(Float32Array.from(weights[l].weight), shape), true, undefined, 'float32'),
      bias: tf.variable(tf.tensor1d(Float32Array.from(weights[l].bias)), true, undefined, 'float32'),
    }));
  });
}

/** Logits of a batch [B, 101·C] of channel-major trials (CNNs see them as [B, 101, C, 1], §5.1.2). */
export function networkLogits(plan: ModelPlan, vars: readonly NetworkVariables[], x: tf.Tensor2D): tf.Tensor2D {
  const batch = x.shape[0];
  let h: tf.Tensor = plan.input === 'image' ? x.reshape([batch, plan.channels, SAMPLES]).transpose([0, 2, 1]).reshape([batch, SAMPLES, plan.channels, 1]) : x;
  let v = 0;
  for (const layer of plan.layers) {
    if (layer.kind === 'flatten') { h = h.reshape([batch, -1]); continue; }
    const { weight, bias } = vars[v++];
    h = layer.kind === 'dense'
      ? tf.matMul(h as tf.Tensor2D, weight as tf.Tensor2D).add(bias)
      : tf.conv2d(h as tf.Tensor4D, weight as tf.Tensor4D, 1, 'valid').add(bias);
    if (layer.activation === 'relu') h = tf.relu(h);
  }
  return h as tf.Tensor2D;
}

/** The model's outputs as the toolbox compares them with the labels: softmax, or raw scores for linear-sgd. */
export function networkOutputs(plan: ModelPlan, logits: tf.Tensor2D): tf.Tensor2D {
  return plan.kind === 'linear-sgd' ? logits : tf.softmax(logits);
}

/** Batch-summed loss (§1.4): softmax cross-entropy, or ½‖f − y‖² on raw outputs for linear-sgd. */
export function batchSummedLoss(plan: ModelPlan, logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  if (plan.kind === 'linear-sgd') return logits.sub(oneHot).square().sum().mul(0.5);
  return oneHot.mul(tf.logSoftmax(logits)).sum().neg() as tf.Scalar;
}

/** Current weights as float64 arrays (for LRP and storage). */
export function readWeights(vars: readonly NetworkVariables[]): LayerWeights[] {
  return vars.map((v) => ({ weight: Float64Array.from(v.weight.dataSync()), bias: Float64Array.from(v.bias.dataSync()) }));
}
