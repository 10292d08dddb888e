// Cycles and parameters of stored trials. Cycle extraction is an explicit call that runs a registered method
// (GaitCycleSegmentation, or PlateStances on force plates) on the stored events (manual corrections included)
// and stores a run row with its cycles; reading cycles never writes. An extraction is current while the trial's
// events are the ones it read (their hash is in the run's inputs). Parameters are computed in memory from the
// stored events on request, since that takes milliseconds, with the segmentation settings of the last extraction.
import { createHash } from 'node:crypto';
import type { CycleDto, GaitParameters } from '../../src-shared/api/schema';
import {
  chooseDetector, cycleSegmentation, kinematicEvents, MethodParamError, plateStanceExtraction, type TrialChannel,
} from '../../src-shared/methods';
import { countsInSummaries, type CycleParams, type GaitCycle, type StancePhase } from '../../src-shared/signal/cycles';
import { turnIntervals } from '../../src-shared/signal/turns';
import { FOOT_SIDES, type FootSide, type GaitEvent, type GaitEventLabel, type PerSide } from '../../src-shared/signal/events';
import { spatiotemporal, statistic, strideValues, summarise, type StrideParameters, type SummaryStatistic } from '../../src-shared/signal/spatiotemporal';
import { plateContactTimes } from '../../src-shared/signal/plate-contact-times';
import { plateStances, type PlateStanceParams } from '../../src-shared/signal/plate-stances';
import { PLATE_SIDE_RULES } from '../../src-shared/signal/plate-sides';
import { compareSides, normalisedSymmetryIndex } from '../../src-shared/signal/symmetry';
import { curveMeanSd } from '../../src-shared/signal/curve-stats';
import { cycleChannels, readCycles, replaceCycles, type CycleCurve, type CycleKind } from '../store/cycles';
import { readEvents, type StoredEvent } from '../store/events';
import { latestRun, type StoredRun } from '../store/runs';
import { readChannelMeta, trialContentHash } from '../store/trial-meta';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';
import { detect, detectIfPending, scopeTrials } from './event-service';
import { loadChannels } from './trial-channels';
import { trialSpatial } from './spatial-params';
import type { SpatialStride } from '../../src-shared/signal/spatial-parameters';
import { chooseCycleEvents, hasCycle, MOTION_CAPTURE_DETECTORS, type CycleEventSourceChoice } from './cycle-event-source';
import { allChannelCycles } from './channel-cycle-rows';
import { cyclePhaseEvents } from '../../src-shared/signal/cycle-phases';
import { componentMeaning } from '../../src-shared/signal/model-components';

const GAIT_LABELS = new Set<string>(['initial_contact', 'final_contact', 'mid_swing']);
const PLATES = 'ForceThresholdEvents';

/**
 * The one set of events cycles are drawn from: the latest detector run's, or the file's own where no detector has
 * run, plus every manual one. Mixing sets (a Voisard trial's annotations and the detector's contacts, or two
 * detectors' runs) would put two initial contacts at every step and flag every cycle.
 */
function segmentationEvents(stored: StoredEvent[], detectorRun: StoredRun | null): StoredEvent[] {
  return stored.filter((e) => e.manual || (detectorRun ? e.runId === detectorRun.id : e.runId === null));
}

function toGaitEvents(stored: StoredEvent[]): GaitEvent[] {
  return stored
    .filter((e) => GAIT_LABELS.has(e.label) && (e.side === 'left' || e.side === 'right'))
    .map((e) => ({ label: e.label as GaitEventLabel, side: e.side as FootSide, timeS: e.timeS, source: e.source, confidence: e.confidence ?? 1, params: e.params ?? {} }))
    .sort((a, b) => a.timeS - b.timeS);
}

/** What a cycle extraction reads of the events: a change to any of these makes its cycles stale. */
function eventsSha256(stored: StoredEvent[]): string {
  const key = stored.map((e) => [e.label, e.side, e.timeS, e.source, e.manual]);
  return createHash('sha256').update(JSON.stringify(key)).digest('hex');
}

