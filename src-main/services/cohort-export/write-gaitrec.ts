// GaitRec-compatible files (Horsak et al. 2020): `GRF_<F_V|F_AP|F_ML|COP_AP|COP_ML>_<PRO|RAW>_<left|right>.csv`
// with SUBJECT_ID, SESSION_ID, TRIAL_ID and the samples, and `GRF_metadata.csv` with the database's 20 columns.
// GaitRec's ids are integers: the export numbers subjects and visits from 1 and writes `keys.csv` mapping them
// to GaitLab's pseudonyms, so the source's own subject codes do not leave. Channels already in GaitRec's shape
// (imported from GaitRec or Gutenberg) are written as they are; other channels are named in the manifest as left out.
import type { VisitRow } from '../../store/cohort-rows';
import { writeCsv } from './write-tables';

const CHANNEL = /^(F_V|F_AP|F_ML|COP_AP|COP_ML)_(PRO|RAW)_(left|right)$/;
const CLASS_LABELS = new Set(['HC', 'H', 'K', 'A', 'C']);
const METADATA_COLUMNS = [
  'SUBJECT_ID', 'SESSION_ID', 'CLASS_LABEL', 'CLASS_LABEL_DETAILED', 'SEX', 'AGE', 'HEIGHT', 'BODY_WEIGHT',
  'BODY_MASS', 'SHOE_SIZE', 'AFFECTED_SIDE', 'SHOD_CONDITION', 'ORTHOPEDIC_INSOLE', 'SPEED', 'READMISSION',
  'SESSION_TYPE', 'SESSION_DATE', 'TRAIN', 'TRAIN_BALANCED', 'TEST',
] as const;

export interface GaitrecTrial { id: string; subjectId: string; sessionId: string; key: string; channels: { name: string; values: ArrayLike<number> }[] }

export interface GaitrecResult { files: string[]; curves: number; leftOut: string[] }

/** Whether a channel can be written in GaitRec's layout. */
export const isGaitrecChannel = (name: string) => CHANNEL.test(name);

export function writeGaitrec(dir: string, visits: VisitRow[], trials: GaitrecTrial[]): GaitrecResult {
  const leftOut: string[] = [];
  const subjectNo = new Map<string, number>();
  const sessionNo = new Map<string, number>();
  for (const v of visits) {
    if (!subjectNo.has(v.subjectId)) subjectNo.set(v.subjectId, subjectNo.size + 1);
    sessionNo.set(v.sessionId, sessionNo.size + 1);
  }
  const trialNo = trialNumbers(trials);
  const files = new Map<string, { samples: number; rows: (string | number)[][] }>();
  const other = new Set<string>();
  let curves = 0;
  for (const t of trials) {
    for (const c of t.channels) {
      if (!CHANNEL.test(c.name)) { other.add(c.name); continue; }
      const file = files.get(c.name) ?? { samples: 0, rows: [] };
      file.samples = Math.max(file.samples, c.values.length);
      file.rows.push([subjectNo.get(t.subjectId)!, sessionNo.get(t.sessionId)!, trialNo.get(t.id)!, ...Array.from(c.values)]);
      files.set(c.name, file);
      curves++;
    }
  }
  if (other.size) leftOut.push(`channels not in GaitRec's layout (GRF_<component>_<PRO|RAW>_<side>): ${[...other].slice(0, 8).join(', ')}${other.size > 8 ? `, … (${other.size - 8} more)` : ''}`);
  const written: string[] = [];
  for (const [name, f] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const [, component, processing] = CHANNEL.exec(name)!;
    const prefix = `${component}_${processing}`;
    // RAW rows have each trial's own length: shorter rows are padded with NaN, as the databases do.
    const rows = f.rows.map((r) => [...r, ...Array(3 + f.samples - r.length).fill('NaN')]);
    written.push(writeCsv(dir, `GRF_${name}.csv`, ['SUBJECT_ID', 'SESSION_ID', 'TRIAL_ID', ...Array.from({ length: f.samples }, (_, k) => `${prefix}_${k + 1}`)], rows));
  }
  const exported = visits.filter((v) => trials.some((t) => t.sessionId === v.sessionId));
  const groups = [...new Set(exported.map((v) => (v.group ?? '').toUpperCase()))];
  if (groups.every((g) => CLASS_LABELS.has(g))) {
    written.push(writeCsv(dir, 'GRF_metadata.csv', [...METADATA_COLUMNS], exported.map((v) => metadataRow(v, subjectNo.get(v.subjectId)!, sessionNo.get(v.sessionId)!))));
  } else {
    leftOut.push(`GRF_metadata.csv: groups ${groups.filter((g) => !CLASS_LABELS.has(g)).map((g) => g || '(none)').join(', ')} are not GaitRec classes (HC, H, K, A, C); subjects.csv and sessions.csv hold the metadata`);
  }
  written.push(writeCsv(dir, 'keys.csv', ['SUBJECT_ID', 'SESSION_ID', 'subject', 'session'],
    exported.map((v) => [subjectNo.get(v.subjectId)!, sessionNo.get(v.sessionId)!, v.subjectId, v.sessionId])));
  return { files: written, curves, leftOut };
}

/** TRIAL_ID: the number in a trial key such as `trial-7` when it is unique within the visit, else 1, 2, … in order. */
function trialNumbers(trials: GaitrecTrial[]): Map<string, number> {
  const out = new Map<string, number>();
  const bySession = new Map<string, GaitrecTrial[]>();
  for (const t of trials) bySession.set(t.sessionId, [...(bySession.get(t.sessionId) ?? []), t]);
  for (const list of bySession.values()) {
    const numbers = list.map((t) => /^(?:trial-)?(\d+)$/.exec(t.key)?.[1]).map((n) => (n === undefined ? NaN : Number(n)));
    const usable = numbers.every(Number.isSafeInteger) && new Set(numbers).size === numbers.length;
    list.forEach((t, k) => out.set(t.id, usable ? numbers[k] : k + 1));
  }
  return out;
}

const NAN = 'NaN';
const codeOf = (codes: Record<string, string>, v: unknown) => (typeof v === 'string' && v in codes ? codes[v] : typeof v === 'number' ? String(v) : NAN);
const num = (v: unknown, scale = 1) => (typeof v === 'number' && Number.isFinite(v) ? String(Math.round(v * scale * 1e6) / 1e6) : NAN);

function metadataRow(v: VisitRow, subject: number, session: number): (string | number)[] {
  const a = (k: string) => v.sessionAttributes[k]?.value ?? v.subjectAttributes[k]?.value ?? null;
  const date = v.date && /^(\d{4})-(\d{2})-(\d{2})/.exec(v.date);
  return [
    subject, session, (v.group ?? '').toUpperCase(), typeof a('class_label_detailed') === 'string' ? (a('class_label_detailed') as string) : (v.group ?? '').toUpperCase(),
    v.sex === 'female' ? '0' : v.sex === 'male' ? '1' : NAN,
    num(v.age), num(a('height'), 100), num(a('body_weight')), num(a('body_mass')), num(a('shoe_size')),
    codeOf({ left: '0', right: '1', both: '2' }, a('affected_side')),
    codeOf({ barefoot: '0', shoes: '1', 'orthopaedic shoes': '2' }, a('shod_condition')),
    num(a('orthopedic_insole')),
    codeOf({ slow: '1', 'self-selected': '2', fast: '3' }, a('speed_category')),
    num(a('readmission')), num(a('session_type')),
    date ? `${date[3]}.${date[2]}.${date[1]}` : NAN,
    num(a('train')), num(a('train_balanced')), num(a('test')),
  ];
}
