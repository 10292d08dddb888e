// The attributor: runs the model forward in float64, then carries relevance back layer by layer with the rule
// the composite picks for each affine layer (ReLU and flatten pass relevance through, the channel transpose is
// undone). What is explained is the true-class logit with the softmax dropped: R^(L) = f(x) ⊙ onehot(y), also
// for misclassified trials (spec §1.6, §5.1.6).
import type { Composite } from './composites';
import { affineOutput, applyLayer, checkModel, isAffine, samplesPerBlock, timeToChannels, type LrpModel } from './layers';

export interface Attribution {
  /** Relevance of every input component, laid out like the input (channel-major for GaitLab trials). */
  relevance: Float64Array;
  logits: Float64Array;
  target: number;
  /** f_y(x), the explained logit. */
  explainedLogit: number;
  relevanceSum: number;
  /** f_y(x) − Σ R_i: what bias shares, ε and αβ leakage took away. */
  residual: number;
  composite: string;
  /** With keepLayers: the relevance at the input of each layer (index l) and at the output (last entry). */
  layers?: Float64Array[];
}

export function attribute(
  model: LrpModel,
  input: Float64Array,
  target: number,
  composite: Composite,
  options: { keepLayers?: boolean } = {},
): Attribution {
  if (input.length !== model.inputSize) throw new RangeError(`LRP: the model takes ${model.inputSize} values, the input has ${input.length}`);
  const batch = attributeBatch(model, input, [target], composite, options);
  return {
    relevance: batch.relevance,
    logits: batch.logits,
    target,
    explainedLogit: batch.explainedLogit[0],
    relevanceSum: batch.relevanceSum[0],
    residual: batch.residual[0],
    composite: batch.composite,
    ...(batch.layers ? { layers: batch.layers } : {}),
  };
}

/** The attributions of B inputs, each array laid out [B][…]: relevance [B][inputSize], logits [B][K]. */
export interface BatchAttribution {
  relevance: Float64Array;
  logits: Float64Array;
  targets: Int32Array;
  explainedLogit: Float64Array;
  relevanceSum: Float64Array;
  residual: Float64Array;
  composite: string;
  layers?: Float64Array[];
}

/**
 * LRP of a batch of inputs at once ([B][inputSize] back to back, one target class each): every layer runs once
 * over the whole [B, …] block, forward and back, which is what makes 1,000 trials take well under a second.
 * Each sample's numbers are the same as `attribute` gives it alone.
 */
export function attributeBatch(
  model: LrpModel,
  inputs: Float64Array,
  targets: ArrayLike<number>,
  composite: Composite,
  options: { keepLayers?: boolean } = {},
): BatchAttribution {
  const batch = targets.length;
  if (inputs.length !== batch * model.inputSize) {
    throw new RangeError(`LRP: ${batch} inputs of ${model.inputSize} values need ${batch * model.inputSize} values, got ${inputs.length}`);
  }
  const sizes = checkModel(model);
  const classes = sizes.length > 0 ? sizes[sizes.length - 1] : model.inputSize;
  const target = Int32Array.from(targets);
  for (let b = 0; b < batch; b++) {
    const t = targets[b];
    if (!Number.isInteger(t) || t < 0 || t >= classes) throw new RangeError(`LRP: target class ${t} is outside 0..${classes - 1}`);
  }
  const d = model.inputSize;
  const step = samplesPerBlock(model);
  if (batch <= step) return attributeBlock(model, inputs, target, classes, composite, options.keepLayers === true);
  // Block by block (each sample's numbers do not depend on the others in its block), into whole-batch arrays.
  const out: BatchAttribution = {
    relevance: new Float64Array(batch * d), logits: new Float64Array(batch * classes), targets: target,
    explainedLogit: new Float64Array(batch), relevanceSum: new Float64Array(batch), residual: new Float64Array(batch),
    composite: composite.name,
  };
  for (let b0 = 0; b0 < batch; b0 += step) {
    const b1 = Math.min(batch, b0 + step);
    const part = attributeBlock(model, inputs.subarray(b0 * d, b1 * d), target.subarray(b0, b1), classes, composite, options.keepLayers === true);
    out.relevance.set(part.relevance, b0 * d);
    out.logits.set(part.logits, b0 * classes);
    out.explainedLogit.set(part.explainedLogit, b0);
    out.relevanceSum.set(part.relevanceSum, b0);
    out.residual.set(part.residual, b0);
    if (part.layers) {
      out.layers ??= part.layers.map((layer) => new Float64Array((layer.length / (b1 - b0)) * batch));
      part.layers.forEach((layer, l) => out.layers![l].set(layer, (layer.length / (b1 - b0)) * b0));
    }
  }
  return out;
}

function attributeBlock(model: LrpModel, inputs: Float64Array, target: Int32Array, classes: number, composite: Composite, keepLayers: boolean): BatchAttribution {
  const batch = target.length;
  // The forward pass, each affine layer computed by its rule where the rule has its own way (αβ's S± sums).
  const activations: Float64Array[] = [inputs];
  const states: unknown[] = [];
  let x = inputs;
  model.layers.forEach((layer, l) => {
    if (isAffine(layer)) {
      const rule = composite.ruleFor(layer);
      if (rule.forward) {
        const out = rule.forward(layer, x);
        x = out.z;
        states[l] = out.state;
      } else x = affineOutput(layer, x);
    } else x = applyLayer(layer, x);
    activations.push(x);
  });
  const logits = activations[activations.length - 1];
  let r: Float64Array = new Float64Array(logits.length);
  for (let b = 0; b < batch; b++) r[b * classes + target[b]] = logits[b * classes + target[b]];
  const kept: Float64Array[] = [r];
  for (let l = model.layers.length - 1; l >= 0; l--) {
    const layer = model.layers[l];
    if (isAffine(layer)) r = composite.ruleFor(layer).relevance(layer, activations[l], r, activations[l + 1], states[l]);
    else if (layer.kind === 'channelsToTime') r = timeToChannels(r, layer.channels, layer.samples);
    // relu: R_i = R_j for the matching neuron; flatten is a reshape.
    if (keepLayers) kept.unshift(r);
  }
  const explainedLogit = new Float64Array(batch);
  const relevanceSum = new Float64Array(batch);
  const residual = new Float64Array(batch);
  const d = model.inputSize;
  for (let b = 0; b < batch; b++) {
    let sum = 0;
    for (let i = b * d; i < (b + 1) * d; i++) sum += r[i];
    explainedLogit[b] = logits[b * classes + target[b]];
    relevanceSum[b] = sum;
    residual[b] = explainedLogit[b] - sum;
  }
  return {
    relevance: r, logits, targets: target, explainedLogit, relevanceSum, residual, composite: composite.name,
    ...(keepLayers ? { layers: kept } : {}),
  };
}
