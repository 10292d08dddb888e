// Fitting the Kalam 2025 dictionary on time-normalised curves (one row per trial, all channels): db5 coefficients
// in the preset's layout, scaling fitted on training subjects, training with early stopping on held-out subjects,
// then the figures the paper lacks (§5.2.6): reconstruction error on held-out subjects in scaled coefficient space
// and per channel in the time domain, firing rates, dead features and redundancy.
import { COEFFICIENTS_PER_CURVE, CURVE_POINTS, toCoefficientRows, type CurveSample, type SaeLayout } from '../../../src-shared/sae/coefficient-layout';
import { featureStats, rSquared } from '../../../src-shared/sae/feature-stats';
import { subjectGroupedSplit } from '../../../src-shared/sae/subject-split';
import { applyScaling, fitScaling, invertScaling, type ChannelScaling, type ScalingKind } from '../../../src-shared/sae/type-rms-scaling';
import { db5CoefficientLengths, waverecFlat } from '../../../src-shared/wavelets/db5';
import { InputError } from '../../../src-shared/domain/errors';
import { isCopMl, isForceMl, leftMlNeedsMirror } from '../../../src-shared/sae/side-rows';
import type { CurveDataset } from '../logreg/state';
import { DEFAULT_LOSS_WEIGHTS, type SaeReductions } from './losses';
import type { SaeMethodParams } from './params';
import { encodeRows, reconstructRows, trainSae, type SaeTrainHooks, type SaeWeights } from './train';

const INPUT = 'sae-kalam2025 input';

export interface SaePreset {
  layout: SaeLayout;
  scaling: ScalingKind;
  reductions: SaeReductions;
  split: boolean;
  earlyStopping: boolean;
  copReference: 'curve-mean' | 'none';
  /** §5.2.3: `auto` mirrors the left side's F_ML and COP_ML where the sides' mean F_ML have opposite signs. */
  mirrorML: 'auto' | 'off';
}

export function presetSettings(preset: SaeMethodParams['preset']): SaePreset {
  return preset === 'kalam2025-replication'
    ? { layout: 'per-curve', scaling: 'none', reductions: 'code', split: false, earlyStopping: false, copReference: 'none', mirrorML: 'off' }
    : { layout: 'stacked', scaling: 'type-rms', reductions: 'paper', split: true, earlyStopping: true, copReference: 'curve-mean', mirrorML: 'auto' };
}

/** Everything a stored SAE needs besides its weight tensors: the model card of §5.2.3. */
export interface SaeCard {
  methodId: 'sae-kalam2025';
  variant: string;
  preset: SaeMethodParams['preset'];
  wavelet: { name: 'db5'; level: 4; mode: 'symmetric'; signalLength: number; coefficientLengths: number[] };
  layout: SaeLayout;
  channels: string[];
  copReference: SaePreset['copReference'];
  copChannels: string[];
  /** True when the left side's F_ML and COP_ML are multiplied by −1 before the transform (§5.2.3). */
  mirroredLeftML: boolean;
  /** The training samples' mean F_ML per side the mirror was decided on (absent: no decision, e.g. models before it). */
  mlSideMeans?: { left: number | null; right: number | null };
  scaling: ScalingKind;
  latent: number;
  dim: number;
  lossWeights: typeof DEFAULT_LOSS_WEIGHTS;
  reductions: SaeReductions;
  seed: number;
  trainSubjects: string[];
  validationSubjects: string[];
  subjectIndependent: boolean;
  bestEpoch: number;
  epochsRun: number;
  stoppedEarly: boolean;
  trainLoss: number[];
  validationLoss: number[];
  droppedCurves: number;
}

export interface SaeState {
  card: SaeCard;
  weights: SaeWeights;
  scaling: ChannelScaling[];
  /** Trial rows of the dataset: train, and validation (held-out subjects; empty without a split). */
  split: { train: number[]; test: number[] };
  backend: string;
}

/** COP curves are compared as shapes: each loses its own mean over the 101 points (§5.2.3, `curve-mean`). */
export function isCopChannel(name: string): boolean {
  return /(^|[^a-z])cop([^a-z]|$)/i.test(name) || /centre of pressure|center of pressure/i.test(name);
}

/**
 * The dataset's rows as curve samples, in the model's channel order; refuses data of another shape in one line.
 * `mirrorLeftMl`: the left side's F_ML and COP_ML curves are negated (rows tagged left in `data.sides`).
 */
