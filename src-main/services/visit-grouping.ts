// Files of one visit become one session, the way labs store them. A format whose file is one trial of a visit
// (FormatModule.visits 'folder': C3D, the vendor force exports, TRC/MOT/STO, Shimmer3, APDM) files each file as its
// own session; here, with the file's place on disk, the import regroups it. Cohort formats whose files name subject
// and visit themselves (gaitpdb walks, GaitRec, HuGaDB, Daphnet, the Voisard set: visits 'own') keep their keys.
//
// * Vicon Nexus database (`Patient/Session/Trial.c3d`, recognised by the `.enf` files Nexus writes beside
//   trials, sessions and patients): subject = the patient folder (cohort 'folder', whatever the format),
//   session = the session folder.
// * Any other folder: files of one folder with the same subject are one session named after the folder. A C3D
//   names its subject (SUBJECTS:NAMES), a BioWare export may (its ID or Name field); the others name none (force
//   exports, TRC/MOT/STO, IMU files): a file whose subject is its own stem names none, and such files in one
//   folder are one subject named after the folder (cohort 'folder'), which the lab reassigns
//   (`session move`) or names at import (`--subject`). A C3D that names no subject keeps its stem: capture
//   software writes the name, so such a file is a stray sample rather than a trial of the visit.
// * Files of one visit with the same stem in different formats (Motion Analysis' gait.trc + gait.anc) are one
//   trial: their channels add up (store/import-writer.ts).
// * The session date: the files' own (read by the format: C3D TRIAL/PROCESSING DATE, BioWare's Date, the Shimmer3
//   real-time clock, APDM's time stamps) else the newest modification time of the folder's recordings (files of
//   the folder-grouped formats), so that every file of the visit gets the same date; a date a later file states
//   replaces one taken from modification times (store/import-writer.ts).
// * A static (calibration) trial, recognised by its name or by markers that do not travel, is kept and
//   flagged as the session's static, not a walk (left out of parameters, see store/session-records.ts).
// * `--session` / `--subject` override the rule for every file of the import.
// The rule used is written on the session (attributes grouped_by, date_from) and on the trial (static_rule).
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ImportBatch, ImportedChannel, ImportedTrial } from '../../src-shared/domain/import-batch';
import { DATE_FROM_MODIFICATION_TIME, SESSION_DATE_FROM_KEY, TRIAL_ROLE_KEY } from '../../src-shared/domain/subject-fields';
import { medianMarkerTravelMm, STATIC_TRAVEL_MM, type MarkerTrack } from '../../src-shared/signal/marker-travel';
import type { FormatModule } from '../formats/format';
import { detectFormat } from '../formats/registry';
import { logicalName, readHead } from '../formats/source-file';

/** Cohort of a subject known only by the folder its files sit in (a Nexus patient folder, or a visit folder). */
export const FOLDER_COHORT = 'folder';

/** Per import call: the dating day of each visit folder, so that a folder's files are looked at once. */
export type FolderDays = Map<string, string | null>;

export interface GroupingOverrides {
  /** The session (visit) every file of the import goes into. */
  session?: string;
  /** The subject every file of the import belongs to: an existing subject's cohort and code, or a new code (cohort null: the file's). */
  subject?: { cohort: string | null; code: string };
}

const STATIC_NAME = /(^|[^a-z])(static|cal|calib|calibration|standing)([^a-z]|$)/i;