interface ExtractionState { run: StoredRun | null; current: boolean; events: StoredEvent[] }

function extractionState(ctx: ServiceContext, trialId: string): ExtractionState {
  const events = readEvents(ctx.db, trialId);
  const run = latestRun(ctx.db, trialId, 'cycles');
  const read = run?.inputs.events as { sha256?: string } | undefined;
  return { run, events, current: !!run && read?.sha256 === eventsSha256(events) };
}

const toCycleDto = (trialId: string) => (c: ReturnType<typeof readCycles>[number]): CycleDto => {
  const meaning = componentMeaning(c.channel);
  const phase = (k: string) => (typeof c.phaseEvents?.[k] === 'number' ? c.phaseEvents[k] : null);
  return {
    id: c.id, trialId, channel: c.channel, side: c.side, kind: c.kind, startS: c.startS, endS: c.endS, unit: c.unit, flags: c.flags, curve: c.curve,
    eventSource: c.eventSource,
    footOffPercent: phase('footOffPercent'), oppositeFootOffPercent: phase('oppositeFootOffPercent'), oppositeFootStrikePercent: phase('oppositeFootStrikePercent'),
    plane: meaning.plane, label: meaning.label,
  };
};

/** Stored cycles of the trials whose extraction is current; the others are listed as unextracted. Reads only. */
export function cycles(ctx: ServiceContext, req: { trialId?: string; subjectId?: string; sessionId?: string; kind?: CycleKind; channel?: string; channels?: readonly string[]; channelMatch?: (name: string) => boolean }): { cycles: CycleDto[]; unextracted: string[] } {
  const out: CycleDto[] = [];
  const unextracted: string[] = [];
  for (const trialId of scopeTrials(ctx, req)) {
    if (!extractionState(ctx, trialId).current) {
      unextracted.push(trialId);
      continue;
    }
    // A view that needs a few of a motion-capture trial's ~250 channels names them, so only their curves are read.
    const channels = req.channelMatch ? cycleChannels(ctx.db, trialId).filter(req.channelMatch) : req.channels;
    out.push(...readCycles(ctx.db, trialId, { kind: req.kind, channel: req.channel, channels }).map(toCycleDto(trialId)));
  }
  return { cycles: out, unextracted };
}

export interface ExtractionRunDto { trialId: string; runId: string; method: string; params: Record<string, unknown>; eventSource?: string }

/**
 * Extracts the cycles of every trial in scope whose extraction is missing or stale (every trial, with `params`,
 * `eventSource` or `force`), detecting events first on trials no detector has run on. Returns the scope's cycles
 * and the runs made.
 */
export function extractCycles(ctx: ServiceContext, req: { trialId?: string; subjectId?: string; params?: Record<string, unknown>; force?: boolean; eventSource?: CycleEventSourceChoice }): { cycles: CycleDto[]; runs: ExtractionRunDto[] } {
  const runs: ExtractionRunDto[] = [];
  const out: CycleDto[] = [];
  for (const trialId of scopeTrials(ctx, req)) {
    if (req.params || req.force || req.eventSource || !extractionState(ctx, trialId).current) {
      detectIfPending(ctx, trialId);
      if ((req.eventSource ?? 'auto') === 'auto') detectKinematicIfUseful(ctx, trialId);
      runs.push(...extractTrial(ctx, trialId, req.params ?? {}, req.eventSource ?? 'auto'));
    }
    out.push(...readCycles(ctx.db, trialId).map(toCycleDto(trialId)));
  }
  return { cycles: out, runs };
}

/**
 * Kinematic events are the last source of gait cycles: on a motion-capture trial whose events hold no whole cycle
 * (no EVENT group, one contact per plate) and that has the default markers, KinematicEvents runs once, as any
 * first detection does. Trials whose markers are never seen stay as they are (the refusal is for a named run).
 */
