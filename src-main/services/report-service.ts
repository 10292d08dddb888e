// The patient report: assembles what GaitLab computed for a subject (and one visit, optionally compared with
// another) into the report model, issues it as an immutable, audited snapshot, and reads issued ones back.
// Sections for methods not run say so and name the command that runs them: never a hole or a made-up value.
import { randomUUID } from 'node:crypto';
import type { ApiResponse, CycleDto, GaitParameters } from '../../src-shared/api/schema';
import { IDENTITY_FIELDS, SUBJECT_FIELDS } from '../../src-shared/domain/subject-fields';
import { RESEARCH_USE, reportModel, type MethodSection, type ReportCurve, type ReportModel, type ReportParameter } from '../../src-shared/report/model';
import { normalRangeOf, outsideRange } from '../../src-shared/report/normal-range';
import { parameterLabel, parameterRank } from '../../src-shared/report/param-labels';
import { curveMeanSd } from '../../src-shared/signal/curve-stats';
import { schemaVersion } from '../store/db';
import { listModels, readModel } from '../store/models';
import { getSubject, listSubjects } from '../store/queries';
import { insertReport, listReportRows, readReport } from '../store/reports';
import { listRuns } from '../store/runs';
import { ApiError } from './api-errors';
import { throwIfCancelled, type CallContext } from './call-context';
import type { ServiceContext } from './context';
import * as gait from './gait-service';
import * as gp from './gp-service';
import * as sae from './sae-service';
import * as sincpd from './sincpd-service';
import { sincEvidence } from './report-sincpd';
import { relevanceSection } from './report-relevance';
import { version } from './version';

export interface ReportRequest { subjectId: string; sessionId?: string; compareSessionId?: string }

const CONTROL_GROUP = /^(control|controls|co|hc|healthy|healthy control|healthy controls|typical|td)$/i;
/** Attributes worth a line in the header (identity fields never are). */
const HEADER_KEYS = ['age', 'height', 'body_mass', 'weight', 'leg_length', 'diagnosis', 'affected_side', 'hoehn_yahr', 'updrs', 'updrs_motor', 'edss', 'gmfcs'];

