// The training data of a curve model (the hierarchical GP): the stored, clean gait cycles of the named cycle
// channels (as `gaitlab cycles --json` names them, e.g. L_total and R_total) of every labelled trial of a cohort,
// one row per cycle with its subject's group, the subject and the limb (L or R, from the cycle's side), and the
// data selection that records the trials with their content hashes and how many cycles each gave.
// The cycles are read as stored: the service that queues the job extracts them where missing or stale first.
import { InputError } from '../../src-shared/domain/errors';
import type { GpCycleDataset } from '../methods/gp';
import { readCycles } from '../store/cycles';
import type { Db } from '../store/db';
import { readLabelledTrials } from '../store/training-data';
import type { DataSelection, DataSpec } from './curve-dataset';

export interface CycleDataSelection extends Omit<DataSelection, 'trials' | 'label'> {
  label: 'subject group';
  kind: 'gait_cycle';
  trials: { id: string; sha256: string | null; subject: string; label: string; cycles: number }[];
}

export function loadCycleDataset(db: Db, spec: DataSpec & { channels?: string[] }, dbName: string): { data: GpCycleDataset; selection: CycleDataSelection } {
  const channels = spec.channels ?? [];
  if (channels.length === 0) throw new InputError(dbName, null, 'signal', 'name the cycle channels to fit (e.g. L_total,R_total)');
  const rows = readLabelledTrials(db, spec.cohort, spec.session ?? null);
  const curves: number[][] = [];
  const labels: string[] = [], subjects: string[] = [], limbs: string[] = [], trials: string[] = [];
  const selected: CycleDataSelection['trials'] = [];
  let points = 0;
  for (const row of rows) {
    let count = 0;
    for (const channel of channels) {
      for (const c of readCycles(db, row.trialId, { kind: 'gait_cycle', channel })) {
        // Flagged cycles (incomplete, implausible, in a turn) are kept in the store and left out of models.
        if (c.flags.length > 0 || (c.side !== 'left' && c.side !== 'right')) continue;
        if (points === 0) points = c.curve.length;
        if (c.curve.length !== points) throw new InputError(dbName, null, 'signal', `trial ${row.trialId} channel "${channel}" has cycles of ${c.curve.length} points, others ${points}`);
        curves.push(c.curve);
        labels.push(row.group); subjects.push(row.subjectId); limbs.push(c.side === 'left' ? 'L' : 'R'); trials.push(row.trialId);
        count++;
      }
    }
    if (count > 0) selected.push({ id: row.trialId, sha256: row.contentSha256, subject: row.subjectId, label: row.group, cycles: count });
  }
  if (curves.length === 0) throw new InputError(dbName, null, 'cohort', `no clean gait cycles of ${channels.join(', ')} in cohort "${spec.cohort}"`);
  const x = new Float32Array(curves.length * points);
  curves.forEach((c, r) => x.set(c, r * points));
  return {
    data: { x, rows: curves.length, features: points, labels, subjects, channels, points, limbs, trials },
    selection: { cohort: spec.cohort, session: spec.session ?? null, label: 'subject group', kind: 'gait_cycle', channels, points, trials: selected },
  };
}