function detectKinematicIfUseful(ctx: ServiceContext, trialId: string): void {
  const stored = readEvents(ctx.db, trialId);
  const detectorRun = latestRun(ctx.db, trialId, 'gait-events');
  if (detectorRun && !MOTION_CAPTURE_DETECTORS.has(detectorRun.method)) return;
  if (stored.some((e) => e.source === kinematicEvents.name) || hasCycle(chooseCycleEvents(stored, detectorRun).events)) return;
  if (kinematicEvents.missing!(readChannelMeta(ctx.db, trialId), kinematicEvents.params.defaults()).length) return;
  try {
    detect(ctx, trialId, kinematicEvents.name);
  } catch (e) {
    if (!(e instanceof ApiError && (e.code === 'bad-request' || e.code === 'input'))) throw e;
  }
}

function asApiError(e: unknown): never {
  if (e instanceof MethodParamError) throw new ApiError('bad-request', e.message);
  throw e;
}

type NewCycleRun = Parameters<typeof replaceCycles>[2];

/**
 * One extraction of a trial. Gait cycles come from the chosen events (chooseCycleEvents); on motion-capture
 * sources every time-domain channel is cut, each cycle carrying its foot-off and the opposite foot's events.
 * Force-plate trials also get one stance per plate contact (PlateStances), written last, so that the trial's
 * latest cycles run stays the plate run its parameters read.
 */
function extractTrial(ctx: ServiceContext, trialId: string, params: Record<string, unknown>, choice: CycleEventSourceChoice): ExtractionRunDto[] {
  const startedAt = new Date().toISOString();
  const stored = readEvents(ctx.db, trialId);
  const detectorRun = latestRun(ctx.db, trialId, 'gait-events');
  const channels = loadChannels(ctx, trialId);
  const chosen = chooseCycleEvents(stored, detectorRun, choice);
  const eventSource = chosen.manual && chosen.source !== 'manual' && chosen.events.some((e) => e.manual) ? `${chosen.source}+manual` : chosen.source;
  const inputs = {
    trials: [{ trialId, contentSha256: trialContentHash(ctx.db, trialId) }],
    events: { sha256: eventsSha256(stored), count: stored.length, manual: stored.filter((e) => e.manual).length, detectorRunId: detectorRun?.id ?? null, source: eventSource, used: chosen.events.length },
  };
  const finished = (method: string, version: string, role: string, runParams: Record<string, unknown>, summary: Record<string, unknown>, curves: number): NewCycleRun =>
    ({ method, version, role, params: runParams, seed: null, trialId, inputs, outputs: { ...summary, curves }, startedAt, finishedAt: new Date().toISOString() });
  const out: ExtractionRunDto[] = [];
  try {
    // Plate contacts keep their stances when another detector (kinematic events) ran after the plates.
    const plateRun = stored.some((e) => e.source === PLATES);
    {
      const curveChannels = chosen.allChannels ? {} : curveChannelsOf(detectorRun, channels);
      const r = cycleSegmentation.run(segmentationInput(chosen.events, channels, curveChannels), params);
      const curves: CycleCurve[] = [];
      const gaitEvents = toGaitEvents(chosen.events);
      const add = (kind: CycleKind, c: GaitCycle | StancePhase) => {
        const channel = curveChannels[c.side];
        if (!channel || !c.curve) return;
        // Gait cycles of any source carry their foot off and the opposite foot's events.
        const phaseEvents = kind === 'gait_cycle' ? { ...cyclePhaseEvents(c.side, c.interval.startS, c.interval.endS, gaitEvents) } : null;
        curves.push({ channel: channel.name, side: c.side, kind, startS: c.interval.startS, endS: c.interval.endS, unit: channel.unit, curve: Float32Array.from(c.curve), flags: [...c.flags], eventSource, phaseEvents });
      };
      // A loop, not push(...rows): a 3-minute trial's ~100 000 rows overflow the arguments of one call.
      if (chosen.allChannels) for (const row of allChannelCycles(r.output.cycles, channels, gaitEvents, r.params.points, eventSource)) curves.push(row);
      else for (const c of r.output.cycles) add('gait_cycle', c);
      if (!plateRun) for (const c of r.output.stances) add('stance', c);
      const kinds: CycleKind[] = plateRun ? ['gait_cycle'] : ['gait_cycle', 'stance'];
      const run = finished(r.method, r.version, cycleSegmentation.role, { ...r.params }, { ...r.summary, eventSource }, curves.length);
      out.push({ trialId, runId: replaceCycles(ctx.db, ctx.actor, run, kinds, curves), method: r.method, params: { ...r.params }, eventSource });
    }
    if (plateRun) {
      const r = plateStanceExtraction.run(plateStanceInput(stored, channels), params);
      const curves: CycleCurve[] = [];
      for (const st of r.output) {
        for (const [name, curve] of Object.entries(st.curves)) {
          curves.push({ channel: name, side: st.side, kind: 'stance', startS: st.startS, endS: st.endS, unit: channels.get(name)?.unit ?? '', curve: Float32Array.from(curve), flags: st.flags, eventSource: 'plates' });
        }
      }
      const run = finished(r.method, r.version, plateStanceExtraction.role, { ...r.params }, r.summary, curves.length);
      // The plate run first in the answer: it is the one the trial's parameters and stances come from.
      out.unshift({ trialId, runId: replaceCycles(ctx.db, ctx.actor, run, ['stance'], curves), method: r.method, params: { ...r.params }, eventSource: 'plates' });
    }
  } catch (e) {
    asApiError(e);
  }
  return out;
}

