// SincPD data building (methods-spec §5.3.1) from the two sources a user has: walks already in the database (the
// gaitpdb import keeps the 16 sensor forces as float32 and the device clock as float64) and walk files given
// directly (read with the same gaitpdb reader, so both give the same numbers; nothing is stored for them).
import { createHash } from 'node:crypto';
import type { Db } from '../../store/db';
import { readClock, readSignals } from '../../store/queries';
import { decodeSamples } from '../../store/sample-codec';
import { readStoredWalks } from '../../store/sincpd-walks';
import { readSourceFile } from '../../formats/source-file';
import { gaitpdbWalk } from '../../formats/gaitpdb-walk';
import { gaitpdbDemographics } from '../../formats/gaitpdb-demographics';
import { InputError } from '../../../src-shared/domain/errors';
import { checkWalkClock, cutSegments, concatSegments, parseWalkName, sensorDifferences100Hz, type ClockReport, type SegmentMeta, type SegmentSet, SINCPD_RATE_HZ } from '../../../src-shared/methods/sincpd/segments';
import { findDuplicateWalks, type DroppedWalk } from '../../../src-shared/methods/sincpd/walk-duplicates';
import { severityLabel, studyStageTable } from '../../../src-shared/methods/sincpd/walk-labels';

const LEFT = ['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'L8'];
const RIGHT = ['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8'];

/** One walk as read: 16 sensor forces (N) and the two totals on the device clock, with its labels. */
export interface RawWalk {
  /** Walk name (GaPt03_01) for files and stored gaitpdb trials; the trial id travels in `trialId`. */
  name: string;
  source: string;
  trialId?: string;
  subject: string;
  study: string;
  group: 'Co' | 'Pt';
  walkNumber: number;
  hoehnYahr: number | null;
  sha256: string;
  timeS: Float64Array;
  left: Float32Array[];
  right: Float32Array[];
  totals?: { left: Float32Array; right: Float32Array };
}

/** SHA-256 of the parsed numbers (clock then the 16 sensors), to catch identical recordings stored differently. */
export function walkArrayHash(w: RawWalk): string {
  const h = createHash('sha256');
  const bytes = (a: Float32Array | Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  h.update(bytes(w.timeS));
  for (const c of [...w.left, ...w.right]) h.update(bytes(c));
  return h.digest('hex');
}

/** Reads a gaitpdb walk file (.txt or .txt.gz) with the importer's reader; H&Y from `hoehnYahr` if known. */
export async function readWalkFile(path: string, hoehnYahr: Map<string, number | null> = new Map()): Promise<RawWalk> {
  const file = await readSourceFile(path);
  const id = parseWalkName(file.name);
  if (!id) throw new InputError(path, null, 'file name', 'a gaitpdb walk is named like GaPt03_01.txt (study, group, subject, walk)');
  const batch = await gaitpdbWalk.read(file);
  const trial = batch.sessions[0].trials[0];
  const byName = new Map(trial.channels.map((c) => [c.name, c.samples as Float32Array]));
  return {
    name: `${id.subject}_${String(id.walk).padStart(2, '0')}`, source: path, subject: id.subject, study: id.study, group: id.group, walkNumber: id.walk,
    hoehnYahr: hoehnYahr.get(id.subject) ?? null, sha256: file.sha256, timeS: trial.deviceTimeS!,
    left: LEFT.map((n) => byName.get(n)!), right: RIGHT.map((n) => byName.get(n)!),
    totals: { left: byName.get('L_total')!, right: byName.get('R_total')! },
  };
}

/**
 * The stored walks of `cohort` (or of the given trial ids), with the sensor forces and the device clock. A trial
 * without a device clock is read at its stored rate (k / rate).
 */
export function readStoredWalksWithSignals(db: Db, cohort: string | null, trialIds: string[] | null = null): RawWalk[] {
  return readStoredWalks(db, cohort, trialIds).map((row) => {
    const id = parseWalkName(row.trialKey);
    const group: 'Co' | 'Pt' = id?.group ?? (row.group === 'PD' ? 'Pt' : 'Co');
    const signals = readSignals(db, row.trialId, [...LEFT, ...RIGHT, 'L_total', 'R_total']);
    const get = (n: string) => {
      const s = signals.find((r) => r.channel === n);
      if (!s) throw new InputError(`trial ${row.trialId}`, null, n, 'channel missing');
      return { values: decodeSamples(s.data, s.encoding, s.samples, `trial ${row.trialId} channel ${n}`) as Float32Array, rate: s.rate_hz ?? SINCPD_RATE_HZ };
    };
    const l1 = get('L1');
    const clock = readClock(db, row.trialId);
    const timeS = clock ? (decodeSamples(clock.data, clock.encoding, clock.samples, `trial ${row.trialId} device clock`) as Float64Array) : Float64Array.from(l1.values, (_, k) => k / l1.rate);
    const total = (n: string) => signals.some((r) => r.channel === n) ? get(n).values : undefined;
    const lt = total('L_total'), rt = total('R_total');
    return {
      name: row.trialKey, source: `trial ${row.trialId} (${row.trialKey})`, trialId: row.trialId, subject: row.subjectCode,
      study: row.study ?? id?.study ?? '', group, walkNumber: id?.walk ?? 1, hoehnYahr: row.hoehnYahr, sha256: row.contentSha256 ?? '',
      timeS, left: LEFT.map((n) => get(n).values), right: RIGHT.map((n) => get(n).values), ...(lt && rt ? { totals: { left: lt, right: rt } } : {}),
    };
  });
}

export interface WalkLog extends ClockReport { walk: string; maxTotalDeviationN: number | null; segments: number }

export interface SincPdDataset {
  set: SegmentSet;
  /** Walks removed as byte-identical (or array-identical) copies, with the walk they copy. */
  duplicates: DroppedWalk[];
  /** PD subjects left out of severity (missing or out-of-set H&Y), one line each. */
  severityExcluded: string[];
  walks: WalkLog[];
  warnings: string[];
  studyStageTable: Record<string, Record<string, number>>;
}

export interface BuildOptions { walks?: 'all' | 'usual-only' }

/** Largest |column 18 − Σ 2–9| and |column 19 − Σ 10–17| (§5.3.1 item 3: a warning, not an error). */
function totalDeviation(w: RawWalk): number | null {
  if (!w.totals) return null;
  let max = 0;
  for (let k = 0; k < w.timeS.length; k++) {
    let l = 0, r = 0;
    for (let s = 0; s < 8; s++) { l += w.left[s][k]; r += w.right[s][k]; }
    max = Math.max(max, Math.abs(w.totals.left[k] - l), Math.abs(w.totals.right[k] - r));
  }
  return max;
}

/** De-duplicates, labels and segments walks (every walk kept carries both labels; severity null where invalid). */
export function buildSincPdDataset(raw: RawWalk[], o: BuildOptions = {}): SincPdDataset {
  const chosen = o.walks === 'usual-only' ? raw.filter((w) => w.walkNumber === 1) : raw;
  const fingerprints = chosen.map((w) => ({ name: w.name, sha256: w.sha256 || walkArrayHash(w), arrayHash: walkArrayHash(w) }));
  const { keep, dropped } = findDuplicateWalks(fingerprints);
  const kept = new Set(keep);
  const sets: SegmentSet[] = [];
  const walks: WalkLog[] = [];
  const warnings: string[] = [];
  const severityExcluded = new Map<string, string>();
  const subjects = new Map<string, { study: string; severity: number | null }>();
  for (const w of chosen.filter((x) => kept.has(x.name)).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const clock = checkWalkClock(w.timeS, w.source);
    const sev = severityLabel(w.subject, w.group, w.hoehnYahr);
    if (sev.severity === null) severityExcluded.set(w.subject, sev.reason);
    subjects.set(w.subject, { study: w.study, severity: sev.severity });
    const { starts, x } = cutSegments(sensorDifferences100Hz(w.timeS, w.left, w.right));
    const meta: SegmentMeta[] = starts.map((k) => ({
      walk: w.name, subject: w.subject, study: w.study, walkNumber: w.walkNumber, startS: w.timeS[0] + k / SINCPD_RATE_HZ,
      pd: w.group === 'Pt' ? 1 : 0, severity: sev.severity,
    }));
    const dev = totalDeviation(w);
    if (dev != null && dev > 0.011) warnings.push(`${w.source}: totals differ from the sum of the sensors by up to ${dev.toFixed(3)} N`);
    walks.push({ walk: w.name, ...clock, maxTotalDeviationN: dev, segments: starts.length });
    sets.push({ x, meta });
  }
  return {
    set: concatSegments(sets), duplicates: dropped, severityExcluded: [...severityExcluded.values()], walks, warnings,
    studyStageTable: studyStageTable([...subjects.values()]),
  };
}


/** Subject code → H&Y (null where NaN) from a gaitpdb demographics.txt, read with the importer's reader. */
export async function readHoehnYahr(path: string): Promise<Map<string, number | null>> {
  const batch = await gaitpdbDemographics.read(await readSourceFile(path));
  const out = new Map<string, number | null>();
  for (const s of batch.subjects) {
    const v = s.attributes?.hoehn_yahr?.value;
    out.set(s.key, typeof v === 'number' && Number.isFinite(v) ? v : null);
  }
  return out;
}
