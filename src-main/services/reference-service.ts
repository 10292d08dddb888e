// Normative reference sets: built from the clean gait cycles of a chosen group of subjects (mean ± SD per point
// of each channel, pooled over subjects' mean curves or over cycles), named and versioned, shared as JSON or CSV.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ApiResponse } from '../../src-shared/api/schema';
import { InputError } from '../../src-shared/domain/errors';
import { kineticsScale } from '../../src-shared/gait-graph/kinetics-units';
import { parseReferenceFile, referenceToCsv, referenceToJson, type ReferenceFile } from '../../src-shared/gait-graph/reference-file';
import { curveMeanSd } from '../../src-shared/signal/curve-stats';
import { listSubjects } from '../store/queries';
import {
  deleteReferenceSet, findReferenceSet, insertReferenceSet, listReferenceSets, readReferenceSet,
  type ReferenceCurve, type ReferenceSummary, type StoredReferenceSet,
} from '../store/references';
import { trialContentHash } from '../store/trial-meta';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';
import { scopeCycles, subjectBodyMassKg, type ChannelCycle } from './subject-cycles';

export const REFERENCE_METHOD = 'NormativeReference';
export const REFERENCE_METHOD_VERSION = '1.0.0';

export type Pooling = 'subjects' | 'cycles';
export interface ReferenceKey { id?: string; name?: string; version?: number }

