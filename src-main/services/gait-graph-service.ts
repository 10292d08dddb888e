// The gait graph's data in one call (panels per sheet with left and right mean ± SD, foot-off, reference bands)
// and the Gait Profile Score of a trial, session or subject against a stored reference set.
import type { GaitGraphPanel } from '../../src-shared/api/references';
import type { ApiResponse } from '../../src-shared/api/schema';
import { gaitProfileScore as gps, type CurvesBySide } from '../../src-shared/gait-graph/gps';
import { kineticsScale } from '../../src-shared/gait-graph/kinetics-units';
import { GPS_VARIABLES, pigChannelName, PLANES, type GraphSide, type Plane } from '../../src-shared/gait-graph/pig-variables';
import { curveMeanSd } from '../../src-shared/signal/curve-stats';
import { getTrial } from '../store/queries';
import { readReferenceSet, type ReferenceCurve, type StoredReferenceSet } from '../store/references';
import type { ServiceContext } from './context';
import { resolveReference, type ReferenceKey } from './reference-service';
import { scopeCycles, subjectBodyMassKg, type ChannelCycle, type Scope, type ScopeCycles } from './subject-cycles';

const SIDES: readonly GraphSide[] = ['left', 'right'];
const round = (v: number) => Math.round(v * 1e4) / 1e4;

function sideMean(cycles: ChannelCycle[] | undefined): { mean: Float64Array; sd: Float64Array; n: number; footOffPct: number | null } | null {
  if (!cycles?.length) return null;
  const s = curveMeanSd(cycles.map((c) => c.curve))!;
  const offs = cycles.map((c) => c.footOffPct).filter((v): v is number => v !== null);
  return { ...s, footOffPct: offs.length ? offs.reduce((a, b) => a + b, 0) / offs.length : null };
}

function gpsOf(cycles: ScopeCycles, reference: StoredReferenceSet): Omit<ApiResponse<'gaitProfileScore'>, 'reference' | 'trials' | 'unextracted'> {
  const refByChannel = new Map(reference.curves.map((c) => [c.channel, c]));
  const curves: CurvesBySide = { left: {}, right: {} };
  const used = new Map<string, { channel: string; cycles: number }>();
  for (const side of SIDES) {
    for (const v of GPS_VARIABLES) {
      const channel = pigChannelName(v.point, side, v.plane);
      const subject = sideMean(cycles.byChannel.get(channel)?.filter((c) => c.side === side));
      const ref = refByChannel.get(channel);
      if (!subject || !ref) continue;
      curves[side][v.key] = { subject: subject.mean, reference: ref.mean };
      used.set(`${side}:${v.key}`, { channel, cycles: subject.n });
    }
  }
  const r = gps(curves);
  return {
    unit: 'deg',
    map: r.map.map((e) => ({ ...e, gvs: round(e.gvs), ...used.get(`${e.side}:${e.variable}`)! })),
    gps: { left: r.gps.left === null ? null : round(r.gps.left), right: r.gps.right === null ? null : round(r.gps.right) },
    overall: r.overall === null ? null : round(r.overall),
    missing: r.missing,
  };
}

export function gaitProfileScore(ctx: ServiceContext, req: Scope & { reference: ReferenceKey }): ApiResponse<'gaitProfileScore'> {
  const summary = resolveReference(ctx, req.reference);
  const reference = readReferenceSet(ctx.db, summary.id)!;
  // Reads only, as getCycles does: trials whose cycles are not extracted are listed for the caller to extract.
  const channels = new Set(SIDES.flatMap((side) => GPS_VARIABLES.map((v) => pigChannelName(v.point, side, v.plane))));
  const cycles = scopeCycles(ctx, req, { extract: false, channels });
  return { reference: summary, trials: cycles.trials, unextracted: cycles.unextracted, ...gpsOf(cycles, reference) };
}

function bodyMassOf(ctx: ServiceContext, req: Scope): number | null {
  const subjectId = req.subjectId ?? (req.trialId ? getTrial(ctx.db, req.trialId)?.subjectId : undefined);
  return subjectId ? subjectBodyMassKg(ctx, subjectId) : null;
}

const COLUMN_LABEL: Record<Plane, string> = { sagittal: 'Sagittal', frontal: 'Frontal', transverse: 'Transverse' };

interface RowSpec { key: string; label: string; point: string; columns: (Plane | null)[]; kinetics: boolean }

