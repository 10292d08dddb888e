// Gait events, cycles and parameters of stored trials. Events are detected once (on first use) with the
// recipe that fits the trial's channels and stored with their detector's parameters; cycles are extracted
// from the stored events (manual corrections included) and dropped whenever an event changes; parameters
// are computed from events and cycles on request, since that takes milliseconds.
import type { CycleDto, GaitEventDto, GaitParameters } from '../../src-shared/api/schema';
import { GaitCycleSegmentation, type GaitCycle, type StancePhase } from '../../src-shared/signal/cycles';
import type { FootSide, GaitEvent, GaitEventLabel, PerSide } from '../../src-shared/signal/events';
import { spatiotemporal, summarise, type StrideParameters, type SummaryStatistic } from '../../src-shared/signal/spatiotemporal';
import { compareSides, normalisedSymmetryIndex } from '../../src-shared/signal/symmetry';
import { fillGaps } from '../../src-shared/signal/gaps';
import { plateStances } from '../../src-shared/signal/plate-stances';
import { curveMeanSd } from '../../src-shared/signal/curve-stats';
import { deleteCycles, readCycles, replaceCycles, type CycleCurve } from '../store/cycles';
import { readEvents, replaceDetectedEvents, type StoredEvent } from '../store/events';
import { readSignals } from '../store/queries';
import { decodeSamples } from '../store/sample-codec';
import { stmt } from '../store/statements';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';
import { requireTrial, scopeTrials, toEventDto } from './event-service';
import { recipeFor, recipes, type TrialChannel } from './gait-recipes';

const GAIT_LABELS = new Set<string>(['initial_contact', 'final_contact', 'mid_swing']);

/** The trial's channels, decoded, with undefined samples filled (detectors and filters need continuous signals). */
export function loadChannels(ctx: ServiceContext, trialId: string): Map<string, TrialChannel> {
  const out = new Map<string, TrialChannel>();
  for (const r of readSignals(ctx.db, trialId)) {
    const filled = fillGaps(decodeSamples(r.data, r.encoding, r.samples) as Float32Array);
    if (!filled) continue; // nothing defined in it: nothing to detect from
    out.set(r.channel, { name: r.channel, unit: r.unit, rateHz: r.rate_hz, domain: r.domain, side: r.side, values: filled.values });
  }
  return out;
}

const recipeNames = new Set(recipes.map((r) => r.name));

/**
 * The detector that last ran on the trial, with the parameters it ran with, from the audit log's record of
 * the run (events carry per-event details, such as the stance force an insole threshold was drawn from).
 */
function lastDetectorRun(ctx: ServiceContext, trialId: string): { name: string; params: Record<string, unknown> } | null {
  const row = stmt(ctx.db, "SELECT new_value FROM audit_log WHERE action = 'detect-events' AND entity = 'trial' AND entity_id = ? ORDER BY seq DESC LIMIT 1").get(trialId) as { new_value: string } | undefined;
  if (!row) return null;
  const v = JSON.parse(row.new_value) as { source: string; params: Record<string, unknown> };
  return { name: v.source, params: v.params };
}

/** For plate events, the side the file's own events give at (nearly) the same time; null when none does. */
function sideFromFileEvents(e: GaitEvent, fileEvents: StoredEvent[]): FootSide | null {
  let best: StoredEvent | null = null;
  for (const f of fileEvents) {
    if (f.label !== e.label || (f.side !== 'left' && f.side !== 'right')) continue;
    if (Math.abs(f.timeS - e.timeS) <= 0.05 && (!best || Math.abs(f.timeS - e.timeS) < Math.abs(best.timeS - e.timeS))) best = f;
  }
  return (best?.side as FootSide | undefined) ?? null;
}

export function detect(ctx: ServiceContext, trialId: string, name?: string, params: Record<string, number | string | boolean> = {}): { events: GaitEventDto[]; detector: { name: string; params: Record<string, unknown> } | null } {
  requireTrial(ctx, trialId);
  const channels = loadChannels(ctx, trialId);
  const recipe = recipeFor(channels, name);
  if (name && !recipe) throw new ApiError('bad-request', `unknown detector "${name}" (known: ${recipes.map((r) => r.name).join(', ')})`);
  if (!recipe) {
    // Nothing to detect from: the file's own events (C3D EVENT group, annotations), if any, are the events.
    return { events: readEvents(ctx.db, trialId).map(toEventDto), detector: null };
  }
  if (!recipe.matches(channels)) throw new ApiError('input', `${recipe.name} needs ${recipe.needs}; trial ${trialId} has ${[...channels.keys()].slice(0, 12).join(', ')}`);
  const known = recipe.defaults();
  for (const k of Object.keys(params)) {
    if (!(k in known)) throw new ApiError('bad-request', `${recipe.name} has no parameter "${k}" (its parameters: ${Object.keys(known).join(', ')})`);
    if (typeof params[k] !== typeof known[k]) throw new ApiError('bad-request', `${recipe.name} parameter ${k} must be a ${typeof known[k]}, got ${JSON.stringify(params[k])}`);
  }
  let run;
  try {
    run = recipe.run(channels, params);
  } catch (e) {
    if (e instanceof RangeError) throw new ApiError('bad-request', `${recipe.name}: ${e.message}`);
    throw e;
  }
  const fileEvents = readEvents(ctx.db, trialId).filter((e) => !recipeNames.has(e.source) && !e.manual);
  const plates = recipe.name === 'ForceThresholdEvents';
  const events = run.events.map((e) => ({
    label: e.label, side: plates ? sideFromFileEvents(e, fileEvents) : e.side, timeS: e.timeS, source: recipe.name,
    threshold: e.threshold ?? null, confidence: e.confidence, params: e.params,
  }));
  const stored = replaceDetectedEvents(ctx.db, ctx.actor, trialId, recipe.name, events, run.params);
  deleteCycles(ctx.db, trialId);
  return { events: stored.map(toEventDto), detector: { name: recipe.name, params: run.params } };
}