export function curveSamples(data: CurveDataset, channels: readonly string[], copReference: SaePreset['copReference'], mirrorLeftMl = false): CurveSample[] {
  if (data.points !== CURVE_POINTS) throw new InputError(INPUT, null, 'points', `the sparse autoencoders take ${CURVE_POINTS}-point curves; the data has ${data.points}`);
  const index = channels.map((c) => {
    const i = data.channels.indexOf(c);
    if (i < 0) throw new InputError(INPUT, null, 'channels', `the model needs channel "${c}", the data has ${data.channels.join(', ')}`);
    return i;
  });
  const mirrored = channels.map((c) => mirrorLeftMl && (isForceMl(c) || isCopMl(c)));
  return Array.from({ length: data.rows }, (_, r) => ({
    subjectId: data.subjects[r],
    trialId: String(r),
    side: data.sides?.[r] ?? 'none',
    curves: index.map((ci, k) => {
      const curve = Float64Array.from(data.x.subarray(r * data.features + ci * CURVE_POINTS, r * data.features + (ci + 1) * CURVE_POINTS));
      if (mirrored[k] && data.sides?.[r] === 'left') for (let t = 0; t < CURVE_POINTS; t++) curve[t] = -curve[t];
      if (copReference === 'curve-mean' && isCopChannel(channels[k])) {
        const mean = curve.reduce((s, v) => s + v, 0) / CURVE_POINTS;
        for (let t = 0; t < CURVE_POINTS; t++) curve[t] -= mean;
      }
      return curve;
    }),
  }));
}

/** Coefficient rows of a dataset, scaled, with the trial row each came from (model input for fit and predict). */
export function modelInput(card: Pick<SaeCard, 'channels' | 'layout' | 'copReference'> & { mirroredLeftML?: boolean }, scaling: readonly ChannelScaling[] | null, data: CurveDataset) {
  const samples = curveSamples(data, card.channels, card.copReference, card.mirroredLeftML ?? false);
  const { matrix, dropped } = toCoefficientRows(samples, card.channels.length, card.layout);
  const blockOf = card.layout === 'per-curve' ? (row: number) => matrix.source[row].channel! : undefined;
  return { matrix, dropped, blockOf, scaled: scaling ? applyScaling(matrix.values, matrix.dim, COEFFICIENTS_PER_CURVE, scaling, blockOf) : null };
}

export interface SaeFitMetrics { [key: string]: number }

export async function fitSae(data: CurveDataset, p: SaeMethodParams, seed: number, backend: string, hooks: SaeTrainHooks = {}):
  Promise<{ state: SaeState; metrics: SaeFitMetrics; perChannel: { channel: string; rmse: number; r2: number }[] }> {
  const preset = presetSettings(p.preset);
  const channels = [...data.channels];
  const trialSplit = preset.split ? subjectGroupedSplit(data.subjects, seed) : null;
  const isValidationTrial = new Uint8Array(data.rows);
  for (const r of trialSplit?.validation ?? []) isValidationTrial[r] = 1;
  // The ML mirror is decided on the training samples, like the scaling.
  const ml = preset.mirrorML === 'auto' && data.sides ? leftMlNeedsMirror(data, Array.from({ length: data.rows }, (_, r) => r).filter((r) => !isValidationTrial[r])) : null;
  const mirroredLeftML = ml?.mirror ?? false;
  const input = modelInput({ channels, layout: preset.layout, copReference: preset.copReference, mirroredLeftML }, null, data);
  const { matrix } = input;
  if (matrix.rows < 2) throw new InputError(INPUT, null, 'curves', `${matrix.rows} usable samples (${input.dropped} curves had non-finite values); at least 2 are needed`);
  const trainRows: number[] = [];
  const validationRows: number[] = [];
  matrix.source.forEach((s, row) => (isValidationTrial[s.sample] ? validationRows : trainRows).push(row));
  // Scaling is fitted on training subjects only.
  const trainValues = new Float64Array(trainRows.length * matrix.dim);
  trainRows.forEach((row, i) => trainValues.set(matrix.values.subarray(row * matrix.dim, (row + 1) * matrix.dim), i * matrix.dim));
  const scaling = fitScaling(trainValues, trainRows.length, matrix.dim, COEFFICIENTS_PER_CURVE, preset.scaling,
    input.blockOf ? (i) => input.blockOf!(trainRows[i]) : undefined, channels.length);
  const scaled = applyScaling(matrix.values, matrix.dim, COEFFICIENTS_PER_CURVE, scaling, input.blockOf);
  const x = Float32Array.from(scaled);
  const fit = await trainSae({ x, rows: matrix.rows, dim: matrix.dim, train: trainRows, validation: validationRows }, {
    kind: p.model, reductions: preset.reductions, latent: p.latent, weights: DEFAULT_LOSS_WEIGHTS, learningRate: p.learningRate,
    batchSize: p.batchSize, maxEpochs: p.epochs, earlyStopping: preset.earlyStopping ? { patience: 10, minRelativeImprovement: 1e-4 } : null, seed,
  }, hooks);

  // Held-out subjects when there is a split, else (replication) the training data, as the paper did.
  const evalRows = validationRows.length > 0 ? validationRows : trainRows;
  const evalX = new Float32Array(evalRows.length * matrix.dim);
  evalRows.forEach((row, i) => evalX.set(x.subarray(row * matrix.dim, (row + 1) * matrix.dim), i * matrix.dim));
  const recon = reconstructRows(fit.weights, evalX, evalRows.length);
  let sse = 0;
  for (let i = 0; i < evalX.length; i++) sse += (recon[i] - evalX[i]) ** 2;
  const codes = encodeRows(fit.weights, evalX, evalRows.length);
  const stats = featureStats(codes, evalRows.length, p.latent, p.model === 'svae' ? 'signed' : 'relu');
  const perChannel = timeDomainErrors(evalX, recon, evalRows, matrix.source.map((s) => s.channel), matrix.dim, scaling, channels, preset.layout);

  const card: SaeCard = {
    methodId: 'sae-kalam2025', variant: p.model === 'svae' && preset.reductions === 'code' ? 'svae-code' : p.model, preset: p.preset,
    wavelet: { name: 'db5', level: 4, mode: 'symmetric', signalLength: CURVE_POINTS, coefficientLengths: db5CoefficientLengths(CURVE_POINTS) },
    layout: preset.layout, channels, copReference: preset.copReference, copChannels: channels.filter(isCopChannel), mirroredLeftML,
    ...(ml ? { mlSideMeans: { left: Number.isFinite(ml.meanLeft) ? ml.meanLeft : null, right: Number.isFinite(ml.meanRight) ? ml.meanRight : null } } : {}),
    scaling: preset.scaling, latent: p.latent, dim: matrix.dim, lossWeights: { ...DEFAULT_LOSS_WEIGHTS }, reductions: preset.reductions, seed,
    trainSubjects: trialSplit?.trainSubjects ?? [...new Set(data.subjects)].sort(), validationSubjects: trialSplit?.validationSubjects ?? [],
    subjectIndependent: trialSplit !== null, bestEpoch: fit.bestEpoch, epochsRun: fit.epochsRun, stoppedEarly: fit.stoppedEarly,
    trainLoss: fit.trainLoss, validationLoss: fit.validationLoss.map((v) => (Number.isFinite(v) ? v : -1)), droppedCurves: input.dropped,
  };
  const trialRows = Array.from({ length: data.rows }, (_, r) => r);
  return {
    state: { card, weights: fit.weights, scaling, split: { train: trialRows.filter((r) => !isValidationTrial[r]), test: trialRows.filter((r) => isValidationTrial[r] === 1) }, backend },
    metrics: {
      heldOutSubjects: card.validationSubjects.length, evaluationSamples: evalRows.length,
      validationMseScaled: sse / evalX.length, validationR2Scaled: rSquared(evalX, recon, evalRows.length, matrix.dim),
      meanFiringRate: stats.meanRate, minFiringRate: stats.minRate, maxFiringRate: stats.maxRate, meanL0: stats.meanL0,
      deadFeatures: stats.dead.length, denseFeatures: stats.dense.length, maxAbsCorrelation: stats.maxAbsCorrelation,
      topVarianceShare: Math.max(...stats.varianceShare), bestEpoch: fit.bestEpoch, epochsRun: fit.epochsRun,
      ...Object.fromEntries(perChannel.flatMap((c, i) => [[`timeRmse${i}`, c.rmse], [`timeR2_${i}`, c.r2]])),
    },
    perChannel,
  };
}