// Powers: Plug-in-Gait writes the joint's total power in the _z component; one panel per power row.
const KINEMATIC_ROWS: RowSpec[] = [
  { key: 'pelvis', label: 'Pelvis', point: 'PelvisAngles' },
  { key: 'hip', label: 'Hip', point: 'HipAngles' },
  { key: 'knee', label: 'Knee', point: 'KneeAngles' },
  { key: 'ankle', label: 'Ankle', point: 'AnkleAngles' },
  { key: 'foot', label: 'Foot progression', point: 'FootProgressAngles' },
].map((r) => ({ ...r, columns: r.key === 'foot' ? [null, null, 'transverse'] : [...PLANES], kinetics: false }));
const KINETIC_ROWS: RowSpec[] = [
  ...['Hip', 'Knee', 'Ankle'].map((j) => ({ key: `${j.toLowerCase()}_moment`, label: `${j} moment`, point: `${j}Moment`, columns: [...PLANES], kinetics: true })),
  ...['Hip', 'Knee', 'Ankle'].map((j) => ({ key: `${j.toLowerCase()}_power`, label: `${j} power`, point: `${j}Power`, columns: [null, null, 'transverse' as Plane], kinetics: true })),
];

function panelFor(row: RowSpec, plane: Plane, cycles: ScopeCycles, refs: Map<string, ReferenceCurve>, massKg: number | null, individual: boolean): GaitGraphPanel {
  const channels = { left: pigChannelName(row.point, 'left', plane), right: pigChannelName(row.point, 'right', plane) };
  const anyCycle = cycles.byChannel.get(channels.left)?.[0] ?? cycles.byChannel.get(channels.right)?.[0];
  const storedUnit = anyCycle?.unit ?? refs.get(channels.left)?.unit ?? (row.kinetics ? '' : 'deg');
  const scale = row.kinetics ? kineticsScale(storedUnit, massKg) : null;
  const factor = scale?.factor ?? 1;
  const unit = scale?.unit ?? storedUnit;
  const side = (s: GraphSide): GaitGraphPanel['left'] => {
    const cs = cycles.byChannel.get(channels[s])?.filter((c) => c.side === s);
    const m = sideMean(cs);
    if (!m) return null;
    return {
      channel: cs![0].channel, mean: Array.from(m.mean, (v) => round(v * factor)), sd: Array.from(m.sd, (v) => round(v * Math.abs(factor))), n: m.n,
      footOffPct: m.footOffPct === null ? null : round(m.footOffPct),
      ...(individual ? { cycles: cs!.map((c) => c.curve.map((v) => round(v * factor))) } : {}),
    };
  };
  // A reference band is drawn in the panel's unit: as stored, or per kg when it was stored per kg in other units.
  const ref = (s: GraphSide) => {
    const r = refs.get(channels[s]);
    if (!r) return null;
    if (r.unit === unit) return r;
    const rs = row.kinetics ? kineticsScale(r.unit, null) : null;
    return rs && rs.unit === unit ? { ...r, unit, mean: r.mean.map((v) => v * rs.factor), sd: r.sd.map((v) => v * rs.factor) } : null;
  };
  return {
    row: row.key, column: plane, title: `${row.label} ${row.columns.filter(Boolean).length > 1 ? COLUMN_LABEL[plane].toLowerCase() : ''}`.trim(), unit,
    unitNote: scale?.note ?? null, channels, left: side('left'), right: side('right'), reference: { left: ref('left'), right: ref('right') },
  };
}

export function gaitGraph(ctx: ServiceContext, req: Scope & { reference?: ReferenceKey; individualCycles?: boolean }): ApiResponse<'gaitGraph'> {
  const summary = req.reference ? resolveReference(ctx, req.reference) : null;
  const reference = summary ? readReferenceSet(ctx.db, summary.id)! : null;
  // The page reads: it does not extract. Trials without current cycles are listed for the page to offer extraction.
  const channels = new Set([...KINEMATIC_ROWS, ...KINETIC_ROWS].flatMap((r) => r.columns.flatMap((p) => (p ? SIDES.map((side) => pigChannelName(r.point, side, p)) : []))));
  const cycles = scopeCycles(ctx, req, { extract: false, channels });
  const massKg = bodyMassOf(ctx, req);
  const refs = new Map((reference?.curves ?? []).map((c) => [c.channel, c]));
  const sheet = (key: string, label: string, rows: RowSpec[]) => ({
    key, label, columns: PLANES.map((p) => COLUMN_LABEL[p]), rows: rows.map((r) => ({ key: r.key, label: r.label })),
    panels: rows.flatMap((r) => r.columns.filter((p): p is Plane => p !== null).map((p) => panelFor(r, p, cycles, refs, massKg, !!req.individualCycles))),
  });
  return {
    trials: cycles.trials, unextracted: cycles.unextracted, bodyMassKg: massKg, reference: summary,
    sheets: [sheet('kinematics', 'Kinematics', KINEMATIC_ROWS), sheet('kinetics', 'Kinetics', KINETIC_ROWS)],
    gps: reference ? gpsOf(cycles, reference) : null,
  };
}
