// The seven Horst 2019 model kinds with the exact layer shapes of spec §1.3 (GaitLab's rules for other channel
// counts: §5.1.1). A plan is the table of §1.3 as data: every layer's kernel, output shape and parameter count,
// so that tests can check it row by row and the tfjs trainer and the LRP attributor build the same network.
import type { Layer, LrpModel } from '../../lrp/layers';

export const HORST_MODEL_KINDS = ['linear-sgd', 'linear-svm', 'mlp3-64', 'mlp3-256', 'mlp3-1024', 'cnn-a', 'cnn-c3'] as const;
export type HorstModelKind = (typeof HORST_MODEL_KINDS)[number];

/** Samples per curve after time normalisation (§1.2). */
export const SAMPLES = 101;

export type PlanLayer =
  | { kind: 'dense'; inputs: number; units: number; activation: 'relu' | 'softmax' | 'none'; output: number[]; params: number }
  | { kind: 'conv2d'; input: [number, number, number]; kernel: [number, number]; stride: [number, number]; filters: number; activation: 'relu'; output: [number, number, number]; params: number }
  | { kind: 'flatten'; output: number[]; params: 0 };

export interface ModelPlan {
  kind: HorstModelKind;
  channels: number;
  classes: number;
  /** Dense models take the channel-major vector as is; CNNs take it as a [101, C, 1] image (§5.1.2). */
  input: 'vector' | 'image';
  layers: PlanLayer[];
  params: number;
}

export function isHorstModelKind(kind: string): kind is HorstModelKind {
  return (HORST_MODEL_KINDS as readonly string[]).includes(kind);
}

function dense(inputs: number, units: number, activation: 'relu' | 'softmax' | 'none'): PlanLayer {
  return { kind: 'dense', inputs, units, activation, output: [units], params: inputs * units + units };
}

function conv(input: [number, number, number], kernel: [number, number], filters: number): PlanLayer & { kind: 'conv2d' } {
  const output: [number, number, number] = [input[0] - kernel[0] + 1, input[1] - kernel[1] + 1, filters];
  return { kind: 'conv2d', input, kernel, stride: [1, 1], filters, activation: 'relu', output, params: kernel[0] * kernel[1] * input[2] * filters + filters };
}

/** cnn-c3 stacks of §1.3 (C = 6, 10, 18, 33); other C ≥ 7 follow the C = 18 pattern (§5.1.1). */
function cnnC3Kernels(channels: number): { kernel: [number, number]; filters: number }[] {
  if (channels < 6) throw new RangeError(`model cnn-c3 needs at least 6 channels, the input has ${channels}`);
  const k3: [number, number] = [3, 3];
  if (channels === 6) return [{ kernel: k3, filters: 32 }, { kernel: k3, filters: 32 }, { kernel: [2, 2], filters: 32 }];
  if (channels === 10) return [{ kernel: k3, filters: 32 }, { kernel: k3, filters: 32 }, { kernel: k3, filters: 32 }];
  return [{ kernel: k3, filters: 32 }, { kernel: k3, filters: 32 }, { kernel: k3, filters: 16 }];
}