/** Per side, the channel the detector that ran draws cycles from (its own curve channels), where the trial has it. */
function curveChannelsOf(detectorRun: StoredRun | null, channels: Map<string, TrialChannel>): PerSide<TrialChannel> {
  const detector = detectorRun ? chooseDetector([], detectorRun.method) : null;
  const names = detector ? detector.curveChannels([...channels.values()]) : {};
  const out: PerSide<TrialChannel> = {};
  for (const side of ['left', 'right'] as FootSide[]) {
    const c = names[side] ? channels.get(names[side]!) : undefined;
    if (c?.rateHz) out[side] = c;
  }
  return out;
}

function segmentationInput(stored: StoredEvent[], channels: Map<string, TrialChannel>, curveChannels: PerSide<TrialChannel>): Parameters<typeof cycleSegmentation.run>[0] {
  // Turns of any source (detected, or a technician's turn_start / turn_end) flag the cycles they overlap.
  const input: Parameters<typeof cycleSegmentation.run>[0] = { events: toGaitEvents(stored), channels: {}, turns: turnIntervals(stored) };
  for (const side of ['left', 'right'] as FootSide[]) {
    const c = curveChannels[side];
    if (c?.rateHz) input.channels![side] = { values: c.values, rateHz: c.rateHz };
  }
  const anyChannel = [...channels.values()].find((c) => c.domain === 'time' && c.rateHz);
  if (anyChannel) input.trialEndS = (anyChannel.values.length - 1) / anyChannel.rateHz!;
  return input;
}

/** Force-plate contacts per plate, and each plate's force components. */
function plateStanceInput(stored: StoredEvent[], channels: Map<string, TrialChannel>): Parameters<typeof plateStanceExtraction.run>[0] {
  const events = stored
    .filter((e) => e.source === PLATES && (e.label === 'initial_contact' || e.label === 'final_contact'))
    .map((e) => ({
      label: e.label as 'initial_contact' | 'final_contact', timeS: e.timeS, plate: String(e.params?.plate ?? ''),
      side: (e.side === 'left' || e.side === 'right' ? e.side : null) as FootSide | null,
      // A technician's correction of the side outranks the detector's rule.
      sideRule: e.manual ? 'manual' as const : PLATE_SIDE_RULES.find((r) => r === e.params?.sideRule),
    }));
  const components: Parameters<typeof plateStanceExtraction.run>[0]['components'] = {};
  for (const plate of new Set(events.map((c) => c.plate))) {
    components[plate] = ['Fx', 'Fy', 'Fz'].map((k) => channels.get(`${plate}_${k}`)).filter((c): c is TrialChannel => !!c?.rateHz)
      .map((c) => ({ name: c.name, values: c.values, rateHz: c.rateHz! }));
  }
  return { events, components };
}