function listing(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Nexus writes `<trial>.Trial.enf` beside each trial, `<name>.Session.enf` in a session, `<name>.Patient.enf` in a patient. */
export function isViconSession(filePath: string): boolean {
  const dir = dirname(filePath);
  const stem = fileStem(filePath);
  const here = listing(dir);
  if (here.some((n) => n.toLowerCase() === `${stem.toLowerCase()}.trial.enf` || /\.session\.enf$/i.test(n))) return true;
  return listing(dirname(dir)).some((n) => /\.patient\.enf$/i.test(n));
}

/** 'Walk01.anc.gz' → 'Walk01': the stem a format keys a file's trial (and, naming no subject, its subject) by. */
function fileStem(filePath: string): string {
  return logicalName(basename(filePath)).replace(/\.[A-Za-z0-9]+$/, '');
}

/**
 * The day (local calendar) of the newest modification among the folder's recordings: its files of formats grouped
 * by folder (a README, a calibration or a Nexus .enf does not date the visit).
 */
function newestRecordingDay(dir: string, days: FolderDays): string | null {
  const known = days.get(dir);
  if (known !== undefined) return known;
  let newest = 0;
  for (const n of listing(dir)) {
    if (n.startsWith('.')) continue;
    const path = join(dir, n);
    try {
      const st = statSync(path);
      if (!st.isFile() || st.size === 0 || st.mtimeMs <= newest) continue;
      if (detectFormat(logicalName(path), readHead(path))?.visits === 'folder') newest = st.mtimeMs;
    } catch {
      /* unreadable or vanished since the listing: it does not date the visit */
    }
  }
  let day: string | null = null;
  if (newest) {
    const d = new Date(newest);
    day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  }
  days.set(dir, day);
  return day;
}

function markerTracks(channels: ImportedChannel[]): MarkerTrack[] {
  const byName = new Map(channels.map((c) => [c.name, c]));
  const tracks: MarkerTrack[] = [];
  for (const c of channels) {
    if (!c.name.endsWith('_x') || (c.unit !== 'mm' && c.unit !== 'm')) continue;
    const y = byName.get(c.name.slice(0, -2) + '_y');
    if (!y || y.unit !== c.unit) continue;
    const scale = c.unit === 'm' ? 1000 : 1;
    tracks.push(scale === 1 ? { x: c.samples, y: y.samples } : { x: c.samples.map((v) => v * scale), y: y.samples.map((v) => v * scale) });
  }
  return tracks;
}

/** 'name' or 'no movement' when the trial is a static (calibration) one, else null. */
export function staticRule(trial: ImportedTrial): 'name' | 'no movement' | null {
  if (STATIC_NAME.test(trial.key.replace(/_/g, ' '))) return 'name';
  const travel = medianMarkerTravelMm(markerTracks(trial.channels));
  return travel !== null && travel < STATIC_TRAVEL_MM ? 'no movement' : null;
}

/**
 * Regroups a batch read from `filePath` into its visit (in place) and returns the rule used. Only batches of
 * formats grouped by folder (`visits` 'folder') are regrouped; overrides apply to any batch that describes one
 * subject, and are refused (returned as a warning) for several. `days` caches folder dates over one import.
 */
export function groupIntoVisit(batch: ImportBatch, filePath: string, visits: FormatModule['visits'], overrides: GroupingOverrides = {}, days: FolderDays = new Map()): { rule: string | null; warning: string | null } {
  const single = batch.subjects.length === 1;
  if ((overrides.session || overrides.subject) && !single) {
    return { rule: null, warning: `${filePath}: --session/--subject ignored: the file describes ${batch.subjects.length} subjects` };
  }
  const rules: string[] = [];
  if (visits === 'folder' && batch.sessions.length > 0) {
    const dir = dirname(filePath);
    const folder = basename(dir);
    const vicon = isViconSession(filePath);
    const patient = basename(dirname(dir));
    const folderDay = newestRecordingDay(dir, days);
    const unnamed = batch.format !== 'c3d' && single && batch.subjects[0].key === fileStem(filePath);
    const subjectKey = vicon && patient ? patient : unnamed ? folder : null;
    // The rule as reported: only the parts that the overrides below leave standing.
    if (!overrides.session) rules.push(vicon ? `Vicon Nexus session folder ${folder} of patient ${patient}` : `folder ${folder}`);
    if (!overrides.subject && !vicon && unnamed) rules.push(`subject ${folder} (the file names none)`);
    if (subjectKey !== null) {
      for (const subject of batch.subjects) {
        for (const s of batch.sessions) if (s.subjectKey === subject.key) s.subjectKey = subjectKey;
        subject.key = subjectKey;
        // One cohort for subjects the folders name, whatever the format: a patient's C3D and force files are one person.
        subject.cohort = FOLDER_COHORT;
      }
    }
    for (const s of batch.sessions) {
      s.key = s.label = folder;
      const dateFrom = s.date ? batch.format : folderDay ? DATE_FROM_MODIFICATION_TIME : null;
      s.date ??= folderDay;
      s.attributes = { ...s.attributes, grouped_by: { value: vicon ? 'vicon' : 'folder' }, ...(dateFrom ? { [SESSION_DATE_FROM_KEY]: { value: dateFrom } } : {}) };
      for (const t of s.trials) {
        const why = staticRule(t);
        if (!why) continue;
        t.attributes = { ...t.attributes, [TRIAL_ROLE_KEY]: { value: 'static' }, static_rule: { value: why } };
        s.attributes.static_trial = { value: t.key };
      }
    }
  }
  if (overrides.subject && single) {
    const subject = batch.subjects[0];
    for (const s of batch.sessions) s.subjectKey = overrides.subject.code;
    subject.key = overrides.subject.code;
    if (overrides.subject.cohort) subject.cohort = overrides.subject.cohort;
    rules.push(`subject ${overrides.subject.code} (--subject)`);
  }
  if (overrides.session && single) {
    for (const s of batch.sessions) {
      s.key = s.label = overrides.session;
      s.attributes = { ...s.attributes, grouped_by: { value: 'override' } };
    }
    rules.push(`session ${overrides.session} (--session)`);
  }
  const rule = rules.length ? rules.join(', ') : null;
  return { rule, warning: null };
}