export function modelPlan(kind: HorstModelKind, channels: number, classes: number): ModelPlan {
  if (!Number.isInteger(channels) || channels < 1) throw new RangeError(`model ${kind}: channel count must be a positive integer, got ${channels}`);
  if (!Number.isInteger(classes) || classes < 2) throw new RangeError(`model ${kind}: needs at least 2 classes, got ${classes}`);
  const d = SAMPLES * channels;
  const layers: PlanLayer[] = [];
  let input: ModelPlan['input'] = 'vector';
  switch (kind) {
    case 'linear-sgd':
    case 'linear-svm':
      layers.push(dense(d, classes, 'none'));
      break;
    case 'mlp3-64':
    case 'mlp3-256':
    case 'mlp3-1024': {
      const h = Number(kind.slice('mlp3-'.length));
      layers.push(dense(d, h, 'relu'), dense(h, h, 'relu'), dense(h, classes, 'softmax'));
      break;
    }
    case 'cnn-a': {
      if (channels < 2) throw new RangeError(`model cnn-a needs at least 2 channels, the input has ${channels}`);
      input = 'image';
      const c = conv([SAMPLES, channels, 1], [channels, channels], channels <= 10 ? 32 : 64);
      const flat = c.output[0] * c.output[1] * c.output[2];
      layers.push(c, { kind: 'flatten', output: [flat], params: 0 }, dense(flat, classes, 'softmax'));
      break;
    }
    case 'cnn-c3': {
      input = 'image';
      let shape: [number, number, number] = [SAMPLES, channels, 1];
      for (const { kernel, filters } of cnnC3Kernels(channels)) {
        const c = conv(shape, kernel, filters);
        layers.push(c);
        shape = c.output;
      }
      const flat = shape[0] * shape[1] * shape[2];
      layers.push({ kind: 'flatten', output: [flat], params: 0 }, dense(flat, classes, 'softmax'));
      break;
    }
  }
  return { kind, channels, classes, input, layers, params: layers.reduce((sum, layer) => sum + layer.params, 0) };
}

/** Weights of one affine layer: weight in the LRP/tfjs layout ([in][out] dense, [kh][kw][d][f] conv) and bias. */
export interface LayerWeights { weight: Float64Array; bias: Float64Array }

/** The plan's affine layers, in order (the ones that carry weights). */
export function affineLayers(plan: ModelPlan): (PlanLayer & { kind: 'dense' | 'conv2d' })[] {
  return plan.layers.filter((layer): layer is PlanLayer & { kind: 'dense' | 'conv2d' } => layer.kind !== 'flatten');
}

/**
 * The float64 network LRP runs on: a CNN first transposes the channel-major trial to its time-major image; ReLU
 * follows every hidden layer; the softmax is dropped (LRP explains logits, §1.6).
 */
export function lrpModel(plan: ModelPlan, weights: readonly LayerWeights[]): LrpModel {
  const affine = affineLayers(plan);
  if (weights.length !== affine.length) throw new RangeError(`model ${plan.kind}: ${weights.length} weight sets for ${affine.length} layers`);
  const layers: Layer[] = [];
  if (plan.input === 'image') layers.push({ kind: 'channelsToTime', channels: plan.channels, samples: SAMPLES });
  let w = 0;
  for (const layer of plan.layers) {
    if (layer.kind === 'flatten') { layers.push({ kind: 'flatten' }); continue; }
    const { weight, bias } = weights[w++];
    if (layer.kind === 'dense') layers.push({ kind: 'dense', inputs: layer.inputs, units: layer.units, weight, bias });
    else layers.push({ kind: 'conv2d', input: layer.input, kernel: layer.kernel, stride: layer.stride, filters: layer.filters, weight, bias });
    if (layer.activation === 'relu') layers.push({ kind: 'relu' });
  }
  return { inputSize: SAMPLES * plan.channels, layers };
}

/** Fan-in of an affine layer: inputs for dense, kh·kw·depth for conv (§1.4 initialisation). */
export function fanIn(layer: PlanLayer & { kind: 'dense' | 'conv2d' }): number {
  return layer.kind === 'dense' ? layer.inputs : layer.kernel[0] * layer.kernel[1] * layer.input[2];
}

/** Initial weights: N(0, 1/fan-in), not truncated, biases 0 (§1.4, §5.1.4), from the caller's normal stream. */
export function initialWeights(plan: ModelPlan, normal: () => number): LayerWeights[] {
  return affineLayers(plan).map((layer) => {
    const size = layer.kind === 'dense' ? layer.inputs * layer.units : layer.kernel[0] * layer.kernel[1] * layer.input[2] * layer.filters;
    const sd = 1 / Math.sqrt(fanIn(layer));
    const weight = new Float64Array(size);
    for (let i = 0; i < size; i++) weight[i] = sd * normal();
    return { weight, bias: new Float64Array(layer.kind === 'dense' ? layer.units : layer.filters) };
  });
}