export function resolveReference(ctx: ServiceContext, key: ReferenceKey): ReferenceSummary {
  if (!key.id && !key.name) throw new ApiError('bad-request', 'name a reference set (id or name)');
  const r = findReferenceSet(ctx.db, key);
  if (!r) throw new ApiError('not-found', `no reference set ${key.id ?? key.name}${key.version ? ` version ${key.version}` : ''}`);
  return r;
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

/**
 * Mean ± SD per point of one channel. Pooled over subjects, each subject's mean curve counts once (the usual
 * normative band: between-subject variation, not weighted by who walked most); pooled over cycles, every cycle does.
 */
export function referenceCurve(channel: string, cycles: ChannelCycle[], pooling: Pooling): ReferenceCurve {
  const bySubject = new Map<string, number[][]>();
  for (const c of cycles) bySubject.set(c.subjectId, [...(bySubject.get(c.subjectId) ?? []), c.curve]);
  const units = new Set(cycles.map((c) => c.unit));
  if (units.size > 1) throw new ApiError('bad-request', `channel ${channel} is stored in different units (${[...units].join(', ')}): choose channels of one unit`);
  const curves = pooling === 'cycles' ? cycles.map((c) => c.curve) : [...bySubject.values()].map((cs) => Array.from(curveMeanSd(cs)!.mean));
  const stats = curveMeanSd(curves)!;
  return { channel, unit: cycles[0].unit, nCycles: cycles.length, nSubjects: bySubject.size, mean: Array.from(stats.mean, round), sd: Array.from(stats.sd, round) };
}

export function createReference(ctx: ServiceContext, req: { name: string; group?: string; cohort?: string; subjectIds?: string[]; channels?: string[]; pooling?: Pooling }): ReferenceSummary {
  const pooling = req.pooling ?? 'subjects';
  if (!req.group && !req.cohort && !req.subjectIds?.length) throw new ApiError('bad-request', 'choose the subjects: a group, a cohort or subject ids');
  const subjects = req.subjectIds?.length
    ? req.subjectIds
    : listSubjects(ctx.db, { group: req.group, cohort: req.cohort, offset: 0, limit: 1_000_000 }).subjects.map((s) => s.id);
  const who = req.group ? `group ${req.group}` : req.cohort ? `cohort ${req.cohort}` : 'the subjects given';
  if (subjects.length === 0) throw new ApiError('bad-request', `no subject in ${who}`);
  const wanted = req.channels ? new Set(req.channels) : null;
  const pooled = new Map<string, ChannelCycle[]>();
  const trials = new Map<string, string>();
  // Kinetics are kept per kg of each member's body mass, as the gait graph shows them; a member without a known
  // mass leaves out its kinetics (named in the params), not the whole set.
  const kineticsLeftOut = new Set<string>();
  for (const subjectId of subjects) {
    const s = scopeCycles(ctx, { subjectId }, { extract: true });
    const massKg = subjectBodyMassKg(ctx, subjectId);
    for (const [channel, all] of s.byChannel) {
      if (wanted && !wanted.has(channel)) continue;
      const cycles = all.flatMap((c) => {
        const scale = kineticsScale(c.unit, massKg);
        if (!scale) return [c];
        if (!scale.unit.endsWith('/kg')) {
          kineticsLeftOut.add(subjectId);
          return [];
        }
        return [{ ...c, unit: scale.unit, curve: c.curve.map((v) => v * scale.factor) }];
      });
      if (cycles.length === 0) continue;
      pooled.set(channel, [...(pooled.get(channel) ?? []), ...cycles]);
      for (const c of cycles) trials.set(c.trialId, c.subjectId);
    }
  }
  if (wanted) {
    const absent = [...wanted].filter((c) => !pooled.has(c));
    if (absent.length) throw new ApiError('bad-request', `no clean gait cycle of ${absent.join(', ')} in ${who}`);
  }
  if (pooled.size === 0) throw new ApiError('bad-request', `no clean gait cycle in the ${subjects.length} subject(s) of ${who}`);
  const curves = [...pooled.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([channel, cycles]) => referenceCurve(channel, cycles, pooling));
  const members = [...trials.entries()].map(([trialId, subjectId]) => ({ subjectId, trialId, contentSha256: trialContentHash(ctx.db, trialId) }));
  const { id } = insertReferenceSet(ctx.db, ctx.actor, {
    name: req.name, method: REFERENCE_METHOD, methodVersion: REFERENCE_METHOD_VERSION,
    params: { group: req.group ?? null, cohort: req.cohort ?? null, subjectIds: req.subjectIds ?? null, channels: req.channels ?? null, pooling, cycles: 'gait_cycle, unflagged', kinetics: 'per kg of body mass', kineticsLeftOutNoBodyMass: [...kineticsLeftOut] },
    // The set's cycle count is its best-covered channel's: every channel of a trial is cut on the same strides.
    origin: 'built', sourceFile: null, nSubjects: new Set(members.map((m) => m.subjectId)).size, nCycles: curves.reduce((n, c) => Math.max(n, c.nCycles), 0),
    members, curves,
  });
  return findReferenceSet(ctx.db, { id })!;
}

export function listReferences(ctx: ServiceContext): { references: ReferenceSummary[] } {
  return { references: listReferenceSets(ctx.db) };
}

export function getReference(ctx: ServiceContext, key: ReferenceKey): StoredReferenceSet {
  return readReferenceSet(ctx.db, resolveReference(ctx, key).id)!;
}

function toFile(set: StoredReferenceSet): ReferenceFile {
  return {
    name: set.name, version: set.version, method: set.method, methodVersion: set.methodVersion, params: set.params, createdAt: set.createdAt,
    members: set.members.map((m) => ({ subjectId: m.subjectId, trialId: m.trialId })), nSubjects: set.nSubjects, nCycles: set.nCycles,
    curves: set.curves,
  };
}

export function exportReference(ctx: ServiceContext, req: ReferenceKey & { format: 'json' | 'csv' }): ApiResponse<'exportReference'> {
  const set = getReference(ctx, req);
  const file = toFile(set);
  const safe = set.name.replace(/[^A-Za-z0-9._-]+/g, '_');
  return { fileName: `${safe}-v${set.version}.${req.format}`, content: req.format === 'csv' ? referenceToCsv(file) : referenceToJson(file) };
}

export function importReference(ctx: ServiceContext, req: { path?: string; fileName?: string; content?: string; name?: string }): ReferenceSummary {
  if (!!req.path === (req.content !== undefined)) throw new ApiError('bad-request', 'give the file: a path, or a fileName and its content');
  const fileName = req.path ? basename(req.path) : req.fileName ?? 'reference.json';
  let text: string;
  try {
    text = req.path ? readFileSync(req.path, 'utf8') : req.content!;
  } catch (e) {
    throw new ApiError('input', `${fileName}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let file: ReferenceFile;
  try {
    file = parseReferenceFile(text, fileName);
  } catch (e) {
    if (e instanceof InputError) throw new ApiError('input', e.message);
    throw e;
  }
  const { id } = insertReferenceSet(ctx.db, ctx.actor, {
    name: req.name ?? file.name, method: file.method, methodVersion: file.methodVersion,
    params: { ...file.params, importedFrom: { name: file.name, version: file.version, createdAt: file.createdAt } },
    origin: 'imported', sourceFile: fileName, nSubjects: file.nSubjects, nCycles: file.nCycles,
    members: file.members.map((m) => ({ ...m, contentSha256: null })), curves: file.curves,
  });
  return findReferenceSet(ctx.db, { id })!;
}

export function deleteReference(ctx: ServiceContext, key: ReferenceKey): { deleted: string } {
  const r = resolveReference(ctx, key);
  deleteReferenceSet(ctx.db, ctx.actor, r.id);
  return { deleted: r.id };
}