export async function buildReport(ctx: ServiceContext, req: ReportRequest, call?: CallContext): Promise<ReportModel> {
  const found = getSubject(ctx.db, req.subjectId);
  if (!found) throw new ApiError('not-found', `no subject ${req.subjectId}`);
  const { subject, sessions } = found;
  const visit = req.sessionId ? sessions.find((s) => s.id === req.sessionId) : undefined;
  if (req.sessionId && !visit) throw new ApiError('input', `session ${req.sessionId} is not a visit of subject ${subject.id}`);
  const compare = req.compareSessionId ? sessions.find((s) => s.id === req.compareSessionId) : undefined;
  if (req.compareSessionId && !compare) throw new ApiError('input', `session ${req.compareSessionId} is not a visit of subject ${subject.id}`);
  const progress = (done: number, stage: string) => call?.progress({ kind: 'progress', task: 'report', stage, done, total: 4 });

  // Cycles where they are missing, as `gaitlab cycles --extract` would: events and cycles are part of every report.
  progress(0, 'gait cycles');
  const scope = { subjectId: subject.id, sessionId: req.sessionId };
  const compareScope = compare ? { subjectId: subject.id, sessionId: compare.id } : null;
  if (gait.cycles(ctx, scope).unextracted.length || (compareScope && gait.cycles(ctx, compareScope).unextracted.length)) gait.extractCycles(ctx, { subjectId: subject.id });
  const params = gait.params(ctx, scope);
  const cycles = gait.cycles(ctx, scope).cycles;
  const compared = compareScope ? gait.params(ctx, compareScope) : null;
  const comparedCycles = compareScope ? gait.cycles(ctx, compareScope).cycles : null;

  progress(1, 'reference group');
  throwIfCancelled(call?.signal, 'the report');
  const reference = referenceGroup(ctx, subject.id, subject.cohort, cycles);

  progress(2, 'methods');
  const methods = await methodSections(ctx, subject.id, subject.cohort, params.trials);

  progress(3, 'assembling');
  const trials = sessions.flatMap((s) => s.trials).filter((t) => params.trials.includes(t.id));
  const allTrials = sessions.flatMap((s) => (req.sessionId && s.id !== req.sessionId ? [] : s.trials));
  const used = new Set(params.trials);
  const model: ReportModel = {
    schema: 1,
    title: `Gait report — ${subject.id}`,
    subject: {
      id: subject.id, cohort: subject.cohort, group: subject.group, sex: subject.sex,
      attributes: HEADER_KEYS.filter((k) => subject.attributes[k]?.value !== null && subject.attributes[k]?.value !== undefined && !(IDENTITY_FIELDS as readonly string[]).includes(k))
        .map((k) => ({ key: k, label: SUBJECT_FIELDS[k]?.label ?? k.replace(/_/g, ' '), value: subject.attributes[k].value!, unit: subject.attributes[k].unit ?? null })),
    },
    visit: visit ? { id: visit.id, label: visit.label, date: visit.date, condition: visit.condition } : { id: null, label: sessions.length === 1 ? 'the one visit' : `all ${sessions.length} visits`, date: null, condition: null },
    compare: compare ? { id: compare.id, label: compare.label, date: compare.date } : null,
    devices: [...new Set(trials.map((t) => t.sourceFormat).filter((f): f is string => !!f))],
    quality: quality(params, cycles, allTrials.filter((t) => !used.has(t.id)).map((t) => ({ trialId: t.id, reason: t.channels === 0 ? 'no channels' : 'excluded or static trial' }))),
    reference: reference ? { description: reference.description, subjects: reference.subjects } : null,
    parameters: parameterRows(params, reference?.parameters ?? new Map(), compared),
    symmetry: params.symmetry.map((s) => {
      const range = reference?.symmetry.get(s.name) ?? null;
      return { name: s.name, label: parameterLabel(s.name), unit: '%', left: s.left.value, right: s.right.value, symmetryIndex: s.symmetryIndex.value, normal: range, outside: outsideRange(s.symmetryIndex.value, range) };
    }),
    curves: withComparedVisit(curvePanels(cycles, params, reference?.curves ?? new Map()), comparedCycles, compare ? visitName(compare) : ''),
    methods,
    provenance: {
      gaitlabVersion: version, createdAt: new Date().toISOString(), schemaVersion: schemaVersion(ctx.db), detector: params.detector,
      runs: params.trials.flatMap((trialId) => latestPerRole(ctx, trialId)),
      trials: trials.map((t) => ({ id: t.id, format: t.sourceFormat, sha256: t.contentSha256 })),
    },
    disclaimer: RESEARCH_USE,
  };
  progress(4, 'done');
  return reportModel.parse(model);
}

function quality(params: GaitParameters, cycles: CycleDto[], leftOut: { trialId: string; reason: string }[]): ReportModel['quality'] {
  const reasons: Record<string, number> = {};
  let excluded = 0;
  for (const c of cycles) {
    if (c.kind !== 'gait_cycle' || c.flags.length === 0) continue;
    excluded++;
    for (const f of c.flags) reasons[f] = (reasons[f] ?? 0) + 1;
  }
  return {
    trials: params.trials.length + leftOut.length, trialsUsed: params.trials.length, trialsLeftOut: leftOut, strides: params.strides,
    cyclesUsed: cycles.filter((c) => c.kind === 'gait_cycle' && c.flags.length === 0).length, cyclesExcluded: excluded, exclusionReasons: reasons,
    pendingDetection: params.pendingDetection,
  };
}

function parameterRows(params: GaitParameters, normals: Map<string, ReportModel['parameters'][number]['normal']>, compared: GaitParameters | null): ReportParameter[] {
  const key = (name: string, side: string | null) => `${name}\u0000${side ?? ''}`;
  const before = new Map((compared?.parameters ?? []).map((p) => [key(p.name, p.side), p.mean.value]));
  return [...params.parameters]
    .sort((a, b) => parameterRank(a.name) - parameterRank(b.name))
    .map((p) => {
      const normal = normals.get(key(p.name, p.side)) ?? null;
      return {
        name: p.name, label: parameterLabel(p.name), side: p.side, unit: p.mean.unit, mean: p.mean.value, sd: p.sd.value, n: p.n,
        normal, outside: outsideRange(p.mean.value, normal), compare: compared ? (before.get(key(p.name, p.side)) ?? null) : null,
      };
    });
}

