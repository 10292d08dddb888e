// The three tied-weight autoencoders of Kalam 2025 and their losses exactly as methods-spec §5.2.4 writes them,
// in tfjs core ops (layers' activity regularisers cannot express a batch-level KL on ρ̂ or a covariance penalty).
import * as tf from '@tensorflow/tfjs';

export type SaeModelKind = 'sae' | 'sae-disent' | 'svae';
/** `paper` (default): per-sample sums averaged over the batch; `code`: the released code's means / sums. */
export type SaeReductions = 'paper' | 'code';

export const SAE_MODEL_KINDS: readonly SaeModelKind[] = ['sae', 'sae-disent', 'svae'];

export interface SaeLossWeights {
  /** Target mean activation ρ of the KL sparsity term. */
  rho: number;
  /** λ1 of the KL term, λ2 of the L1 term, the disentanglement weight; SVAE β and λ. */
  kl: number;
  l1: number;
  disentangle: number;
  beta: number;
  svaeL1: number;
}

export const DEFAULT_LOSS_WEIGHTS: Readonly<SaeLossWeights> = Object.freeze({ rho: 0.05, kl: 0.1, l1: 0.1, disentangle: 0.1, beta: 1, svaeL1: 0.1 });

/** ρ̂ is clipped to [1e-6, 1 − 1e-6] so a dead unit or one firing ≥ 1 gives a finite KL with zero gradient. */
export const RHO_CLIP = 1e-6;

/** The trainable tensors: W (k × D) shared by encoder and decoder, b_e (k), b_d (D); V, b_v for the SVAE. */
export interface SaeParams {
  W: tf.Tensor2D;
  be: tf.Tensor1D;
  bd: tf.Tensor1D;
  V?: tf.Tensor2D;
  bv?: tf.Tensor1D;
}

/** H = ReLU(X Wᵀ + b_e) (SAE) or μ = X Wᵀ + b_μ (SVAE): the code used by analyses and validation. */
export function encode(kind: SaeModelKind, X: tf.Tensor2D, p: SaeParams): tf.Tensor2D {
  return tf.tidy(() => {
    const pre = tf.add(tf.matMul(X, p.W, false, true), p.be) as tf.Tensor2D;
    return kind === 'svae' ? pre : tf.relu(pre);
  });
}

/** X̂ = H W + b_d (tied decoder). */
export function decode(H: tf.Tensor2D, p: SaeParams): tf.Tensor2D {
  return tf.tidy(() => tf.add(tf.matMul(H, p.W), p.bd) as tf.Tensor2D);
}

/** Σ_j KL(ρ ‖ clip(ρ̂_j)) with ρ̂_j the batch mean of H[:, j]. */
export function klSparsity(H: tf.Tensor2D, rho: number): tf.Scalar {
  return tf.tidy(() => {
    const r = tf.clipByValue(tf.mean(H, 0), RHO_CLIP, 1 - RHO_CLIP);
    const a = tf.mul(rho, tf.log(tf.div(rho, r)));
    const b = tf.mul(1 - rho, tf.log(tf.div(1 - rho, tf.sub(1, r))));
    return tf.sum(tf.add(a, b));
  });
}

/** Σ_{i≠j} C_ij² with C the unbiased (B − 1) covariance of H's columns, as Σ C² − Σ_i C_ii². */
export function disentanglement(H: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const B = H.shape[0];
    const centred = tf.sub(H, tf.mean(H, 0, true));
    const C = tf.div(tf.matMul(centred, centred, true, false), B - 1);
    const diag = tf.div(tf.sum(tf.square(centred), 0), B - 1);
    return tf.sub(tf.sum(tf.square(C)), tf.sum(tf.square(diag)));
  });
}

export interface SaeLossParts {
  total: tf.Scalar;
  reconstruction: tf.Scalar;
  kl: tf.Scalar;
  l1: tf.Scalar;
  disentangle?: tf.Scalar;
}

/** Baseline and disentangled SAE losses (§5.2.4). Returns tensors owned by the caller (tidy it). */
export function saeLoss(kind: 'sae' | 'sae-disent', X: tf.Tensor2D, p: SaeParams, w: SaeLossWeights, reductions: SaeReductions): SaeLossParts {
  const [B, D] = X.shape;
  const k = p.W.shape[0];
  const H = encode(kind, X, p);
  const Xhat = decode(H, p);
  const sse = tf.sum(tf.square(tf.sub(Xhat, X)));
  const reconstruction = reductions === 'paper' ? tf.div(sse, B) : tf.div(sse, B * D);
  const l1Sum = tf.sum(tf.abs(H));
  const l1 = reductions === 'paper' ? tf.div(l1Sum, B) : tf.div(l1Sum, B * k);
  const kl = klSparsity(H, w.rho);
  let total = tf.add(reconstruction, tf.add(tf.mul(w.kl, kl), tf.mul(w.l1, l1)));
  let dis: tf.Scalar | undefined;
  if (kind === 'sae-disent') {
    dis = disentanglement(H);
    total = tf.add(total, tf.mul(w.disentangle, dis));
  }
  return { total: total as tf.Scalar, reconstruction: reconstruction as tf.Scalar, kl, l1: l1 as tf.Scalar, disentangle: dis };
}

