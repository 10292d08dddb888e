// The LRP Toolbox's per-parameter-group update factors (spec §1.4, §5.1.4), needed to reproduce the paper's
// learning rates: θ ← θ − η·s_θ·G_θ with G_θ the gradient of the batch-summed loss. Dense m→n: s_W = g/√m,
// s_b = g/n^¼; conv with kernel kh×kw×d and output Hy×Wy: s_W = g/√(kh·kw·d·Hy·Wy), s_b = g/√(Hy·Wy); g is the
// product of √(m_j/n_j) over the dense layers above (conv, ReLU and flatten pass the gradient down unscaled).
import { affineLayers, type ModelPlan } from './architectures';

export interface UpdateScale { weight: number; bias: number }

/** One factor pair per affine layer of the plan, bottom to top. */
export function updateScales(plan: ModelPlan): UpdateScale[] {
  const layers = affineLayers(plan);
  const scales: UpdateScale[] = new Array(layers.length);
  let g = 1;
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l];
    if (layer.kind === 'dense') {
      scales[l] = { weight: g / Math.sqrt(layer.inputs), bias: g / Math.pow(layer.units, 0.25) };
      g *= Math.sqrt(layer.inputs / layer.units);
    } else {
      const [hy, wy] = layer.output;
      const [kh, kw] = layer.kernel;
      scales[l] = { weight: g / Math.sqrt(kh * kw * layer.input[2] * hy * wy), bias: g / Math.sqrt(hy * wy) };
    }
  }
  return scales;
}