interface Reference {
  description: string;
  subjects: number;
  parameters: Map<string, ReportParameter['normal']>;
  symmetry: Map<string, ReportParameter['normal']>;
  curves: Map<string, { mean: number[]; sd: number[]; n: number; subjects: number }>;
}

/**
 * The reference group: the other subjects of the cohort labelled as controls whose cycles are already extracted
 * (a report does not re-analyse a whole cohort). Per-subject values, then mean ± 2 SD across subjects.
 */
function referenceGroup(ctx: ServiceContext, subjectId: string, cohort: string, cycles: CycleDto[]): Reference | null {
  const controls = listSubjects(ctx.db, { cohort, offset: 0, limit: 100_000 }).subjects.filter((s) => s.id !== subjectId && s.trials > 0 && s.group && CONTROL_GROUP.test(s.group));
  const perParam = new Map<string, number[]>();
  const perSymmetry = new Map<string, number[]>();
  const perCurve = new Map<string, Float64Array[]>();
  const wanted = new Set(cycles.filter((c) => c.kind === 'gait_cycle').map((c) => curveKey(c)));
  const channels = [...new Set(cycles.filter((c) => c.kind === 'gait_cycle').map((c) => c.channel))];
  let contributing = 0;
  for (const c of controls) {
    const their = gait.cycles(ctx, { subjectId: c.id, kind: 'gait_cycle', channels });
    if (their.unextracted.length) continue;
    const p = gait.params(ctx, { subjectId: c.id });
    if (p.strides.left + p.strides.right === 0) continue;
    contributing++;
    for (const x of p.parameters) if (x.mean.value !== null) push(perParam, `${x.name}\u0000${x.side ?? ''}`, x.mean.value);
    for (const s of p.symmetry) if (s.symmetryIndex.value !== null) push(perSymmetry, s.name, s.symmetryIndex.value);
    const bySide = new Map<string, CycleDto[]>();
    for (const cy of their.cycles) if (cy.kind === 'gait_cycle' && cy.flags.length === 0 && wanted.has(curveKey(cy))) push(bySide, curveKey(cy), cy);
    for (const [k, list] of bySide) {
      const m = curveMeanSd(list.map((x) => x.curve));
      if (m) push(perCurve, k, m.mean);
    }
  }
  if (contributing === 0) return null;
  const curves = new Map<string, { mean: number[]; sd: number[]; n: number; subjects: number }>();
  for (const [k, means] of perCurve) {
    if (means.length < 3) continue;
    const m = curveMeanSd(means)!;
    curves.set(k, { mean: Array.from(m.mean), sd: Array.from(m.sd), n: means.length, subjects: means.length });
  }
  return {
    description: `controls of cohort ${cohort} with extracted cycles: ${contributing} of ${controls.length} subjects (normal range = mean ± 2 SD of their per-subject values; band = mean ± 1 SD of their mean curves)`,
    subjects: contributing,
    parameters: new Map([...perParam].map(([k, v]) => [k, normalRangeOf(v)])),
    symmetry: new Map([...perSymmetry].map(([k, v]) => [k, normalRangeOf(v)])),
    curves,
  };
}

const curveKey = (c: { channel: string; side: string | null }) => `${c.channel}\u0000${c.side ?? ''}`;

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/**
 * One panel per left/right channel pair (L_total with R_total, LKneeAngles_x with RKneeAngles_x, or one channel
 * holding both sides), each side's mean ± SD over its clean gait cycles, over the reference band of the left side.
 */
