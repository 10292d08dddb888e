// The cohort as tidy tables: subjects, visits, trials, one row per cycle and one row per parameter, each column
// with its type, unit and meaning (the data dictionary is written from the same specs, so it cannot drift).
// Pseudonymised unless the caller asks otherwise: subjects are known by GaitLab's random ids; names, birth dates,
// record numbers, contacts, the source's own subject codes, free-text notes and the visit and trial keys (file
// names often carry a patient's name or code) stay in the database; visits and trials are numbered instead.
import { IDENTITY_FIELDS } from '../../../src-shared/domain/subject-fields';
import type { VisitRow } from '../../store/cohort-rows';

export type ColumnType = 'string' | 'number' | 'int';
export interface ColumnSpec { name: string; type: ColumnType; unit: string | null; description: string }
export type Cell = string | number | null;
export interface ExportTable { name: string; description: string; columns: ColumnSpec[]; rows: Cell[][] }

/** Points of a time-normalised cycle: 0, 1, …, 100 % of the cycle. */
export const CYCLE_POINTS = 101;
export const curveColumn = (k: number) => `p${String(k).padStart(3, '0')}`;

/** Session fields that are free text a clinician wrote: identifying by default. */
const FREE_TEXT_SESSION_FIELDS = new Set(['notes']);

const col = (name: string, type: ColumnType, description: string, unit: string | null = null): ColumnSpec => ({ name, type, unit, description });

/** The keys every per-trial table starts with. */
const TRIAL_KEYS: ColumnSpec[] = [
  col('subject', 'string', "the subject's pseudonym"),
  col('session', 'string', "GaitLab's id of the visit"),
  col('trial', 'string', "GaitLab's id of the trial"),
];

export function subjectsTable(visits: VisitRow[], identifying: boolean): ExportTable {
  const bySubject = new Map<string, VisitRow>();
  for (const v of visits) if (!bySubject.has(v.subjectId)) bySubject.set(v.subjectId, v);
  const attrKeys = new Map<string, string | null>();
  for (const v of bySubject.values()) for (const [k, a] of Object.entries(v.subjectAttributes)) if (!attrKeys.has(k)) attrKeys.set(k, a.unit);
  const keys = [...attrKeys.keys()].sort();
  const numeric = new Set(keys.filter((k) => [...bySubject.values()].every((v) => v.subjectAttributes[k] === undefined || typeof v.subjectAttributes[k].value === 'number')));
  const identityCols = identifying ? ['external_id', ...IDENTITY_FIELDS] : [];
  const columns = [
    col('subject', 'string', "GaitLab's pseudonym of the subject (random, not derived from any identity)"),
    col('cohort', 'string', 'cohort or source dataset the subject belongs to'),
    col('group', 'string', 'group label (e.g. PD, CO, HC)'),
    col('sex', 'string', 'male or female'),
    ...keys.map((k) => col(`attr_${k}`, numeric.has(k) ? 'number' : 'string', `subject attribute ${k}`, attrKeys.get(k) ?? null)),
    ...identityCols.map((f) => col(`identity_${f}`, 'string', `IDENTIFYING: ${f.replace(/_/g, ' ')} (exported only on request)`)),
  ];
  const rows = [...bySubject.values()].map((v) => [
    v.subjectId, v.cohort, v.group, v.sex,
    ...keys.map((k) => v.subjectAttributes[k]?.value ?? null),
    ...identityCols.map((f) => v.identity?.[f] ?? null),
  ]);
  return { name: 'subjects', description: 'one row per subject', columns, rows };
}

export function sessionsTable(visits: VisitRow[], identifying: boolean): ExportTable {
  const fieldKeys = [...new Set(visits.flatMap((v) => Object.keys(v.sessionAttributes)))]
    .filter((k) => identifying || !FREE_TEXT_SESSION_FIELDS.has(k)).sort();
  const columns = [
    col('subject', 'string', "the subject's pseudonym"),
    col('session', 'string', "GaitLab's id of the visit"),
    col('visit', 'int', "the visit's number within its subject, from 1 in date order"),
    ...(identifying ? [col('session_key', 'string', "IDENTIFYING: the visit's key (often a file or folder name)"), col('label', 'string', "IDENTIFYING: the visit's label")] : []),
    col('date', 'string', 'date of the visit, ISO 8601', null),
    col('age', 'number', "subject's age at the visit", 'years'),
    col('condition', 'string', 'walking condition'),
    col('tags', 'string', "the visit's tags, separated by ;"),
    ...fieldKeys.map((k) => col(`field_${k}`, 'string', `visit field ${k}${FREE_TEXT_SESSION_FIELDS.has(k) ? ' (IDENTIFYING free text, exported only on request)' : ''}`)),
  ];
  const visitNo = new Map<string, number>();
  const rows = visits.map((v) => [v.subjectId, v.sessionId, visitNumber(visitNo, v.subjectId), ...(identifying ? [v.session, v.sessionLabel] : []), v.date, v.age, v.condition, v.tags.join(';'),
    ...fieldKeys.map((k) => {
      const x = v.sessionAttributes[k]?.value;
      return x === undefined || x === null ? null : String(x);
    })]);
  return { name: 'sessions', description: 'one row per visit (session)', columns, rows };
}