/** Per channel: RMSE (channel units) and R² of the reconstructed curves after unscaling and waverec (§5.2.6). */
function timeDomainErrors(evalX: Float32Array, recon: Float32Array, evalRows: readonly number[], channelOfRow: (number | null)[], dim: number,
  scaling: readonly ChannelScaling[], channels: readonly string[], layout: SaeLayout): { channel: string; rmse: number; r2: number }[] {
  const P = COEFFICIENTS_PER_CURVE;
  const blockOf = layout === 'per-curve' ? (i: number) => channelOfRow[evalRows[i]]! : undefined;
  const orig = invertScaling(Float64Array.from(evalX), dim, P, scaling, blockOf);
  const rec = invertScaling(Float64Array.from(recon), dim, P, scaling, blockOf);
  const acc = channels.map(() => ({ sse: 0, sum: new Float64Array(CURVE_POINTS), sumSq: new Float64Array(CURVE_POINTS), n: 0 }));
  for (let i = 0; i < evalRows.length; i++) {
    for (let b = 0; b < dim / P; b++) {
      const c = blockOf ? blockOf(i) : b;
      const y = waverecFlat(orig.subarray(i * dim + b * P, i * dim + (b + 1) * P), CURVE_POINTS);
      const yHat = waverecFlat(rec.subarray(i * dim + b * P, i * dim + (b + 1) * P), CURVE_POINTS);
      const a = acc[c];
      for (let t = 0; t < CURVE_POINTS; t++) { a.sse += (yHat[t] - y[t]) ** 2; a.sum[t] += y[t]; a.sumSq[t] += y[t] * y[t]; }
      a.n++;
    }
  }
  // SST about the mean curve (time point by time point), so R² says how much of the between-curve variation is
  // kept, not how well the average stance shape is; an all-zero channel has SST 0 and R² NaN, reported as such.
  return acc.map((a, c) => {
    let sst = 0;
    for (let t = 0; t < CURVE_POINTS; t++) sst += a.sumSq[t] - (a.sum[t] * a.sum[t]) / a.n;
    return { channel: channels[c], rmse: Math.sqrt(a.sse / Math.max(a.n * CURVE_POINTS, 1)), r2: 1 - a.sse / sst };
  });
}