function curvePanels(cycles: CycleDto[], params: GaitParameters, reference: Reference['curves']): ReportCurve[] {
  const clean = cycles.filter((c) => c.kind === 'gait_cycle' && c.flags.length === 0);
  const bySide = new Map<string, CycleDto[]>();
  for (const c of clean) push(bySide, curveKey(c), c);
  const channels = [...new Set(clean.map((c) => c.channel))];
  const sideOf = (ch: string, side: string) => bySide.get(`${ch}\u0000${side}`) ?? null;
  const panels: ReportCurve[] = [];
  const done = new Set<string>();
  for (const ch of channels) {
    if (done.has(ch)) continue;
    const partner = sideOf(ch, 'left') && !sideOf(ch, 'right') ? channels.find((o) => o !== ch && swapSide(ch) === o && sideOf(o, 'right')) : undefined;
    const leftCh = sideOf(ch, 'left') ? ch : null;
    const rightCh = partner ?? (sideOf(ch, 'right') ? ch : null);
    if (!leftCh && !rightCh) continue;
    done.add(ch);
    if (partner) done.add(partner);
    const band = (c: string | null, side: string) => {
      const list = c ? sideOf(c, side) : null;
      const m = list ? curveMeanSd(list.map((x) => x.curve)) : null;
      return m ? { mean: Array.from(m.mean), sd: Array.from(m.sd), n: m.n } : null;
    };
    const pair = `${leftCh ?? '—'} / ${rightCh ?? '—'}`;
    const nsi = params.curveSymmetry.find((s) => s.channel === pair)?.meanAbsNsi.value ?? null;
    const ref = (leftCh && reference.get(`${leftCh}\u0000left`)) || (rightCh && reference.get(`${rightCh}\u0000right`)) || null;
    const unit = clean.find((c) => c.channel === (leftCh ?? rightCh))!.unit;
    panels.push({
      title: leftCh && rightCh && leftCh !== rightCh ? `${leftCh} / ${rightCh}` : (leftCh ?? rightCh)!,
      unit, kind: 'gait_cycle', channels: { left: leftCh, right: rightCh },
      left: band(leftCh, 'left'), right: band(rightCh, 'right'), reference: ref, meanAbsNsi: nsi,
    });
  }
  return panels.slice(0, 24);
}

/** A visit as a legend names it: its label, with its date where it has one. */
const visitName = (v: { label: string; date: string | null }) => (v.date ? `${v.label} (${v.date})` : v.label);

/**
 * The compared visit's mean ± SD per side on each panel's own channels, over that visit's clean gait cycles
 * (the same cycles and statistics as the visit's own curves), so progress shows as two curves on one axis.
 */
function withComparedVisit(panels: ReportCurve[], compareCycles: CycleDto[] | null, visit: string): ReportCurve[] {
  if (!compareCycles) return panels;
  const bySide = new Map<string, CycleDto[]>();
  for (const c of compareCycles) if (c.kind === 'gait_cycle' && c.flags.length === 0) push(bySide, curveKey(c), c);
  const band = (channel: string | null, side: string) => {
    const m = channel ? curveMeanSd((bySide.get(curveKey({ channel, side })) ?? []).map((x) => x.curve)) : null;
    return m ? { mean: Array.from(m.mean), sd: Array.from(m.sd), n: m.n } : null;
  };
  return panels.map((p) => {
    const left = band(p.channels.left, 'left');
    const right = band(p.channels.right, 'right');
    return left || right ? { ...p, compare: { visit, left, right } } : p;
  });
}

/** L_total ↔ R_total, LKneeAngles ↔ RKneeAngles, A22:LKnee… ↔ A22:RKnee…, left_x ↔ right_x. */
export function swapSide(name: string): string {
  return name
    .replace(/^((?:[^:]+:)?)L(?=[A-Z_])/, '$1R')
    .replace(/\bleft\b/g, 'right').replace(/_left$/, '_right');
}

function latestPerRole(ctx: ServiceContext, trialId: string): ReportModel['provenance']['runs'] {
  const latest = new Map<string, ReturnType<typeof listRuns>[number]>();
  for (const r of listRuns(ctx.db, trialId)) {
    const seen = latest.get(r.role);
    if (!seen || Number(r.id) > Number(seen.id)) latest.set(r.role, r);
  }
  return [...latest.values()].map((r) => ({ trialId, method: r.method, version: r.version, runId: r.id, params: r.params }));
}

