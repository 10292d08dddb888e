// The training data of a Horst model on insole walks (gaitpdb, methods-spec §5.1.3 b): one row per clean gait
// cycle with the 18 channels in file order (L1–L8, R1–R8, L_total, R_total), 101 points each. The cycles are
// GaitLab's own, as stored by the cycle segmentation on the totals (the service that queues the job extracts them
// where missing); the sensor channels are cut on the same intervals by the segmentation's own cutter
// (cutChannelCycles, as every motion-capture channel is), so a row's 18 curves share one stride.
import { InputError } from '../../src-shared/domain/errors';
import { cutChannelCycles } from '../../src-shared/signal/channel-cycles';
import type { CurveDataset } from '../methods/logreg/state';
import { readCycles } from '../store/cycles';
import type { Db } from '../store/db';
import { readChannelMeta } from '../store/trial-meta';
import { readLabelledTrials } from '../store/training-data';
import { loadTrialChannels } from '../services/trial-channels';
import type { DataSelection, DataSpec } from './curve-dataset';

/** §5.1.3 (b): C = 18 in file order. */
export const INSOLE_CHANNELS: readonly string[] = [
  ...Array.from({ length: 8 }, (_, i) => `L${i + 1}`), ...Array.from({ length: 8 }, (_, i) => `R${i + 1}`), 'L_total', 'R_total',
];
/** The stride that makes a row: the left foot's gait cycle (left heel strike to the next), cut on L_total. */
export const CYCLE_CHANNEL = 'L_total';
const POINTS = 101;

export interface InsoleCycleSelection extends Omit<DataSelection, 'trials'> {
  kind: 'insole gait cycle';
  cycleChannel: string;
  trials: { id: string; sha256: string | null; subject: string; label: string; cycles: number }[];
}

/** Whether the cohort's trials are insole walks (time signals with the 18 insole channels), not stored curves. */
export function isInsoleCohort(db: Db, spec: DataSpec): boolean {
  const first = readLabelledTrials(db, spec.cohort, spec.session ?? null)[0];
  if (!first) return false;
  const meta = readChannelMeta(db, first.trialId);
  return INSOLE_CHANNELS.every((name) => meta.some((c) => c.name === name && c.domain === 'time'));
}

/** Row id of a cycle in a model's data selection: trial id and stride start (s). */
export function cycleRowId(trial: string, startS: number): string {
  return `${trial}@${startS.toFixed(4)}`;
}

/** One gait cycle of a walk as a model row: its id (trial @ stride start), start (s) and 18 × 101 curves, channel-major. */
export interface InsoleCycleRow { rowId: string; startS: number; curves: Float32Array }

/**
 * The clean left gait cycles of one walk as stored now, cut on every insole channel: the rows a model of this
 * walk was trained on (and the rows explained later: a row is found again by its id). Flagged cycles (incomplete,
 * implausible, in a turn) stay in the store and out of models, as for every method; a cycle reaching past the
 * signal is left out.
 */
export function insoleCycleRows(db: Db, trialId: string, dbName: string): InsoleCycleRow[] {
  const stored = readCycles(db, trialId, { kind: 'gait_cycle', channel: CYCLE_CHANNEL });
  const clean = stored.filter((c) => c.flags.length === 0 && c.side === 'left').sort((a, b) => a.startS - b.startS);
  if (clean.length === 0) return [];
  const width = INSOLE_CHANNELS.length * POINTS;
  const channels = loadTrialChannels(db, trialId);
  const named = INSOLE_CHANNELS.map((name) => {
    const ch = channels.get(name);
    if (!ch || !ch.rateHz) throw new InputError(dbName, null, 'signals', `trial ${trialId} has no time channel "${name}" (an insole walk has ${INSOLE_CHANNELS.join(', ')})`);
    return { name, values: ch.values, rateHz: ch.rateHz };
  });
  const { curves, outside } = cutChannelCycles(clean.map((c) => ({ startS: c.startS, endS: c.endS })), named, POINTS);
  const skip = new Set(outside.map((o) => o.cycle));
  const block = new Float32Array(clean.length * width);
  for (const k of curves) block.set(k.curve, k.cycle * width + INSOLE_CHANNELS.indexOf(k.channel) * POINTS);
  return clean.flatMap((c, i) => (skip.has(i) ? [] : [{ rowId: cycleRowId(trialId, c.startS), startS: c.startS, curves: block.subarray(i * width, (i + 1) * width) }]));
}

export function loadInsoleCycleDataset(db: Db, spec: DataSpec, dbName: string): { data: CurveDataset & { continuousWalks: true }; selection: InsoleCycleSelection; rowIds: string[] } {
  const trials = readLabelledTrials(db, spec.cohort, spec.session ?? null);
  if (trials.length === 0) throw new InputError(dbName, null, 'cohort', `no trials of cohort "${spec.cohort}"${spec.session ? ` in session "${spec.session}"` : ''} with a subject group; import the data first`);
  const width = INSOLE_CHANNELS.length * POINTS;
  const blocks: Float32Array[] = [];
  const labels: string[] = [], subjects: string[] = [];
  const selected: InsoleCycleSelection['trials'] = [];
  const rowIds: string[] = [];
  let missingCycles = 0;
  for (const t of trials) {
    if (readCycles(db, t.trialId, { kind: 'gait_cycle', channel: CYCLE_CHANNEL }).length === 0) missingCycles++;
    const rows = insoleCycleRows(db, t.trialId, dbName);
    for (const r of rows) {
      blocks.push(r.curves);
      labels.push(t.group); subjects.push(t.subjectId);
      rowIds.push(r.rowId);
    }
    if (rows.length > 0) selected.push({ id: t.trialId, sha256: t.contentSha256, subject: t.subjectId, label: t.group, cycles: rows.length });
  }
  if (blocks.length === 0) {
    throw new InputError(dbName, null, 'cohort', `no clean gait cycles of ${CYCLE_CHANNEL} in cohort "${spec.cohort}" (${trials.length} trials, ${missingCycles} never extracted: gaitlab cycles <trial>)`);
  }
  const x = new Float32Array(blocks.length * width);
  blocks.forEach((b, r) => x.set(b, r * width));
  return {
    data: { x, rows: blocks.length, features: width, labels, subjects, channels: [...INSOLE_CHANNELS], points: POINTS, continuousWalks: true },
    selection: {
      cohort: spec.cohort, session: spec.session ?? null, label: 'subject group', kind: 'insole gait cycle', cycleChannel: CYCLE_CHANNEL,
      channels: [...INSOLE_CHANNELS], points: POINTS, trials: selected,
    },
    // Rows are recorded by id (trial @ stride start) with their fold: the model's data selection names every cycle.
    rowIds,
  };
}
