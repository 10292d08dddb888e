// The rows a training job reads, by what its method trains on (Trainable.dataKind), with each row's trial id so
// that the model's data selection can record how trials were used (a cycle dataset has many rows per trial).
import { oneRowPerSide } from '../../src-shared/sae/side-rows';
import type { CurveDataset } from '../methods/logreg/state';
import type { Db } from '../store/db';
import { loadCurveDataset, type DataSelection, type DataSpec } from './curve-dataset';
import { loadCycleDataset, type CycleDataSelection } from './cycle-dataset';
import { loadSideCycleDataset, type SideCycleSelection } from './side-cycle-dataset';
import type { JobTrainable } from './trainable';

export function loadJobData(db: Db, kind: JobTrainable['dataKind'], spec: DataSpec & { channels?: string[] }, dbName: string):
  { data: CurveDataset; selection: DataSelection | CycleDataSelection | SideCycleSelection; rowTrialIds: string[] } {
  if (kind === 'cycles') {
    const { data, selection } = loadCycleDataset(db, spec, dbName);
    return { data, selection, rowTrialIds: data.trials };
  }
  if (kind === 'trials-or-side-cycles' && spec.channels?.length) {
    const { data, selection, rows } = loadSideCycleDataset(db, spec, dbName);
    return { data, selection, rowTrialIds: rows.map((r) => r.trialId) };
  }
  const { data, selection } = loadCurveDataset(db, spec, dbName);
  const trialIds = selection.trials.map((t) => t.id);
  // The sparse autoencoders take one sample per (trial, side) where a trial's channels are left/right pairs
  // (GaitRec / Gutenberg PRO curves, methods-spec §5.2.3), the side a tag of the row.
  const perSide = kind === 'trials-or-side-cycles' ? oneRowPerSide(data) : null;
  if (perSide) return { data: perSide.data, selection: { ...selection, perSide: true }, rowTrialIds: perSide.sourceRow.map((r) => trialIds[r]) };
  return { data, selection, rowTrialIds: trialIds };
}
