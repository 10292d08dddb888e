// Clean gait cycles of a scope (trial, session or subject) grouped by channel, read through the cycles service so
// that every event source it learns (plates, the file's events, kinematic events) feeds the gait graph, the
// reference sets and the GPS alike. Trials whose cycles were never extracted are extracted first (an explicit run,
// as the app's first view of a trial makes); flagged cycles (incomplete, implausible, in a turn) are left out.
import type { CycleDto } from '../../src-shared/api/schema';
import { parsePigChannel, withoutSubjectPrefix } from '../../src-shared/gait-graph/pig-variables';
import { getSubject, getTrial } from '../store/queries';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';
import { events as trialEvents } from './event-service';
import { cycles as storedCycles, extractCycles } from './gait-service';

export interface ChannelCycle { trialId: string; subjectId: string; channel: string; side: 'left' | 'right' | null; unit: string; curve: number[]; footOffPct: number | null }

export interface ScopeCycles {
  trials: string[];
  unextracted: string[];
  /** By channel name without subject prefix. */
  byChannel: Map<string, ChannelCycle[]>;
}

export interface Scope { trialId?: string; subjectId?: string; sessionId?: string }

/** Trials in scope, with the session narrowing its subject's trials. */
function scopeRequest(s: Scope): { trialId?: string; subjectId?: string; sessionId?: string } {
  if (s.sessionId && !s.subjectId) throw new ApiError('bad-request', 'a session is asked for with its subject (subjectId and sessionId)');
  return s;
}

/** A cycle belongs to a PiG channel's side only where its side is the channel's (L… channels are cut on left strikes). */
function sideOf(c: CycleDto): 'left' | 'right' | null {
  const pig = parsePigChannel(c.channel);
  if (pig) return c.side === null || c.side === pig.side ? pig.side : null;
  return c.side === 'left' || c.side === 'right' ? c.side : null;
}

export function scopeCycles(ctx: ServiceContext, scope: Scope, options: { extract: boolean; channels?: ReadonlySet<string> }): ScopeCycles {
  const req = scopeRequest(scope);
  const wanted = options.channels;
  // Only the channels asked for (by name without subject prefix) are read from the store.
  const base = { trialId: req.trialId, subjectId: req.subjectId, kind: 'gait_cycle' as const, ...(wanted ? { channelMatch: (n: string) => wanted.has(withoutSubjectPrefix(n)) } : {}) };
  let read = storedCycles(ctx, base);
  if (options.extract && read.unextracted.length) {
    for (const trialId of read.unextracted) extractCycles(ctx, { trialId });
    read = storedCycles(ctx, base);
  }
  const subjectOf = new Map<string, { subjectId: string; sessionId: string }>();
  const trialInfo = (trialId: string) => {
    let t = subjectOf.get(trialId);
    if (!t) {
      const trial = getTrial(ctx.db, trialId);
      t = { subjectId: trial?.subjectId ?? '', sessionId: trial?.sessionId ?? '' };
      subjectOf.set(trialId, t);
    }
    return t;
  };
  const inSession = (trialId: string) => !req.sessionId || trialInfo(trialId).sessionId === req.sessionId;
  const stored = new Map<string, { label: string; side: string | null; timeS: number; source: string; manual: boolean }[]>();
  const eventsOf = (trialId: string) => {
    let f = stored.get(trialId);
    if (!f) {
      f = trialEvents(ctx, trialId).events.filter((e) => e.label === 'final_contact' || e.label === 'initial_contact');
      stored.set(trialId, f);
    }
    return f;
  };
  // A trial may hold several sets of events (the file's, a detector's, manual ones): the foot-off is taken from the
  // set whose foot strike opened the cycle, so that a cycle cut on the file's events gets the file's foot-off.
  const footOffOf = (c: CycleDto, side: 'left' | 'right' | null): number | null => {
    const es = eventsOf(c.trialId).filter((e) => e.side === side);
    const strike = es.filter((e) => e.label === 'initial_contact' && Math.abs(e.timeS - c.startS) < 1e-3)
      .sort((a, b) => Math.abs(a.timeS - c.startS) - Math.abs(b.timeS - c.startS))[0];
    const inside = es.filter((e) => e.label === 'final_contact' && e.timeS > c.startS && e.timeS < c.endS);
    const off = inside.find((e) => e.manual) ?? inside.find((e) => strike && e.source === strike.source) ?? inside[0];
    return off ? (100 * (off.timeS - c.startS)) / (c.endS - c.startS) : null;
  };
  const byChannel = new Map<string, ChannelCycle[]>();
  const trials = new Set<string>();
  for (const c of read.cycles) {
    if (!inSession(c.trialId)) continue;
    trials.add(c.trialId);
    const side = sideOf(c);
    if (c.flags.length || c.curve.length === 0 || (parsePigChannel(c.channel) && side === null)) continue;
    const key = withoutSubjectPrefix(c.channel);
    const list = byChannel.get(key) ?? [];
    list.push({
      trialId: c.trialId, subjectId: trialInfo(c.trialId).subjectId, channel: c.channel, side, unit: c.unit, curve: c.curve,
      footOffPct: footOffOf(c, side),
    });
    byChannel.set(key, list);
  }
  const unextracted = read.unextracted.filter(inSession);
  // A scope asked for by trial or session still names its trials when none has a cycle yet.
  if (req.trialId) trials.add(req.trialId);
  return { trials: [...trials], unextracted, byChannel };
}

/** Body mass in kg from the subject's attributes (body_mass, else gaitpdb's weight), or null. */
export function subjectBodyMassKg(ctx: ServiceContext, subjectId: string): number | null {
  const attrs = getSubject(ctx.db, subjectId)?.subject.attributes ?? {};
  for (const key of ['body_mass', 'weight']) {
    const v = attrs[key]?.value;
    if (typeof v === 'number' && v > 0 && (attrs[key].unit ?? 'kg') === 'kg') return v;
  }
  return null;
}