/** The PlateStances settings of the trial's last extraction (defaults where none). */
function plateStanceSettings(ctx: ServiceContext, trialId: string): Partial<PlateStanceParams> {
  const last = latestRun(ctx.db, trialId, 'cycles');
  return last?.method === plateStanceExtraction.name ? (last.params as Partial<PlateStanceParams>) : {};
}

interface Segmented {
  events: GaitEvent[]; cycles: GaitCycle[]; curveChannels: PerSide<TrialChannel>; detector: string | null; excludeTurns: boolean;
  /** The events the strides came from (cycle-event-source.ts): plate contacts alone are counted as contacts. */
  eventSource: string; channels: Map<string, TrialChannel>;
}

/** Cycles of the stored events, in memory (no write), with the settings of the trial's last segmentation run. */
function segment(ctx: ServiceContext, trialId: string): Segmented {
  const stored = readEvents(ctx.db, trialId);
  const detectorRun = latestRun(ctx.db, trialId, 'gait-events');
  const channels = loadChannels(ctx, trialId);
  const curveChannels = curveChannelsOf(detectorRun, channels);
  const last = latestRun(ctx.db, trialId, 'cycles');
  const settings: Partial<CycleParams> = last?.method === cycleSegmentation.name ? (last.params as Partial<CycleParams>) : {};
  // The events the gait cycles are cut from (the file's own before the plates' single contacts on motion capture).
  const chosen = chooseCycleEvents(stored, detectorRun);
  const used = chosen.source === 'detector' ? segmentationEvents(stored, detectorRun) : chosen.events;
  const r = cycleSegmentation.run(segmentationInput(used, channels, curveChannels), settings);
  return { events: toGaitEvents(used), cycles: r.output.cycles, curveChannels, detector: detectorRun?.method ?? null, excludeTurns: r.params.excludeTurns, eventSource: chosen.source, channels };
}

const SPATIAL: { key: Exclude<keyof SpatialStride, 'side' | 'strikeS'>; name: string; unit: string }[] = [
  { key: 'walkingSpeedMs', name: 'walking_speed', unit: 'm/s' },
  { key: 'strideLengthM', name: 'stride_length', unit: 'm' },
  { key: 'stepLengthM', name: 'step_length', unit: 'm' },
  { key: 'stepWidthM', name: 'step_width', unit: 'm' },
  { key: 'footProgressionDeg', name: 'foot_progression_angle', unit: 'deg' },
];

const PARAMETERS: { key: keyof Omit<ReturnType<typeof summarise>, 'cadence' | 'stridesIncluded' | 'stridesExcluded'>; name: string }[] = [
  { key: 'strideTime', name: 'stride_time' },
  { key: 'stepTime', name: 'step_time' },
  { key: 'stanceTime', name: 'stance_time' },
  { key: 'swingTime', name: 'swing_time' },
  { key: 'stance', name: 'stance' },
  { key: 'swing', name: 'swing' },
  { key: 'doubleSupport', name: 'double_support' },
];

/**
 * Parameters from the stored events (reads only). Trials a detector fits but none has run on are listed as
 * pendingDetection. Strides overlapping a turn count as the trial's last segmentation run says (excludeTurns,
 * stored with its parameters; default on); `flagged` counts the strides left out of the summaries.
 */