/** The explaining methods: a result where one exists for this subject, else what to run. */
async function methodSections(ctx: ServiceContext, subjectId: string, cohort: string, trials: string[]): Promise<MethodSection[]> {
  const models = listModels(ctx.db);
  const sections: MethodSection[] = [];
  sections.push(relevanceSection(ctx, subjectId, cohort, trials));
  sections.push(gpSection(ctx, subjectId));
  sections.push(await pdSection(ctx, trials));
  const saeModel = models.filter((m) => m.method.startsWith('sae')).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  if (!saeModel) {
    sections.push({ id: 'akin', title: 'Walks like this one (sparse-autoencoder features)', status: 'not-run', summary: 'No feature dictionary (SAE model) has been trained.', howToRun: 'gaitlab train sae', modelId: null });
  } else {
    try {
      const a: ApiResponse<'saeAkin'> = await sae.akin(ctx, { id: saeModel.id, subject: subjectId, k: 5 });
      const groups = new Map<string, number>();
      for (const n of a.neighbours) groups.set(n.group || 'no group', (groups.get(n.group || 'no group') ?? 0) + 1);
      const common = [...groups].sort((x, y) => y[1] - x[1]).map(([g, n]) => `${n} ${g}`).join(', ');
      sections.push({
        id: 'akin', title: 'Walks like this one (sparse-autoencoder features)', status: 'available', modelId: saeModel.id, howToRun: null,
        summary: `Nearest ${a.neighbours.length} of ${a.database} subjects in model ${saeModel.id} (cosine distance of mean codes${saeSettings(saeModel.params)}): ${a.neighbours.map((n) => `${n.subject} (${n.group || 'no group'}, ${n.distance.toFixed(3)}${n.shared.length ? `; shares features ${n.shared.map((f) => `#${f.feature}`).join(', ')}` : ''})`).join('; ')}. In common: ${common}.`,
      });
    } catch (e) {
      sections.push({ id: 'akin', title: 'Walks like this one (sparse-autoencoder features)', status: 'not-applicable', summary: `Model ${saeModel.id}: ${(e as Error).message}`, howToRun: null, modelId: saeModel.id });
    }
  }
  return sections;
}

/**
 * SincPD on the subject's walks: the newest PD model and the newest severity model, each applied to the walks of
 * this report (mean over segments with its spread). A model trained on these very walks is said to be in-sample.
 */
async function pdSection(ctx: ServiceContext, trialIds: string[]): Promise<MethodSection> {
  const title = "Parkinson's probability and severity (SincPD)";
  const models = listModels(ctx.db).filter((m) => m.method.toLowerCase() === 'sincpd').sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const pick = (task: string) => models.find((m) => m.params.task === task);
  const chosen = [pick('pd'), pick('severity')].filter((m): m is NonNullable<typeof m> => !!m);
  const evidence = await sincEvidence(ctx, pick('pd'));
  if (chosen.length === 0 || trialIds.length === 0) {
    return { id: 'pd-severity', title, status: 'not-run', modelId: null, howToRun: 'gaitlab train sincpd --task pd, then gaitlab report again',
      summary: chosen.length === 0 ? 'No SincPD model has been trained.' : 'No walk of this subject to apply a SincPD model to.', sincEvidence: evidence };
  }
  const sentences: string[] = [];
  for (const m of chosen) {
    try {
      const res = await sincpd.predict(ctx, { modelId: m.id, inputs: trialIds });
      const probs = res.predictions.flatMap((p) => p.perSegment.map((x) => x.probabilities));
      const n = probs.length;
      const selection = readModel(ctx.db, m.id)?.dataSelection ?? {};
      const trained = new Set([...((selection.trials ?? []) as { id: string }[]).map((t) => t.id), ...((selection.walks ?? []) as { walk: string }[]).map((w) => w.walk)]);
      const seen = trialIds.some((t) => trained.has(t)) || res.predictions.some((p) => trained.has(p.walk));
      const label = `${m.params.quick ? 'QUICK settings, ' : ''}model ${m.id}${seen ? ', in-sample: trained on these walks' : ''}`;
      if (res.task === 'pd') {
        const p = probs.map((x) => x[1]);
        const mean = p.reduce((a, b) => a + b, 0) / n;
        const sd = Math.sqrt(p.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1));
        sentences.push(`P(PD) ${mean.toFixed(2)} ± ${sd.toFixed(2)} (mean ± SD over ${n} segments of ${res.predictions.length} walk(s); ${label}).`);
      } else {
        const hy = res.predictions.map((p) => p.hoehnYahrEstimate).filter((v): v is number => v !== null);
        const mean = hy.reduce((a, b) => a + b, 0) / Math.max(1, hy.length);
        sentences.push(`Expected Hoehn & Yahr stage ${mean.toFixed(2)} under the class probabilities (${n} segments; ${label}).`);
      }
    } catch (e) {
      sentences.push(`Model ${m.id} could not be applied: ${(e as Error).message}`);
    }
  }
  return { id: 'pd-severity', title, status: 'available', modelId: chosen[0].id, howToRun: null, summary: `${sentences.join(' ')} Research use only: not a diagnosis.`, sincEvidence: evidence };
}

/** The GP asymmetry of the newest GP model holding the subject: its score, its place in its group, the groups compared. */
function gpSection(ctx: ServiceContext, subjectId: string): MethodSection {
  const title = 'Asymmetry from the hierarchical Gaussian process';
  const model = gp.gpModelsOfSubject(ctx, { subjectId }).models.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  if (!model) {
    return { id: 'asymmetry-gp', title, status: 'not-run', modelId: null, howToRun: 'gaitlab fit-gp --signal L_total,R_total --cohort <cohort>',
      summary: 'No Gaussian-process fit covers this subject: the classical symmetry indices above are all this report can show.' };
  }
  try {
    const a = gp.gpAsymmetry(ctx, { modelId: model.id, subjectId });
    const s = a.subject;
    if (!s) return { id: 'asymmetry-gp', title, status: 'not-applicable', modelId: model.id, howToRun: null, summary: `Model ${model.id} holds no two limbs of this subject.` };
    const g = a.groups.find((x) => x.group === s.group);
    const p = listModels(ctx.db).find((x) => x.id === model.id)?.params ?? {};
    const settings = `fit with M = ${String(p.m ?? '?')}${p.maxIterations !== undefined ? `, at most ${String(p.maxIterations)} iterations (quick settings)` : ''}${p.optimizeZ === false ? ', inducing inputs fixed' : ''}`;
    const mw = a.mannWhitney ? ` ${a.mannWhitney.a} vs ${a.mannWhitney.b}: Mann–Whitney U ${a.mannWhitney.u1.toFixed(0)}, p = ${a.mannWhitney.p.toPrecision(3)} (${a.mannWhitney.method}).` : '';
    return {
      id: 'asymmetry-gp', title, status: 'available', modelId: model.id, howToRun: null,
      summary: `Limb asymmetry score (Wasserstein-1 area between the limbs' predictive distributions over the cycle, ${model.channels.join(' / ')}, ${model.noise} noise, ${settings}): ${s.score.toPrecision(4)} (exact Gaussian ${s.exactScore.toPrecision(4)}), at the ${Math.round(100 * s.groupPercentile)}th percentile of group ${s.group}${g ? ` (n = ${g.n}, median ${g.median.toPrecision(4)}, IQR ${g.q1.toPrecision(4)}–${g.q3.toPrecision(4)})` : ''}.${mw}`,
    };
  } catch (e) {
    return { id: 'asymmetry-gp', title, status: 'not-applicable', modelId: model.id, howToRun: null, summary: `Model ${model.id}: ${(e as Error).message}` };
  }
}

/** Builds the report and stores it as an immutable, audited snapshot. */
export async function issueReport(ctx: ServiceContext, req: ReportRequest, call?: CallContext): Promise<{ id: string; report: ReportModel }> {
  const report = await buildReport(ctx, req, call);
  const id = `R-${randomUUID().slice(0, 8).toUpperCase()}`;
  insertReport(ctx.db, ctx.actor, { id, subjectId: req.subjectId, kind: 'patient', content: JSON.stringify(report), createdAt: report.provenance.createdAt });
  return { id, report };
}

export function getReport(ctx: ServiceContext, id: string): { id: string; subjectId: string | null; createdAt: string; report: ReportModel } {
  const row = readReport(ctx.db, id);
  if (!row) throw new ApiError('not-found', `no report ${id}`);
  return { id: row.id, subjectId: row.subjectId, createdAt: row.createdAt, report: reportModel.parse(JSON.parse(row.content)) };
}

export function listReports(ctx: ServiceContext, subjectId?: string): { reports: { id: string; subjectId: string | null; kind: string; createdAt: string; title: string }[] } {
  return { reports: listReportRows(ctx.db, subjectId).map((r) => ({ id: r.id, subjectId: r.subjectId, kind: r.kind, createdAt: r.createdAt, title: (JSON.parse(r.content) as { title?: string }).title ?? r.id })) };
}

/** How a dictionary was trained, as the report states it: fewer epochs than the method's default are quick settings. */
function saeSettings(params: Record<string, unknown> | null | undefined): string {
  const epochs = Number(params?.epochs);
  return Number.isFinite(epochs) && epochs < 100 ? `; dictionary trained at most ${epochs} epochs: quick settings` : '';
}
