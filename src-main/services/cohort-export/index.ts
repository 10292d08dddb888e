// `exportCohort`: selects the visits a cohort filter names, gathers their trials, cycles and parameters, writes them
// in the chosen format into a fresh folder beside the destination, renames it into place, and audits the export
// with the hash of every file. Nothing is written into the destination until every file is complete.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { describeCohortFilter, matchesCohort, parseCohortFilter, unknownFields } from '../../../src-shared/domain/cohort-filter';
import { InputError } from '../../../src-shared/domain/errors';
import { appendAudit } from '../../store/audit';
import { readVisits, visitTrials } from '../../store/cohort-rows';
import { ApiError } from '../api-errors';
import { throwIfCancelled, type CallContext } from '../call-context';
import type { ServiceContext } from '../context';
import * as gait from '../gait-service';
import { getChannels } from '../signal-service';
import { version } from '../version';
import { cyclesTable, parametersTable, sessionsTable, subjectsTable, trialsTable, type CycleRow, type ParameterRow, type TrialRow } from './tables';
import { isGaitrecChannel, writeGaitrec, type GaitrecTrial } from './write-gaitrec';
import { writeCsv, writeTables } from './write-tables';

type Format = 'csv' | 'parquet' | 'hdf5' | 'gaitrec';
export interface ExportRequest { cohort: string; format: Format; out: string; channels?: string[]; identifying: boolean; parameters: boolean }

/** Counts of what a filter selects (subjects, visits, trials by group), refusing a filter it cannot read. */
export function previewCohort(ctx: ServiceContext, req: { cohort: string }): ApiResponse<'previewCohort'> {
  const clauses = parseCohortFilterOrRefuse(req.cohort);
  const all = readVisits(ctx.db, { identity: false });
  const visits = all.filter((v) => matchesCohort(v, clauses));
  const unknown = unknownFields(all, clauses);
  if (unknown.length) throw new ApiError('input', `--cohort ${describeCohortFilter(clauses)}: no visit has ${unknown.join(', ')}`);
  const { included } = visitTrials(ctx.db, visits.map((v) => v.sessionId));
  const groups: Record<string, number> = {};
  const subjects = new Map(visits.map((v) => [v.subjectId, v.group ?? 'no group']));
  for (const g of subjects.values()) groups[g] = (groups[g] ?? 0) + 1;
  return { cohort: describeCohortFilter(clauses), subjects: subjects.size, sessions: visits.length, trials: included.length, groups, cohorts: [...new Set(all.map((v) => v.cohort))].sort() };
}

function parseCohortFilterOrRefuse(text: string) {
  try {
    return parseCohortFilter(text, '--cohort');
  } catch (e) {
    throw e instanceof InputError ? new ApiError('input', e.message) : e;
  }
}

