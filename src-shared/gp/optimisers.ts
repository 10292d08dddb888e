// First-order steps that ascend the bound on a masked part of θ: Adam (Kingma & Ba 2015, Alg. 1) for
// cavi-adam and adam (methods-spec §5.4.5 HG-13), NAdam as the paper ran it (§4.2, HG-14).

export interface AscentStep {
  /** Moves θ[i] for every i with mask[i] = 1 along the gradient g of the bound. */
  step(theta: Float64Array, g: Float64Array): void;
}

export class Adam implements AscentStep {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;
  constructor(private readonly mask: Uint8Array, private readonly lr: Float64Array, private readonly beta1 = 0.9, private readonly beta2 = 0.999, private readonly eps = 1e-8) {
    this.m = new Float64Array(mask.length);
    this.v = new Float64Array(mask.length);
  }
  step(theta: Float64Array, g: Float64Array): void {
    this.t++;
    const c1 = 1 - this.beta1 ** this.t, c2 = 1 - this.beta2 ** this.t;
    for (let i = 0; i < theta.length; i++) {
      if (!this.mask[i]) continue;
      this.m[i] = this.beta1 * this.m[i] + (1 - this.beta1) * g[i];
      this.v[i] = this.beta2 * this.v[i] + (1 - this.beta2) * g[i] * g[i];
      theta[i] += (this.lr[i] * (this.m[i] / c1)) / (Math.sqrt(this.v[i] / c2) + this.eps);
    }
  }
}

/** §4.2's NAdam with the momentum schedule μ_t = β₁(1 − ½·0.96^{0.004 t}) (PyTorch; legacy Keras), ε = 1e-7. */
export class NadamPaper implements AscentStep {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;
  private muProduct = 1;
  constructor(private readonly mask: Uint8Array, private readonly lr = 1e-4, private readonly beta1 = 0.9, private readonly beta2 = 0.999, private readonly eps = 1e-7) {
    this.m = new Float64Array(mask.length);
    this.v = new Float64Array(mask.length);
  }
  step(theta: Float64Array, g: Float64Array): void {
    this.t++;
    const mu = (t: number) => this.beta1 * (1 - 0.5 * 0.96 ** (0.004 * t));
    const muT = mu(this.t), muNext = mu(this.t + 1);
    this.muProduct *= muT;
    const productNext = this.muProduct * muNext;
    const c2 = 1 - this.beta2 ** this.t;
    for (let i = 0; i < theta.length; i++) {
      if (!this.mask[i]) continue;
      this.m[i] = this.beta1 * this.m[i] + (1 - this.beta1) * g[i];
      this.v[i] = this.beta2 * this.v[i] + (1 - this.beta2) * g[i] * g[i];
      const mHat = (muNext * this.m[i]) / (1 - productNext) + ((1 - muT) * g[i]) / (1 - this.muProduct);
      theta[i] += (this.lr * mHat) / (Math.sqrt(this.v[i] / c2) + this.eps);
    }
  }
}