/** Stored events; the first request for a trial that no detector has run on runs the one that fits. */
export function events(ctx: ServiceContext, trialId: string): { events: GaitEventDto[]; detector: { name: string; params: Record<string, unknown> } | null } {
  requireTrial(ctx, trialId);
  const run = lastDetectorRun(ctx, trialId);
  if (run) return { events: readEvents(ctx.db, trialId).map(toEventDto), detector: run };
  return detect(ctx, trialId);
}

function toGaitEvents(stored: GaitEventDto[]): GaitEvent[] {
  return stored
    .filter((e) => GAIT_LABELS.has(e.label) && (e.side === 'left' || e.side === 'right'))
    .map((e) => ({ label: e.label as GaitEventLabel, side: e.side as FootSide, timeS: e.timeS, source: e.source, confidence: e.confidence ?? 1, params: e.params ?? {} }))
    .sort((a, b) => a.timeS - b.timeS);
}

interface Segmented { events: GaitEvent[]; cycles: GaitCycle[]; stances: StancePhase[]; curveChannels: PerSide<TrialChannel>; detector: string | null }

function segment(ctx: ServiceContext, trialId: string): Segmented {
  const ev = events(ctx, trialId);
  const gaitEvents = toGaitEvents(ev.events);
  const channels = loadChannels(ctx, trialId);
  const recipe = ev.detector ? recipes.find((r) => r.name === ev.detector!.name) ?? null : null;
  const curveChannels: PerSide<TrialChannel> = recipe ? recipe.curves(channels) : {};
  const input: Parameters<GaitCycleSegmentation['run']>[0] = { events: gaitEvents, channels: {} };
  for (const side of ['left', 'right'] as FootSide[]) {
    const c = curveChannels[side];
    if (c?.rateHz) input.channels![side] = { values: c.values, rateHz: c.rateHz };
  }
  const anyChannel = [...channels.values()].find((c) => c.domain === 'time' && c.rateHz);
  if (anyChannel) input.trialEndS = (anyChannel.values.length - 1) / anyChannel.rateHz!;
  const result = new GaitCycleSegmentation().run(input);
  return { events: gaitEvents, cycles: result.cycles, stances: result.stances, curveChannels, detector: ev.detector?.name ?? null };
}

export function cycles(ctx: ServiceContext, req: { trialId?: string; subjectId?: string; kind?: 'stance' | 'gait_cycle'; channel?: string }): { cycles: CycleDto[] } {
  const out: CycleDto[] = [];
  for (const trialId of scopeTrials(ctx, req)) {
    if (readCycles(ctx.db, trialId).length === 0) extractCycles(ctx, trialId);
    for (const c of readCycles(ctx.db, trialId, { kind: req.kind, channel: req.channel })) out.push({ ...c, trialId });
  }
  return { cycles: out };
}

function extractCycles(ctx: ServiceContext, trialId: string): void {
  const s = segment(ctx, trialId);
  const curves: CycleCurve[] = [];
  const add = (kind: 'gait_cycle' | 'stance', c: GaitCycle | StancePhase) => {
    const channel = s.curveChannels[c.side];
    if (!channel || !c.curve) return;
    curves.push({ channel: channel.name, side: c.side, kind, startS: c.interval.startS, endS: c.interval.endS, unit: channel.unit, curve: Float32Array.from(c.curve), flags: [...c.flags] });
  };
  for (const c of s.cycles) add('gait_cycle', c);
  for (const c of s.stances) add('stance', c);
  if (s.detector === 'ForceThresholdEvents') curves.push(...plateStanceCurves(ctx, trialId));
  if (curves.length) replaceCycles(ctx.db, ctx.actor, trialId, ['gait_cycle', 'stance'], curves, { detector: s.detector, points: 101 });
}