function visitNumber(seen: Map<string, number>, subjectId: string): number {
  const n = (seen.get(subjectId) ?? 0) + 1;
  seen.set(subjectId, n);
  return n;
}

export interface TrialRow { id: string; subjectId: string; sessionId: string; key: string; format: string | null; durationS: number | null; cycles: number }

export function trialsTable(trials: TrialRow[], identifying: boolean): ExportTable {
  const trialNo = new Map<string, number>();
  return {
    name: 'trials',
    description: 'one row per trial exported (excluded and static trials are left out; the manifest lists them)',
    columns: [
      ...TRIAL_KEYS,
      col('trial_number', 'int', "the trial's number within its visit, from 1"),
      ...(identifying ? [col('trial_key', 'string', "IDENTIFYING: the trial's key (often the file name)")] : []),
      col('source_format', 'string', 'format of the file the trial was imported from'),
      col('duration', 'number', 'duration of the recording', 's'),
      col('cycles', 'int', 'cycles exported for the trial (all channels)'),
    ],
    rows: trials.map((t) => [t.subjectId, t.sessionId, t.id, visitNumber(trialNo, t.sessionId), ...(identifying ? [t.key] : []), t.format, t.durationS, t.cycles]),
  };
}

export interface CycleRow { subjectId: string; sessionId: string; trialId: string; channel: string; side: string | null; kind: string; index: number; startS: number; endS: number; unit: string; flags: string[]; curve: ArrayLike<number> }

export function cyclesTable(cycles: CycleRow[]): ExportTable {
  const columns = [
    ...TRIAL_KEYS,
    col('channel', 'string', 'the channel the curve was cut from'),
    col('side', 'string', 'left, right or empty'),
    col('kind', 'string', 'gait_cycle (foot strike to the next of the same foot) or stance (foot strike to foot off)'),
    col('cycle', 'int', 'index of the cycle within its trial, channel and side, from 1 in time order'),
    col('start', 'number', 'time of the cycle start in the trial', 's'),
    col('end', 'number', 'time of the cycle end in the trial', 's'),
    col('unit', 'string', 'unit of the curve values'),
    col('flags', 'string', "why the cycle is not a clean one (incomplete, implausible duration, in_turn, …), separated by ;"),
    ...Array.from({ length: CYCLE_POINTS }, (_, k) => col(curveColumn(k), 'number', `curve value at ${k} % of the cycle`, 'see unit')),
  ];
  const rows = cycles.map((c) => [c.subjectId, c.sessionId, c.trialId, c.channel, c.side, c.kind, c.index, c.startS, c.endS, c.unit, c.flags.join(';'), ...Array.from(c.curve)]);
  return { name: 'cycles', description: 'one row per time-normalised cycle (101 points)', columns, rows };
}

export interface ParameterRow { subjectId: string; sessionId: string; trialId: string; name: string; side: string | null; mean: number | null; sd: number | null; cv: number | null; n: number; unit: string }

export function parametersTable(params: ParameterRow[]): ExportTable {
  return {
    name: 'parameters',
    description: 'one row per spatiotemporal parameter, side and trial (mean, SD and CV over the trial\'s strides)',
    columns: [
      ...TRIAL_KEYS,
      col('parameter', 'string', 'parameter name (stride_time, cadence, stance_percent, …)'),
      col('side', 'string', 'left, right or empty for both'),
      col('mean', 'number', 'mean over the strides of the trial', 'see unit'),
      col('sd', 'number', 'standard deviation over the strides', 'see unit'),
      col('cv', 'number', 'coefficient of variation (SD / mean × 100)', '%'),
      col('n', 'int', 'strides the summary is over'),
      col('unit', 'string', 'unit of mean and sd'),
    ],
    rows: params.map((p) => [p.subjectId, p.sessionId, p.trialId, p.name, p.side, p.mean, p.sd, p.cv, p.n, p.unit]),
  };
}