export async function exportCohort(ctx: ServiceContext, req: ExportRequest, call: CallContext): Promise<ApiResponse<'exportCohort'>> {
  const clauses = parseCohortFilterOrRefuse(req.cohort);
  const out = resolve(req.out);
  if (existsSync(out) && (!statSync(out).isDirectory() || readdirSync(out).length > 0)) {
    throw new ApiError('input', `${out}: exists and is not an empty folder; choose a new folder for the export`);
  }
  const all = readVisits(ctx.db, { identity: req.identifying });
  const visits = all.filter((v) => matchesCohort(v, clauses));
  const cohort = describeCohortFilter(clauses);
  if (visits.length === 0) {
    const unknown = unknownFields(all, clauses);
    throw new ApiError('input', unknown.length
      ? `--cohort ${cohort}: no visit has ${unknown.join(', ')} (fields: cohort, group, sex, age, date, session, subject, tag, or an attribute such as hoehn_yahr)`
      : `--cohort ${cohort}: no visit matches`);
  }
  const { included, leftOut: trialsLeftOut } = visitTrials(ctx.db, visits.map((v) => v.sessionId));
  const subjectOf = new Map(visits.map((v) => [v.sessionId, v.subjectId]));
  const wanted = req.channels ? new Set(req.channels) : null;
  const leftOut: string[] = [];

  const cycles: CycleRow[] = [];
  const params: ParameterRow[] = [];
  const trials: TrialRow[] = [];
  const gaitrecTrials: GaitrecTrial[] = [];
  const report = (done: number, stage: string) => call.progress({ kind: 'progress', task: 'export', stage, done, total: included.length });
  for (const [k, t] of included.entries()) {
    throwIfCancelled(call.signal, 'the export');
    report(k, `trial ${t.key}`);
    const subjectId = subjectOf.get(t.sessionId)!;
    let trialCycles = 0;
    if (req.format === 'gaitrec') {
      const channels = getChannels(ctx, t.id, { valuesIncluded: true })
        .filter((c) => (!wanted || wanted.has(c.name)))
        .map((c) => ({ name: c.name, values: c.values ?? [] }));
      gaitrecTrials.push({ id: t.id, subjectId, sessionId: t.sessionId, key: t.key, channels });
      trialCycles = channels.filter((c) => isGaitrecChannel(c.name)).length;
    } else {
      for (const c of trialCyclesOf(ctx, t.id, leftOut)) {
        if (wanted && !wanted.has(c.channel)) continue;
        cycles.push({ subjectId, sessionId: t.sessionId, trialId: t.id, channel: c.channel, side: c.side, kind: c.kind, index: 0, startS: c.startS, endS: c.endS, unit: c.unit, flags: c.flags, curve: c.curve });
        trialCycles++;
      }
      if (req.parameters) params.push(...trialParameters(ctx, t.id, subjectId, t.sessionId, leftOut));
    }
    trials.push({ id: t.id, subjectId, sessionId: t.sessionId, key: t.key, format: t.format, durationS: t.durationS, cycles: trialCycles });
  }
  numberCycles(cycles);
  report(included.length, 'writing files');

  // Write into a fresh folder beside the destination, then rename it into place.
  const parent = dirname(out);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${out.split(/[\\/]/).pop()}.partial-${process.pid}-${Date.now()}`);
  mkdirSync(staging);
  let names: string[];
  try {
    const tables = [subjectsTable(visits, req.identifying), sessionsTable(visits, req.identifying), trialsTable(trials, req.identifying)];
    if (req.format === 'gaitrec') {
      const g = writeGaitrec(staging, visits, gaitrecTrials);
      leftOut.push(...g.leftOut);
      if (g.curves === 0) throw new ApiError('input', `--cohort ${cohort}: none of its ${included.length} trials has a channel in GaitRec's layout (GRF_<component>_<PRO|RAW>_<side>); use --format csv`);
      names = [...g.files, ...(await writeTables(staging, tables, 'csv'))];
    } else {
      names = await writeTables(staging, [...tables, cyclesTable(cycles), ...(req.parameters ? [parametersTable(params)] : [])], req.format);
    }
    const files = names.map((name) => {
      const bytes = readFileSync(join(staging, name));
      return { name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    });
    const contentSha256 = createHash('sha256').update(files.map((f) => `${f.name}\t${f.sha256}\n`).join('')).digest('hex');
    const exportId = `X-${randomUUID().slice(0, 8).toUpperCase()}`;
    const manifest = {
      exportId, gaitlabVersion: version, createdAt: new Date().toISOString(), cohort, format: req.format,
      identifying: req.identifying, pseudonymised: !req.identifying,
      counts: { subjects: new Set(visits.map((v) => v.subjectId)).size, sessions: visits.length, trials: trials.length, cycles: cycles.length, parameters: params.length },
      files, contentSha256, trialsLeftOut, leftOut,
    };
    writeCsv(staging, 'manifest.csv', ['key', 'value'], Object.entries(manifest).map(([key, v]) => [key, typeof v === 'object' ? JSON.stringify(v) : String(v)]));
    if (existsSync(out)) rmSync(out, { recursive: true });
    renameSync(staging, out);
    appendAudit(ctx.db, {
      actor: ctx.actor, action: 'export', entity: 'cohort_export', entityId: exportId,
      newValue: { cohort, format: req.format, identifying: req.identifying, out, counts: manifest.counts, files: files.map((f) => ({ name: f.name, sha256: f.sha256 })), contentSha256 },
    });
    return {
      exportId, out, format: req.format, cohort, identifying: req.identifying, ...manifest.counts,
      files, contentSha256, trialsLeftOut: trialsLeftOut.map((t) => ({ trialId: t.id, reason: t.reason })), leftOut,
    };
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    if (e instanceof InputError) throw new ApiError('input', e.message);
    throw e;
  }
}

/** A trial's cycles, extracted first where they are missing or stale; a trial no method can cut is noted, not fatal. */
function trialCyclesOf(ctx: ServiceContext, trialId: string, leftOut: string[]) {
  try {
    const have = gait.cycles(ctx, { trialId });
    if (have.unextracted.length === 0) return have.cycles;
    return gait.extractCycles(ctx, { trialId }).cycles;
  } catch (e) {
    leftOut.push(`cycles of trial ${trialId}: ${(e as Error).message}`);
    return [];
  }
}

function trialParameters(ctx: ServiceContext, trialId: string, subjectId: string, sessionId: string, leftOut: string[]): ParameterRow[] {
  try {
    return gait.params(ctx, { trialId }).parameters.map((p) => ({
      subjectId, sessionId, trialId, name: p.name, side: p.side, mean: p.mean.value, sd: p.sd.value, cv: p.cv.value, n: p.n, unit: p.mean.unit,
    }));
  } catch (e) {
    leftOut.push(`parameters of trial ${trialId}: ${(e as Error).message}`);
    return [];
  }
}

/** Cycle numbers from 1 within each trial, channel and side, in time order. */
function numberCycles(cycles: CycleRow[]): void {
  const next = new Map<string, number>();
  const order = cycles.map((_, k) => k).sort((a, b) => cycles[a].startS - cycles[b].startS);
  for (const k of order) {
    const c = cycles[k];
    const key = `${c.trialId}\u0000${c.channel}\u0000${c.side}\u0000${c.kind}`;
    const n = (next.get(key) ?? 0) + 1;
    next.set(key, n);
    c.index = n;
  }
}
