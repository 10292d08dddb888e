// The cohort a stored sparse-autoencoder model was trained on, read again from the store as it is now (trial
// curves, or side cycles of the stored channel pairs) and encoded by the model: what its analyses are computed on
// (sae-analyses.ts). Also the cohort's fingerprint, which tells whether stored analyses still describe its data.
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { oneRowPerSide } from '../../src-shared/sae/side-rows';
import { loadCurveDataset, type DataSelection } from '../compute/curve-dataset';
import { loadSideCycleDataset, type SideCycleRow, type SideCycleSelection } from '../compute/side-cycle-dataset';
import { initTfjsBackend } from '../compute/tfjs/backend';
import { findTrainable, unpackTensors } from '../compute/trainable';
import type { CurveDataset } from '../methods/logreg/state';
import { SAE_METHOD_NAME, type SaeState } from '../methods/sae';
import { modelInput } from '../methods/sae/fit';
import { encodeRows } from '../methods/sae/train';
import type { StoredModel } from '../store/models';
import { readSubjectMetadata, type SubjectMetadataRow } from '../store/subject-metadata';
import { readChannelMeta } from '../store/trial-meta';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';

/** What of a model the cohort is read with: a stored model, or one a job is about to store. */
export type SaeModelLike = Pick<StoredModel, 'id' | 'method' | 'architecture' | 'preprocessing' | 'weightsManifest' | 'dataSelection'> & { weights: Buffer | null };

export interface SaeCohort {
  state: SaeState;
  data: CurveDataset;
  /** Per dataset row: its trial, and for cycle rows the side and the stored cycle id. */
  rowTrialIds: string[];
  rowCycles: SideCycleRow[] | null;
  /** Per dataset row: its side, where a row is one side of a curve trial (GaitRec / Gutenberg PRO). */
  rowSides: ('left' | 'right')[] | null;
  channels: { name: string; unit: string }[];
  /** The metadata of the cohort's subjects as stored now (what correlations, maps and colours read). */
  metadata: SubjectMetadataRow[];
}

export interface CohortCodes extends SaeCohort {
  codes: Float32Array;
  rows: number;
  /** Per code row: its row in the dataset (a trial, or one side's gait cycle). */
  trialRow: number[];
  /** Per code row: the subject. */
  subjects: string[];
  /** Per dataset row: the group. */
  groups: string[];
}

export function loadSaeCohort(ctx: ServiceContext, m: SaeModelLike): SaeCohort {
  if (m.method !== SAE_METHOD_NAME) throw new ApiError('input', `model ${m.id} is a ${m.method} model, not a sparse autoencoder (${SAE_METHOD_NAME})`);
  const sel = m.dataSelection as (DataSelection & { kind?: undefined }) | SideCycleSelection | null;
  if (!sel || !m.architecture || !m.preprocessing || !m.weights) throw new ApiError('input', `model ${m.id} has no stored data selection or weights`);
  const state = findTrainable(m.method)!.fromStored({ architecture: m.architecture, preprocessing: m.preprocessing, tensors: unpackTensors(m.weightsManifest, m.weights) }, { train: [], test: [] }) as SaeState;
  let data: CurveDataset, rowTrialIds: string[], rowCycles: SideCycleRow[] | null = null, rowSides: ('left' | 'right')[] | null = null, channels: { name: string; unit: string }[];
  if (sel.kind === 'side-cycles') {
    const loaded = loadSideCycleDataset(ctx.db, { cohort: sel.cohort, session: sel.session, channels: sel.pairs.flatMap((p) => [p.left, p.right]), bodyWeight: sel.bodyWeight ?? false }, basename(ctx.dbPath));
    data = loaded.data;
    rowCycles = loaded.rows;
    rowTrialIds = loaded.rows.map((r) => r.trialId);
    channels = sel.pairs.map((p, k) => ({ name: p.name, unit: loaded.selection.units[k] }));
  } else {
    const loaded = loadCurveDataset(ctx.db, { cohort: sel.cohort, session: sel.session }, basename(ctx.dbPath));
    data = loaded.data;
    rowTrialIds = loaded.selection.trials.map((t) => t.id);
    const meta = readChannelMeta(ctx.db, rowTrialIds[0]);
    if (sel.perSide) {
      const split = oneRowPerSide(loaded.data);
      if (!split) throw new ApiError('input', `model ${m.id} takes one sample per trial and side; the channels of cohort ${sel.cohort} are no longer left/right pairs (${loaded.data.channels.slice(0, 6).join(', ')})`);
      data = split.data;
      rowSides = split.data.sides;
      const ids = rowTrialIds;
      rowTrialIds = split.sourceRow.map((r) => ids[r]);
    }
    channels = state.card.channels.map((name) => ({ name, unit: meta.find((c) => c.name === name || c.name === `${name}_left`)?.unit ?? '' }));
  }
  return { state, data, rowTrialIds, rowCycles, rowSides, channels, metadata: readSubjectMetadata(ctx.db, data.subjects) };
}

/** The cohort's samples encoded by the model (SAE: ReLU activations; SVAE: μ). */
export async function encodeSaeCohort(c: SaeCohort, modelId: string, cohort: string): Promise<CohortCodes> {
  const { state, data } = c;
  const { matrix, scaled } = modelInput(state.card, state.scaling, data);
  if (matrix.dim !== state.weights.dim) throw new ApiError('input', `model ${modelId} takes ${state.weights.dim} coefficients per sample; cohort ${cohort} now gives ${matrix.dim}`);
  await initTfjsBackend();
  const codes = encodeRows(state.weights, Float32Array.from(scaled!), matrix.rows);
  const trialRow = matrix.source.map((s) => s.sample);
  return { ...c, codes, rows: matrix.rows, trialRow, subjects: trialRow.map((r) => data.subjects[r]), groups: data.labels };
}

/**
 * SHA-256 of everything the analyses read: the rows (trial, cycle, side, subject, group), the curves as float
 * bytes, the channels, and the subjects' metadata. Equal fingerprints: stored analyses still describe the data.
 */
export function cohortFingerprint(c: SaeCohort): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({
    channels: c.data.channels, points: c.data.points, trials: c.rowTrialIds, cycles: c.rowCycles?.map((r) => [r.cycleId, r.side]) ?? null, sides: c.rowSides,
    subjects: c.data.subjects, groups: c.data.labels, metadata: c.metadata,
  }));
  h.update(new Uint8Array(c.data.x.buffer, c.data.x.byteOffset, c.data.x.byteLength));
  return h.digest('hex');
}
