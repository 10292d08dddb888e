import { defineParams } from '../../../src-shared/methods/params';

export const SAE_METHOD_NAME = 'sae-kalam2025';

export interface SaeMethodParams {
  model: 'sae' | 'sae-disent' | 'svae';
  preset: 'gaitlab-default' | 'kalam2025-replication';
  epochs: number;
  latent: number;
  learningRate: number;
  batchSize: number;
}

export const saeParams = defineParams<SaeMethodParams>(SAE_METHOD_NAME, {
  model: { type: 'choice', description: 'baseline SAE, SAE with disentanglement loss, or sparse VAE (tied weights)', values: ['sae', 'sae-disent', 'svae'], default: 'sae' },
  preset: { type: 'choice', description: 'gaitlab-default (stacked, type-rms, subject split, early stopping) or kalam2025-replication (per-curve, unscaled, code reductions, no split)', values: ['gaitlab-default', 'kalam2025-replication'], default: 'gaitlab-default' },
  epochs: { type: 'number', description: 'at most this many passes (the replication preset runs exactly this many)', unit: 'epochs', default: 100, min: 1, max: 10_000, integer: true },
  latent: { type: 'number', description: 'dictionary size k', unit: 'features', default: 100, min: 2, max: 2000, integer: true },
  learningRate: { type: 'number', description: 'Adam step size', unit: '', default: 1e-3, min: 0, minExclusive: true, max: 1 },
  batchSize: { type: 'number', description: 'samples per gradient step', unit: 'samples', default: 32, min: 2, max: 4096, integer: true },
});
