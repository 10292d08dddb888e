// The inputs of a stored Horst model, read again from the store: a trial's curves for a model of trial curves
// (the clinical GRF set), or each clean gait cycle of a walk for a model of insole gait cycles (gaitpdb,
// methods-spec §5.1.3 b). Inputs are never duplicated (§5.1.7): a cycle is cut again from the walk's stored
// cycles and found in the model's data selection by its row id (trial @ stride start), whose fold names the run
// in which it was a test row (§1.5, §5.1.3).
import { basename } from 'node:path';
import { SAMPLES } from '../../src-shared/methods/horst/architectures';
import { insoleCycleRows } from '../compute/insole-cycle-dataset';
import { readSignals } from '../store/queries';
import { decodeSamples } from '../store/sample-codec';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';
import type { LoadedHorstModel } from './horst-service';

/** One input row of a model: a trial, or one gait cycle of a trial (rowKey), with its fold and true class. */
export interface ModelRow {
  trialId: string;
  /** The cycle's row id in the model's data selection (trial @ stride start); absent for a model of trial curves. */
  rowKey?: string;
  subject: string;
  label: string;
  target: number;
  /** The run in which the row was a test row; −1 for a subject the fold algorithm excluded. */
  fold: number;
  /** Unscaled curves in the model's channel order, channel-major (§5.1.2). */
  x: Float32Array;
}

/** The trial's curves in the model's channel order, unscaled (channel-major, §5.1.2). */
export function trialCurves(ctx: ServiceContext, model: LoadedHorstModel, trialId: string): Float32Array {
  const signals = readSignals(ctx.db, trialId);
  const C = model.state.channels.length;
  const x = new Float32Array(C * SAMPLES);
  model.state.channels.forEach((name, c) => {
    const s = signals.find((g) => g.channel === name);
    if (!s) throw new ApiError('input', `trial ${trialId} has no channel "${name}", which model ${model.id} needs`);
    if (s.samples !== SAMPLES) throw new ApiError('input', `trial ${trialId} channel "${name}" has ${s.samples} samples, model ${model.id} needs ${SAMPLES}`);
    x.set(decodeSamples(s.data, s.encoding, s.samples, `trial ${trialId} channel ${name}`), c * SAMPLES);
  });
  return x;
}

/** The trials of the model's data that have a test run (a subject excluded by the fold algorithm has none). */
export function explainableTrials(model: LoadedHorstModel): { ids: string[]; excluded: number } {
  const byRow = model.selection.folds?.byTrial ?? {};
  const all = (model.selection.trials ?? []).map((t) => t.id);
  const tested = new Set<string>();
  for (const [key, fold] of Object.entries(byRow)) if (fold >= 0) tested.add(model.cycles ? key.slice(0, key.lastIndexOf('@')) : key);
  const ids = all.filter((id) => tested.has(id));
  return { ids, excluded: all.length - ids.length };
}

/**
 * The rows of the given trials, in trial order (a cycle model: each trial's cycles in time order). A trial
 * outside the model's data, or whose cycles were all extracted again after training (none is a row the model
 * knows), is a one-line error; cycles added by a new extraction are left out, as the model never tested them.
 */
export function modelRows(ctx: ServiceContext, model: LoadedHorstModel, trialIds: readonly string[]): ModelRow[] {
  const { state, selection } = model;
  const byRow = selection.folds?.byTrial ?? {};
  const rows: ModelRow[] = [];
  for (const trialId of trialIds) {
    const trial = selection.trials?.find((t) => t.id === trialId);
    if (!trial) throw new ApiError('input', `trial ${trialId} is not in the data of model ${model.id}`);
    const label = state.task === 'subject' ? trial.subject : trial.label;
    const target = state.classes.indexOf(label);
    if (target < 0) throw new ApiError('input', `trial ${trialId}: class "${label}" is not one of model ${model.id}'s classes`);
    if (!model.cycles) {
      const fold = byRow[trialId];
      if (fold === undefined) throw new ApiError('input', `trial ${trialId} is not in the data of model ${model.id}`);
      rows.push({ trialId, subject: trial.subject, label, target, fold, x: fold >= 0 ? trialCurves(ctx, model, trialId) : new Float32Array(0) });
      continue;
    }
    const cycles = insoleCycleRows(ctx.db, trialId, basename(ctx.dbPath));
    const known = cycles.filter((c) => byRow[c.rowId] !== undefined);
    if (known.length === 0) {
      throw new ApiError('input', `trial ${trialId}: none of its ${cycles.length} gait cycles as stored now is one model ${model.id} was trained on (cycles extracted again since); train the model again`);
    }
    for (const c of known) rows.push({ trialId, rowKey: c.rowId, subject: trial.subject, label, target, fold: byRow[c.rowId], x: Float32Array.from(c.curves) });
  }
  return rows;
}
