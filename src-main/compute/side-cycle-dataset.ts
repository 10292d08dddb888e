// The training data of a curve dictionary (the sparse autoencoders) on walks: one row per clean gait cycle of
// one side, as GaitLab's own segmentation stored it (101 points, time-normalised), with side-neutral channels.
// A pair of cycle channels such as L_total / R_total becomes one channel "total": the left cycles of L_total
// and the right cycles of R_total are rows alike, so a dictionary learns one vocabulary for both feet and a
// retrieval compares any foot with any foot. Several pairs are joined per cycle by its start time (the cycles
// of one side's channels are cut from the same events). Flagged cycles are left out, as for every model. Forces
// (channels in N) are divided by body weight (×BW, as the clinical GRF curves are), so that a dictionary learns
// gait rather than mass: subjects without a body mass are then left out and named.
import { InputError } from '../../src-shared/domain/errors';
import type { CurveDataset } from '../methods/logreg/state';
import { readCycles } from '../store/cycles';
import type { Db } from '../store/db';
import { readLabelledTrials, subjectBodyMassKg } from '../store/training-data';
import type { DataSelection, DataSpec } from './curve-dataset';

export const SIDE_PREFIX = /^(L|R|Left|Right)(?=[_ ]|[A-Z])[_ ]?/;

/** The side-neutral name of a sided channel ("L_total" → "total", "RKneeAngles_x" → "KneeAngles_x"), or null. */
export function sideNeutralName(channel: string): { side: 'left' | 'right'; name: string } | null {
  const m = SIDE_PREFIX.exec(channel);
  if (!m) return null;
  const name = channel.slice(m[0].length);
  if (!name) return null;
  return { side: m[1].startsWith('L') ? 'left' : 'right', name };
}

/** The channel pairs among cycle channel names: every X with both a left and a right channel, in first-seen order. */
export function pairedCycleChannels(names: Iterable<string>): { name: string; left: string; right: string }[] {
  const left = new Map<string, string>(), right = new Map<string, string>();
  const order: string[] = [];
  for (const n of names) {
    const s = sideNeutralName(n);
    if (!s) continue;
    (s.side === 'left' ? left : right).set(s.name, n);
    if (!order.includes(s.name)) order.push(s.name);
  }
  return order.filter((n) => left.has(n) && right.has(n)).map((n) => ({ name: n, left: left.get(n)!, right: right.get(n)! }));
}

export interface SideCycleSelection extends Omit<DataSelection, 'trials' | 'label'> {
  label: 'subject group';
  kind: 'side-cycles';
  /** Per side-neutral channel, the stored cycle channels it is made of. */
  pairs: { name: string; left: string; right: string }[];
  trials: { id: string; sha256: string | null; subject: string; label: string; cycles: number }[];
  /** Per side-neutral channel, the unit of its rows (×BW for forces divided by body weight). */
  units: string[];
  /** Forces (N) divided by body mass × g; absent on selections made before it (then none were). */
  bodyWeight?: boolean;
  /** Subjects left out, with why (no body mass for a force channel). */
  leftOut?: { subject: string; reason: string }[];
}

export const STANDARD_GRAVITY = 9.80665;

/** Per dataset row: its trial, side and the stored cycle id of its first channel (not stored with a model). */
export interface SideCycleRow { trialId: string; side: 'left' | 'right'; cycleId: string; startS: number }

export function loadSideCycleDataset(db: Db, spec: DataSpec & { channels?: string[]; bodyWeight?: boolean }, dbName: string): { data: CurveDataset; selection: SideCycleSelection; rows: SideCycleRow[] } {
  const bodyWeight = spec.bodyWeight ?? true;
  const pairs = pairedCycleChannels(spec.channels ?? []);
  if (pairs.length === 0) throw new InputError(dbName, null, 'signal', `name left/right pairs of cycle channels (e.g. L_total,R_total); got ${(spec.channels ?? []).join(', ') || 'none'}`);
  const trials = readLabelledTrials(db, spec.cohort, spec.session ?? null);
  const massKg = bodyWeight ? subjectBodyMassKg(db, [...new Set(trials.map((t) => t.subjectId))]) : new Map<string, number>();
  const leftOut = new Map<string, string>();
  const units: string[] = pairs.map(() => '');
  const curves: number[][][] = [];
  const labels: string[] = [], subjects: string[] = [], rows: SideCycleRow[] = [];
  const selected: SideCycleSelection['trials'] = [];
  let points = 0;
  const stored = pairs.flatMap((p) => [p.left, p.right]);
  for (const t of trials) {
    const bySide = { left: new Map<string, Map<string, { id: string; curve: number[]; startS: number }>>(), right: new Map<string, Map<string, { id: string; curve: number[]; startS: number }>>() };
    for (const c of readCycles(db, t.trialId, { kind: 'gait_cycle', channels: stored })) {
      if (c.flags.length > 0 || (c.side !== 'left' && c.side !== 'right')) continue;
      const p = pairs.find((q) => (c.side === 'left' ? q.left : q.right) === c.channel);
      if (!p) continue;
      const k = pairs.indexOf(p);
      let curve = c.curve;
      if (bodyWeight && c.unit === 'N') {
        const kg = massKg.get(t.subjectId);
        if (kg === undefined) { leftOut.set(t.subjectId, 'no body mass (body_mass or weight in kg) to express forces in ×BW'); continue; }
        curve = curve.map((v) => v / (kg * STANDARD_GRAVITY));
        units[k] = '×BW';
      } else if (!units[k]) units[k] = c.unit;
      if (points === 0) points = c.curve.length;
      if (c.curve.length !== points) throw new InputError(dbName, null, 'signal', `trial ${t.trialId} channel "${c.channel}" has cycles of ${c.curve.length} points, others ${points}`);
      const key = c.startS.toFixed(6);
      const m = bySide[c.side];
      if (!m.has(key)) m.set(key, new Map());
      m.get(key)!.set(p.name, { id: c.id, curve, startS: c.startS });
    }
    let count = 0;
    for (const side of ['left', 'right'] as const) {
      for (const cycle of bySide[side].values()) {
        // A cycle counts only when every channel has it clean.
        if (cycle.size !== pairs.length) continue;
        const first = cycle.get(pairs[0].name)!;
        curves.push(pairs.map((p) => cycle.get(p.name)!.curve));
        labels.push(t.group); subjects.push(t.subjectId);
        rows.push({ trialId: t.trialId, side, cycleId: first.id, startS: first.startS });
        count++;
      }
    }
    if (count > 0) selected.push({ id: t.trialId, sha256: t.contentSha256, subject: t.subjectId, label: t.group, cycles: count });
  }
  if (curves.length === 0) throw new InputError(dbName, null, 'cohort', `no clean gait cycles of ${stored.join(', ')} in cohort "${spec.cohort}" (${trials.length} trials${leftOut.size ? `; ${leftOut.size} subjects without a body mass left out` : ''})`);
  const features = pairs.length * points;
  const x = new Float32Array(curves.length * features);
  curves.forEach((cs, r) => cs.forEach((c, k) => x.set(c, r * features + k * points)));
  const channels = pairs.map((p) => p.name);
  return {
    data: { x, rows: curves.length, features, labels, subjects, channels, points },
    selection: {
      cohort: spec.cohort, session: spec.session ?? null, label: 'subject group', kind: 'side-cycles', channels, pairs, points, trials: selected, units, bodyWeight,
      leftOut: [...leftOut].sort().map(([subject, reason]) => ({ subject, reason })),
    },
    rows,
  };
}