/**
 * Sparse VAE loss (§5.2.4). `paper`: log σ² = clip(X Vᵀ + b_v, −10, 10), batch mean of per-sample sums.
 * `code` (svae-code): log σ² ≡ 0 and every term summed over the batch. ε is passed in so tests can inject it.
 */
export function svaeLoss(X: tf.Tensor2D, eps: tf.Tensor2D, p: SaeParams, w: SaeLossWeights, reductions: SaeReductions): SaeLossParts {
  const B = X.shape[0];
  const mu = encode('svae', X, p);
  let logVar: tf.Tensor2D;
  if (reductions === 'paper') {
    if (!p.V || !p.bv) throw new Error('svae: the variance head V, b_v is missing');
    logVar = tf.clipByValue(tf.add(tf.matMul(X, p.V, false, true), p.bv), -10, 10) as tf.Tensor2D;
  } else {
    logVar = tf.zerosLike(mu);
  }
  const z = tf.add(mu, tf.mul(tf.exp(tf.mul(0.5, logVar)), eps)) as tf.Tensor2D;
  const Xhat = decode(z, p);
  const divisor = reductions === 'paper' ? B : 1;
  const reconstruction = tf.div(tf.sum(tf.square(tf.sub(Xhat, X))), divisor) as tf.Scalar;
  const kl = tf.div(tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, logVar), tf.square(mu)), tf.exp(logVar)))), divisor) as tf.Scalar;
  const l1 = tf.div(tf.sum(tf.abs(z)), divisor) as tf.Scalar;
  const total = tf.add(reconstruction, tf.add(tf.mul(w.beta, kl), tf.mul(w.svaeL1, l1))) as tf.Scalar;
  return { total, reconstruction, kl, l1 };
}

/**
 * The baseline SAE loss (§5.2.4, either reduction) with its gradient written out by hand: the same value as
 * `saeLoss('sae', …).total`, and a backward pass of a dozen ops where autograd runs about a hundred (tfjs's
 * per-op cost on wasm was as large as the matrix products in a batch-32 step). With pre = X Wᵀ + b_e,
 * H = ReLU(pre), R = H W + b_d − X: dR = 2 c_rec R; dH = dR Wᵀ + λ2 c_l1 + λ1 g/B, g_j = ∂KL/∂ρ̃_j inside the clip
 * range (0 outside, as clipByValue's gradient); dpre = dH ⊙ [pre > 0]; ∂W = dpreᵀ X + Hᵀ dR, ∂b_e = Σ dpre, ∂b_d = Σ dR.
 */
export function saeBaselineLossFused(X: tf.Tensor2D, p: SaeParams, w: SaeLossWeights, reductions: SaeReductions): tf.Scalar {
  const [B, D] = X.shape;
  const k = p.W.shape[0];
  const cRec = reductions === 'paper' ? 1 / B : 1 / (B * D);
  const cL1 = reductions === 'paper' ? 1 / B : 1 / (B * k);
  const rho = w.rho;
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [W, be, bd] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const pre = tf.add(tf.matMul(X, W as tf.Tensor2D, false, true), be);
    const H = tf.relu(pre);
    const R = tf.sub(tf.add(tf.matMul(H as tf.Tensor2D, W as tf.Tensor2D), bd), X);
    const rhoHat = tf.mean(H, 0);
    const r = tf.clipByValue(rhoHat, RHO_CLIP, 1 - RHO_CLIP);
    const kl = tf.sum(tf.add(tf.mul(rho, tf.log(tf.div(rho, r))), tf.mul(1 - rho, tf.log(tf.div(1 - rho, tf.sub(1, r))))));
    const value = tf.add(tf.mul(cRec, tf.sum(tf.square(R))), tf.add(tf.mul(w.kl, kl), tf.mul(w.l1, tf.mul(cL1, tf.sum(H))))) as tf.Scalar;
    save([W, pre, H, R, rhoHat, r]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [Ws, preS, HS, RS, rhoHatS, rS] = saved;
        const dR = tf.mul(RS, tf.mul(dy, 2 * cRec));
        const inRange = tf.logicalAnd(tf.greaterEqual(rhoHatS, RHO_CLIP), tf.lessEqual(rhoHatS, 1 - RHO_CLIP));
        const dKl = tf.add(tf.div(-rho, rS), tf.div(1 - rho, tf.sub(1, rS)));
        const g = tf.mul(tf.where(inRange, dKl, tf.zerosLike(dKl)), tf.mul(dy, w.kl / B));
        const dH = tf.add(tf.add(tf.matMul(dR as tf.Tensor2D, Ws as tf.Tensor2D, false, true), g), tf.mul(dy, w.l1 * cL1));
        const dPre = tf.mul(dH, tf.step(preS));
        const dW = tf.add(tf.matMul(dPre as tf.Tensor2D, X, true, false), tf.matMul(HS as tf.Tensor2D, dR as tf.Tensor2D, true, false));
        return [dW, tf.sum(dPre, 0), tf.sum(dR, 0)];
      },
    };
  });
  return f(p.W, p.be, p.bd) as tf.Scalar;
}