/** Force-plate stances: one per plate contact, each force component normalised over 0–100 % of stance. */
function plateStanceCurves(ctx: ServiceContext, trialId: string): CycleCurve[] {
  const channels = loadChannels(ctx, trialId);
  const contacts = readEvents(ctx.db, trialId)
    .filter((e) => e.source === 'ForceThresholdEvents' && (e.label === 'initial_contact' || e.label === 'final_contact'))
    .map((e) => ({ label: e.label as 'initial_contact' | 'final_contact', timeS: e.timeS, plate: String(e.params?.plate ?? ''), side: (e.side === 'left' || e.side === 'right' ? e.side : null) as 'left' | 'right' | null }));
  const components: Record<string, { name: string; values: Float32Array; rateHz: number; unit: string }[]> = {};
  for (const plate of new Set(contacts.map((c) => c.plate))) {
    components[plate] = ['Fx', 'Fy', 'Fz'].map((k) => channels.get(`${plate}_${k}`)).filter((c): c is TrialChannel => !!c?.rateHz)
      .map((c) => ({ name: c.name, values: c.values, rateHz: c.rateHz!, unit: c.unit }));
  }
  const out: CycleCurve[] = [];
  for (const st of plateStances(contacts, components)) {
    for (const c of components[st.plate]) {
      const curve = st.curves[c.name];
      if (curve) out.push({ channel: c.name, side: st.side, kind: 'stance', startS: st.startS, endS: st.endS, unit: c.unit, curve: Float32Array.from(curve), flags: st.flags });
    }
  }
  return out;
}

const PARAMETERS: { key: keyof Omit<ReturnType<typeof summarise>, 'cadence' | 'stridesIncluded' | 'stridesExcluded'>; name: string }[] = [
  { key: 'strideTime', name: 'stride_time' },
  { key: 'stepTime', name: 'step_time' },
  { key: 'stanceTime', name: 'stance_time' },
  { key: 'swingTime', name: 'swing_time' },
  { key: 'stance', name: 'stance' },
  { key: 'swing', name: 'swing' },
  { key: 'doubleSupport', name: 'double_support' },
];

export function params(ctx: ServiceContext, req: { trialId?: string; subjectId?: string }): GaitParameters {
  const trialIds = scopeTrials(ctx, req);
  const strides: StrideParameters[] = [];
  const meanCurves: Record<FootSide, Float64Array[]> = { left: [], right: [] };
  let channelPair: string | null = null;
  let detector: string | null = null;
  for (const trialId of trialIds) {
    const s = segment(ctx, trialId);
    detector ??= s.detector;
    strides.push(...spatiotemporal(s.cycles, s.events).strides);
    for (const c of s.cycles) if (c.curve && c.flags.length === 0) meanCurves[c.side].push(c.curve);
    if (s.curveChannels.left && s.curveChannels.right) channelPair = `${s.curveChannels.left.name} / ${s.curveChannels.right.name}`;
  }
  const perSide = { left: summarise(strides.filter((x) => x.side === 'left')), right: summarise(strides.filter((x) => x.side === 'right')) };
  const both = summarise(strides);
  const parameters: GaitParameters['parameters'] = [];
  const row = (name: string, side: string | null, st: SummaryStatistic) => parameters.push({ name, side, mean: st.mean, sd: st.sd, cv: st.cv, n: st.n });
  for (const p of PARAMETERS) {
    row(p.name, 'left', perSide.left[p.key]);
    row(p.name, 'right', perSide.right[p.key]);
    row(p.name, null, both[p.key]);
  }
  parameters.push({ name: 'cadence', side: null, mean: both.cadence, sd: { value: null, unit: both.cadence.unit }, cv: { value: null, unit: '%' }, n: both.strideTime.n });
  const symmetry: GaitParameters['symmetry'] = PARAMETERS.map((p) => {
    const l = perSide.left[p.key].mean, r = perSide.right[p.key].mean;
    const { si, sa } = compareSides(l.value, r.value);
    return { name: p.name, left: l, right: r, symmetryIndex: si, symmetryAngle: sa };
  });
  const curveSymmetry: GaitParameters['curveSymmetry'] = [];
  const l = curveMeanSd(meanCurves.left)?.mean, r = curveMeanSd(meanCurves.right)?.mean;
  if (l && r && channelPair) {
    const nsi = normalisedSymmetryIndex(l, r);
    curveSymmetry.push({ channel: channelPair, meanAbsNsi: nsi.meanAbs, nsi: Array.from(nsi.perPoint, (v) => Math.round(v * 1e4) / 1e4) });
  }
  const flagged = strides.filter((x) => x.flags.length).length;
  return {
    trials: trialIds,
    detector,
    strides: { left: strides.filter((x) => x.side === 'left').length, right: strides.filter((x) => x.side === 'right').length, flagged },
    parameters, symmetry, curveSymmetry,
  };
}
