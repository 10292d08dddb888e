// The training data of a job, read from the store: every labelled trial of a cohort as one row of its
// time-normalised curves (all channels of the first trial, in order), and the data selection that a model
// records (trial ids with their content hashes) so that its numbers can be traced back to the trials.
import { InputError } from '../../src-shared/domain/errors';
import type { CurveDataset } from '../methods/logreg/state';
import type { Db } from '../store/db';
import { readSignals } from '../store/queries';
import { decodeSamples } from '../store/sample-codec';
import { readLabelledTrials } from '../store/training-data';

/** Session keys of the two versions of the clinical GRF trials (formats/horst-mat.ts). */
export const FULL_VERSION = 'full';
export const VERTICAL_ONLY_VERSION = 'shearzero';

export interface DataSpec { cohort: string; session?: string | null }

export interface DataSelection {
  cohort: string;
  session: string | null;
  label: 'subject group';
  channels: string[];
  points: number;
  trials: { id: string; sha256: string | null; subject: string; label: string }[];
  /** Rows are one side of a trial each (channels `<name>_left`/`_right` split: src-shared/sae/side-rows.ts). */
  perSide?: boolean;
}

export function loadCurveDataset(db: Db, spec: DataSpec, dbName: string): { data: CurveDataset; selection: DataSelection } {
  let rows = readLabelledTrials(db, spec.cohort, spec.session ?? null);
  let session = spec.session ?? null;
  // The clinical GRF .mat files hold the same trials twice, as sessions 'full' (6 channels) and 'shearzero'
  // (vertical forces only; formats/horst-mat.ts names them): by default a method uses the full version, never
  // both at once; --session shearzero selects the other.
  const keys = new Set(rows.map((r) => r.session));
  if (session === null && keys.has(FULL_VERSION) && keys.has(VERTICAL_ONLY_VERSION)) {
    session = FULL_VERSION;
    rows = rows.filter((r) => r.session === FULL_VERSION);
  }
  if (rows.length === 0) throw new InputError(dbName, null, 'cohort', `no trials of cohort "${spec.cohort}"${spec.session ? ` in session "${spec.session}"` : ''} with a subject group; import the data first`);
  const first = readSignals(db, rows[0].trialId);
  const channels = first.map((s) => s.channel);
  const points = first[0]?.samples ?? 0;
  if (channels.length === 0 || points === 0) throw new InputError(dbName, null, 'signals', `trial ${rows[0].trialId} has no samples`);
  const features = channels.length * points;
  const x = new Float32Array(rows.length * features);
  rows.forEach((row, i) => {
    const signals = readSignals(db, row.trialId);
    channels.forEach((name, c) => {
      const s = signals.find((g) => g.channel === name);
      if (!s) throw new InputError(dbName, null, 'signals', `trial ${row.trialId} has no channel "${name}" (the first trial, ${rows[0].trialId}, has it)`);
      if (s.samples !== points) throw new InputError(dbName, null, 'signals', `trial ${row.trialId} channel "${name}" has ${s.samples} samples, expected ${points}`);
      x.set(decodeSamples(s.data, s.encoding, s.samples, `trial ${row.trialId} channel ${name}`), i * features + c * points);
    });
  });
  return {
    data: { x, rows: rows.length, features, labels: rows.map((r) => r.group), subjects: rows.map((r) => r.subjectId), channels, points },
    selection: { cohort: spec.cohort, session, label: 'subject group', channels, points, trials: rows.map((r) => ({ id: r.trialId, sha256: r.contentSha256, subject: r.subjectId, label: r.group })) },
  };
}