export function params(ctx: ServiceContext, req: { trialId?: string; subjectId?: string; sessionId?: string }): GaitParameters {
  const trialIds = scopeTrials(ctx, req);
  const strides: StrideParameters[] = [];
  const meanCurves: Record<FootSide, Float64Array[]> = { left: [], right: [] };
  const pendingDetection: string[] = [];
  const strideBased: StrideParameters[] = [];
  let plateTrials = 0;
  const contactTimes = { stanceTime: { left: [] as number[], right: [] as number[] }, stepTime: { left: [] as number[], right: [] as number[] } };
  let channelPair: string | null = null;
  let detector: string | null = null;
  const spatial: SpatialStride[] = [];
  for (const trialId of trialIds) {
    if (!latestRun(ctx.db, trialId, 'gait-events') && chooseDetector(readChannelMeta(ctx.db, trialId))) pendingDetection.push(trialId);
    const s = segment(ctx, trialId);
    detector ??= s.detector;
    const options = { excludeTurns: s.excludeTurns };
    // Pooled over trials that may differ in the setting: each trial's turning strides lose their flag here when
    // its setting counts them, so the pooled summaries below apply every trial's own setting.
    const trialStrides = spatiotemporal(s.cycles, s.events, options).strides
      .map((x) => (options.excludeTurns ? x : { ...x, flags: x.flags.filter((f) => f !== 'in_turn') }));
    strides.push(...trialStrides);
    const trialSpatialStrides = trialSpatial(s.channels, s.cycles, s.excludeTurns);
    if (trialSpatialStrides) spatial.push(...trialSpatialStrides.strides);
    if (s.detector === PLATES && s.eventSource === 'plates') {
      plateTrials++;
      // Plates seldom hold a whole stride: their stance and step times come from the contacts (plate-contact-times.ts).
      const times = plateContactTimes(plateStances(plateStanceInput(readEvents(ctx.db, trialId), new Map()).events, {}, plateStanceSettings(ctx, trialId)));
      for (const side of FOOT_SIDES) {
        contactTimes.stanceTime[side].push(...times.stanceTimeS[side]);
        contactTimes.stepTime[side].push(...times.stepTimeS[side]);
      }
    } else {
      strideBased.push(...trialStrides);
    }
    for (const c of s.cycles) if (c.curve && countsInSummaries(c.flags, options)) meanCurves[c.side].push(c.curve);
    if (s.curveChannels.left && s.curveChannels.right) channelPair = `${s.curveChannels.left.name} / ${s.curveChannels.right.name}`;
  }
  const perSide = { left: summarise(strides.filter((x) => x.side === 'left')), right: summarise(strides.filter((x) => x.side === 'right')) };
  const both = summarise(strides);
  if (plateTrials > 0) {
    // Stance and step times: strides of the other trials, contacts of the plate trials.
    for (const key of ['stanceTime', 'stepTime'] as const) {
      const values = (side: FootSide) => [...strideValues(strideBased.filter((x) => x.side === side), key), ...contactTimes[key][side]];
      perSide.left[key] = statistic(values('left'), 's');
      perSide.right[key] = statistic(values('right'), 's');
      both[key] = statistic([...values('left'), ...values('right')], 's');
    }
  }
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
  // Spatial parameters from the markers, where the trials have them (spatial-params.ts).
  for (const sp of SPATIAL) {
    const values = (side: FootSide | null) => spatial.filter((x) => side === null || x.side === side).map((x) => x[sp.key]).filter((v): v is number => v !== null);
    if (values(null).length === 0) continue;
    const st = { left: statistic(values('left'), sp.unit), right: statistic(values('right'), sp.unit), both: statistic(values(null), sp.unit) };
    row(sp.name, 'left', st.left);
    row(sp.name, 'right', st.right);
    row(sp.name, null, st.both);
    const { si, sa } = compareSides(st.left.mean.value, st.right.mean.value);
    symmetry.push({ name: sp.name, left: st.left.mean, right: st.right.mean, symmetryIndex: si, symmetryAngle: sa });
  }
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
    pendingDetection,
    strides: { left: strides.filter((x) => x.side === 'left').length, right: strides.filter((x) => x.side === 'right').length, flagged },
    parameters, symmetry, curveSymmetry,
  };
}
