// The attributor: runs the model forward in float64, then carries relevance back layer by layer with the rule
// the composite picks for each affine layer (ReLU and flatten pass relevance through, the channel transpose is
// undone). What is explained is the true-class logit with the softmax dropped: R^(L) = f(x) ⊙ onehot(y), also
// for misclassified trials (spec §1.6, §5.1.6).
import type { Composite } from './composites';
import { checkModel, forwardActivations, isAffine, timeToChannels, type LrpModel } from './layers';

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
  const sizes = checkModel(model);
  const classes = sizes.length > 0 ? sizes[sizes.length - 1] : model.inputSize;
  if (!Number.isInteger(target) || target < 0 || target >= classes) throw new RangeError(`LRP: target class ${target} is outside 0..${classes - 1}`);
  const activations = forwardActivations(model, input);
  const logits = activations[activations.length - 1];
  let r: Float64Array = new Float64Array(logits.length);
  r[target] = logits[target];
  const kept: Float64Array[] = [r];
  for (let l = model.layers.length - 1; l >= 0; l--) {
    const layer = model.layers[l];
    if (isAffine(layer)) r = composite.ruleFor(layer).relevance(layer, activations[l], r, activations[l + 1]);
    else if (layer.kind === 'channelsToTime') r = timeToChannels(r, layer.channels, layer.samples);
    // relu: R_i = R_j for the matching neuron; flatten is a reshape.
    if (options.keepLayers) kept.unshift(r);
  }
  let relevanceSum = 0;
  for (const v of r) relevanceSum += v;
  const explainedLogit = logits[target];
  return {
    relevance: r,
    logits,
    target,
    explainedLogit,
    relevanceSum,
    residual: explainedLogit - relevanceSum,
    composite: composite.name,
    ...(options.keepLayers ? { layers: kept } : {}),
  };
}
