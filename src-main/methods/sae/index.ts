// The sparse autoencoders of Kalam 2025 (methods-spec §2, decisions §5.2): a dictionary of gait features learned
// without labels from db5 wavelet coefficients of time-normalised GRF/COP curves. Fit = train a dictionary;
// predict = the codes (SAE: ReLU activations, SVAE: μ) of new curves.
import * as tf from '@tensorflow/tfjs';
import { defineModel, type JsonValue } from '../../../src-shared/methods/contract';
import { InputError } from '../../../src-shared/domain/errors';
import type { CurveDataset } from '../logreg/state';
import { fitSae, modelInput, type SaeState } from './fit';
import { SAE_METHOD_NAME, saeParams, type SaeMethodParams } from './params';
import { encodeRows } from './train';

export type { SaeState, SaeMethodParams };
export { SAE_METHOD_NAME };

export interface SaeCodes {
  /** rows × latent, row-major float32. */
  codes: Float32Array;
  rows: number;
  latent: number;
  /** Per code row, the dataset row (trial) it came from; and the channel for the per-curve layout. */
  source: { sample: number; channel: number | null }[];
}

export const sparseAutoencoder = defineModel<SaeMethodParams, CurveDataset, CurveDataset, SaeCodes, SaeState>({
  name: SAE_METHOD_NAME,
  version: '1.0.0',
  role: 'dictionary',
  description: 'sparse autoencoders on db5 wavelet coefficients (Kalam 2025): SAE, SAE + disentanglement, sparse VAE; tied weights',
  params: saeParams,
  async fit(data, params, { seed, options }) {
    const { state, metrics, perChannel } = await fitSae(data, params, seed, tf.getBackend(), { signal: options.signal, onProgress: options.onProgress });
    const summary: { [key: string]: JsonValue } = {
      variant: state.card.variant, preset: state.card.preset, layout: state.card.layout, dim: state.card.dim,
      channels: state.card.channels, timeDomain: perChannel.map((c) => ({ channel: c.channel, rmse: c.rmse, r2: Number.isFinite(c.r2) ? c.r2 : null })),
      subjectIndependent: state.card.subjectIndependent,
    };
    return { state, metrics, summary };
  },
  async predict(fitted, input) {
    const { card, weights, scaling } = fitted.state;
    const { matrix, scaled } = modelInput(card, scaling, input);
    if (matrix.dim !== weights.dim) throw new InputError('sae-kalam2025 input', null, 'shape', `the model takes ${weights.dim} coefficients per sample, the data gives ${matrix.dim}`);
    const codes = encodeRows(weights, Float32Array.from(scaled!), matrix.rows);
    return { output: { codes, rows: matrix.rows, latent: weights.latent, source: matrix.source }, summary: { rows: matrix.rows } };
  },
});
