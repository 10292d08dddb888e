// Files of one visit become one session, the way labs store them. A C3D module reads one file and files it
// as its own session (file stem); here, with the file's place on disk, the import regroups it:
//
// * Vicon Nexus database (`Patient/Session/Trial.c3d`, recognised by the `.enf` files Nexus writes beside
//   trials, sessions and patients): subject = the patient folder, session = the session folder.
// * Any other folder: files of one folder with the same subject (SUBJECTS:NAMES) are one session named
//   after the folder.
// * The session date: the files' own (C3D TRIAL/PROCESSING DATE, read by the format) else the newest
//   modification time of the folder's C3D files, so that every file of the visit gets the same date.
// * A static (calibration) trial, recognised by its name or by markers that do not travel, is kept and
//   flagged as the session's static, not a walk (left out of parameters, see store/session-records.ts).
// * `--session` / `--subject` override the rule for every file of the import.
// The rule used is written on the session (attributes grouped_by, date_from) and on the trial (static_rule).
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ImportBatch, ImportedChannel, ImportedTrial } from '../../src-shared/domain/import-batch';
import { TRIAL_ROLE_KEY } from '../../src-shared/domain/subject-fields';
import { medianMarkerTravelMm, STATIC_TRAVEL_MM, type MarkerTrack } from '../../src-shared/signal/marker-travel';

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
  const stem = basename(filePath).replace(/\.c3d$/i, '');
  const here = listing(dir);
  if (here.some((n) => n.toLowerCase() === `${stem.toLowerCase()}.trial.enf` || /\.session\.enf$/i.test(n))) return true;
  return listing(dirname(dir)).some((n) => /\.patient\.enf$/i.test(n));
}

/** The day (local calendar) of the newest modification among the folder's C3D files. */
function newestC3dDay(dir: string): string | null {
  let newest = 0;
  for (const n of listing(dir)) {
    if (!/\.c3d$/i.test(n)) continue;
    try {
      newest = Math.max(newest, statSync(join(dir, n)).mtimeMs);
    } catch {
      /* vanished since the listing: it does not date the visit */
    }
  }
  if (!newest) return null;
  const d = new Date(newest);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
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
 * Regroups a batch read from `filePath` into its visit (in place) and returns the rule used. Only C3D
 * batches are regrouped by folder (their format files each as its own session); overrides apply to any
 * batch that describes one subject, and are refused (returned as a warning) for several.
 */
export function groupIntoVisit(batch: ImportBatch, filePath: string, overrides: GroupingOverrides = {}): { rule: string | null; warning: string | null } {
  const single = batch.subjects.length === 1;
  if ((overrides.session || overrides.subject) && !single) {
    return { rule: null, warning: `${filePath}: --session/--subject ignored: the file describes ${batch.subjects.length} subjects` };
  }
  const rules: string[] = [];
  if (batch.format === 'c3d') {
    const dir = dirname(filePath);
    const vicon = isViconSession(filePath);
    const patient = basename(dirname(dir));
    const folderDay = newestC3dDay(dir);
    rules.push(vicon ? `Vicon Nexus session folder ${basename(dir)} of patient ${patient}` : `folder ${basename(dir)}`);
    for (const s of batch.sessions) {
      const subject = batch.subjects.find((x) => x.key === s.subjectKey);
      if (vicon && subject && patient) {
        subject.key = patient;
        s.subjectKey = patient;
      }
      s.key = s.label = basename(dir);
      const dateFrom = s.date ? 'c3d' : folderDay ? 'newest file modification time in the folder' : null;
      s.date ??= folderDay;
      s.attributes = { ...s.attributes, grouped_by: { value: vicon ? 'vicon' : 'folder' }, ...(dateFrom ? { date_from: { value: dateFrom } } : {}) };
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
