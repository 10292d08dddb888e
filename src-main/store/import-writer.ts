// Writes one file's ImportBatch into the store, inside the caller's transaction.
// Matching rules: a subject is (cohort, source id); a session is (subject, key); a trial is (session, key).
// A trial already stored with the same content is "already present"; with other content it is a
// conflict and the whole file is refused. The same content under another trial is stored and reported.
import type { Attributes, ImportBatch, ImportedChannel, ImportedSession, ImportedSubject } from '../../src-shared/domain/import-batch';
import { DATE_FROM_MODIFICATION_TIME, SESSION_DATE_FROM_KEY } from '../../src-shared/domain/subject-fields';
import { InputError } from '../../src-shared/domain/errors';
import { appendAudit } from './audit';
import { mergeAttributes, readAttributes } from './attributes';
import type { Db } from './db';
import { stmt } from './statements';
import { newId } from './ids';
import { decodeSamples } from './sample-codec';

export interface EncodedBlob { encoding: string; blob: Buffer }

export interface SourceFileRecord { name: string; sha256: string; format: string; bytes: number; path: string }

/** `added`: a new trial; an existing trial that gained channels is not added. */
export interface WrittenTrial { trialId: string; subjectId: string; subjectKey: string; key: string; contentSha256: string; added: boolean }

export interface WriteResult {
  subjectIds: Set<string>;
  subjectsAdded: number;
  sessionIds: Set<string>;
  trials: WrittenTrial[];
  /** Trials added whose content was already stored under another trial. */
  duplicates: { sha256: string; trialIds: string[] }[];
}

export function findSourceFile(db: Db, name: string, sha256: string): { id: number; path: string } | undefined {
  return stmt(db, 'SELECT id, path FROM source_files WHERE name = ? AND sha256 = ?').get(name, sha256) as { id: number; path: string } | undefined;
}

function findSubject(db: Db, cohort: string, key: string): { id: string; group_label: string | null; sex: string | null } | undefined {
  return stmt(db, `SELECT s.id, s.group_label, s.sex FROM subjects s JOIN subject_identity i ON i.subject_id = s.id
    WHERE s.cohort = ? AND i.external_id = ?`).get(cohort, key) as { id: string; group_label: string | null; sex: string | null } | undefined;
}

function upsertSubject(db: Db, actor: string, s: ImportedSubject, now: string): { id: string; added: boolean } {
  const found = findSubject(db, s.cohort, s.key);
  if (!found) {
    const id = newId('S');
    stmt(db, 'INSERT INTO subjects (id, cohort, group_label, sex, created_at) VALUES (?, ?, ?, ?, ?)').run(id, s.cohort, s.group ?? null, s.sex ?? null, now);
    stmt(db, 'INSERT INTO subject_identity (subject_id, external_id) VALUES (?, ?)').run(id, s.key);
    mergeAttributes(db, 'subject_attributes', id, s.attributes);
    appendAudit(db, { actor, action: 'create', entity: 'subject', entityId: id, newValue: { cohort: s.cohort, externalId: s.key, group: s.group ?? null, sex: s.sex ?? null, attributes: s.attributes ?? {} } });
    return { id, added: true };
  }
  const changes: Record<string, { old: unknown; new: unknown }> = {};
  if (s.group && s.group !== found.group_label) {
    // A group stated by a file is never silently replaced by another file's opinion of it.
    if (found.group_label) throw new InputError('', null, 'group', `subject ${s.key} is stored as group "${found.group_label}", this file says "${s.group}"`);
    stmt(db, 'UPDATE subjects SET group_label = ? WHERE id = ?').run(s.group, found.id);
    changes.group = { old: found.group_label, new: s.group };
  }
  if (s.sex && s.sex !== found.sex) {
    if (found.sex) throw new InputError('', null, 'sex', `subject ${s.key} is stored as ${found.sex}, this file says ${s.sex}`);
    stmt(db, 'UPDATE subjects SET sex = ? WHERE id = ?').run(s.sex, found.id);
    changes.sex = { old: found.sex, new: s.sex };
  }
  for (const c of mergeAttributes(db, 'subject_attributes', found.id, s.attributes)) changes[c.key] = { old: c.old, new: c.new };
  if (Object.keys(changes).length) {
    appendAudit(db, {
      actor, action: 'update', entity: 'subject', entityId: found.id,
      oldValue: Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v.old])),
      newValue: Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v.new])),
    });
  }
  return { id: found.id, added: false };
}

/**
 * Writes the batch. `blobs` holds the encoded samples of every channel of the batch and `clocks` the
 * encoded device clocks. Throws InputError on a conflict; the caller's transaction then rolls back.
 */
export function writeImportBatch(
  db: Db,
  actor: string,
  importId: number,
  file: SourceFileRecord,
  batch: ImportBatch,
  blobs: Map<ImportedChannel, EncodedBlob>,
  clocks: Map<Float64Array, EncodedBlob>,
): WriteResult {
  const now = new Date().toISOString();
  const fileId = Number(stmt(db, 'INSERT INTO source_files (name, sha256, format, bytes, path, imported_at, import_id) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(file.name, file.sha256, file.format, file.bytes, file.path, now, importId).lastInsertRowid);

  const result: WriteResult = { subjectIds: new Set(), subjectsAdded: 0, sessionIds: new Set(), trials: [], duplicates: [] };
  const subjectIdByKey = new Map<string, { id: string; cohort: string }>();
  for (const s of batch.subjects) {
    let r: { id: string; added: boolean };
    try {
      r = upsertSubject(db, actor, s, now);
    } catch (e) {
      if (e instanceof InputError) throw new InputError(file.path, null, e.field, e.reason);
      throw e;
    }
    subjectIdByKey.set(s.key, { id: r.id, cohort: s.cohort });
    result.subjectIds.add(r.id);
    if (r.added) result.subjectsAdded++;
  }

  const insertSignal = stmt(db, `INSERT INTO signals (trial_id, channel, unit, rate_hz, domain, side, samples, encoding, data, position, device)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertEvent = stmt(db, `INSERT INTO gait_events (trial_id, label, side, time_s, source, threshold, threshold_unit, params, confidence, manual, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`);
  for (const session of batch.sessions) {
    const subject = subjectIdByKey.get(session.subjectKey);
    if (!subject) throw new Error(`format ${batch.format} returned a session for subject ${session.subjectKey} without the subject`);
    let sessionRow = stmt(db, 'SELECT id FROM sessions WHERE subject_id = ? AND key = ?').get(subject.id, session.key) as { id: string } | undefined;
    const created = !sessionRow;
    if (!sessionRow) {
      sessionRow = { id: newId('SE') };
      stmt(db, 'INSERT INTO sessions (id, subject_id, key, label, date, condition, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(sessionRow.id, subject.id, session.key, session.label, session.date ?? null, session.condition ?? null, now);
      appendAudit(db, { actor, action: 'create', entity: 'session', entityId: sessionRow.id, newValue: { subjectId: subject.id, key: session.key, label: session.label, date: session.date ?? null } });
    }
    const sessionId = sessionRow.id;
    result.sessionIds.add(sessionId);
    const dated = created ? null : visitDate(db, sessionId, session);
    const attrChanges = mergeAttributes(db, 'session_attributes', sessionId, dated ? dated.attributes : session.attributes);
    if (attrChanges.length || dated?.change) {
      const oldValue: Record<string, unknown> = Object.fromEntries(attrChanges.map((c) => [c.key, c.old]));
      const newValue: Record<string, unknown> = Object.fromEntries(attrChanges.map((c) => [c.key, c.new]));
      if (dated?.change) {
        oldValue.date = dated.change.old;
        newValue.date = dated.change.new;
      }
      appendAudit(db, { actor, action: 'update', entity: 'session', entityId: sessionId, oldValue, newValue });
    }

    for (const trial of session.trials) {
      const existing = stmt(db, 'SELECT id, content_sha256 FROM trials WHERE session_id = ? AND key = ?').get(sessionId, trial.key) as { id: string; content_sha256: string | null } | undefined;
      let trialId: string;
      let added = false;
      if (existing) {
        trialId = existing.id;
        const stored = new Set((stmt(db, 'SELECT channel FROM signals WHERE trial_id = ?').all(trialId) as { channel: string }[]).map((r) => r.channel));
        const fresh = trial.channels.filter((c) => !stored.has(c.name));
        if (fresh.length === 0 && existing.content_sha256 === trial.contentSha256) {
          result.trials.push({ trialId, subjectId: subject.id, subjectKey: session.subjectKey, key: trial.key, contentSha256: trial.contentSha256, added: false });
          continue;
        }
        if (fresh.length === 0 && sameSamples(db, trialId, trial.channels)) {
          // The same channels with the same values (a renamed or re-encoded copy of a file): present.
          result.trials.push({ trialId, subjectId: subject.id, subjectKey: session.subjectKey, key: trial.key, contentSha256: trial.contentSha256, added: false });
          continue;
        }
        if (fresh.length !== trial.channels.length) {
          throw new InputError(file.path, null, null,
            `${trial.sourceLocation ? trial.sourceLocation + ': ' : ''}trial ${trial.key} of subject ${session.subjectKey} is already stored with other values in ${trial.channels.length - fresh.length} of its channels; nothing was imported from this file`);
        }
        // Files that each carry some channels of one trial (GaitRec: one file per force component) add to it.
        const position = (stmt(db, 'SELECT COALESCE(MAX(position), -1) + 1 AS p FROM signals WHERE trial_id = ?').get(trialId) as { p: number }).p;
        trial.channels.forEach((c, k) => {
          const b = blobs.get(c)!;
          insertSignal.run(trialId, c.name, c.unit, c.rateHz, c.domain, c.side ?? null, c.samples.length, b.encoding, b.blob, position + k, c.device ?? null);
        });
        // The file's provenance and events belong to the trial too (a sensor file after the annotation file).
        mergeAttributes(db, 'trial_attributes', trialId, trial.attributes);
        const known = new Set((stmt(db, 'SELECT label, side, time_s FROM gait_events WHERE trial_id = ?').all(trialId) as { label: string; side: string | null; time_s: number }[])
          .map((e) => `${e.label}|${e.side}|${e.time_s}`));
        const newEvents = (trial.events ?? []).filter((e) => !known.has(`${e.label}|${e.side}|${e.timeS}`));
        for (const e of newEvents) {
          insertEvent.run(trialId, e.label, e.side, e.timeS, e.source, e.threshold?.value ?? null, e.threshold?.unit ?? null,
            e.params ? JSON.stringify(e.params) : null, e.confidence ?? null, now);
        }
        stmt(db, 'UPDATE trials SET duration_s = COALESCE(duration_s, ?) WHERE id = ?').run(trialDuration(trial.channels, trial.deviceTimeS), trialId);
        appendAudit(db, { actor, action: 'add-channels', entity: 'trial', entityId: trialId, newValue: { channels: trial.channels.map((c) => c.name), events: newEvents.length || undefined, sourceFile: file.name } });
        // `added` counts new trials; this one was extended.
      } else {
        trialId = newId('T');
        const durationS = trialDuration(trial.channels, trial.deviceTimeS);
        stmt(db, `INSERT INTO trials (id, session_id, key, label, source_file_id, source_location, content_sha256, duration_s, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(trialId, sessionId, trial.key, trial.label, fileId, trial.sourceLocation ?? null, trial.contentSha256, durationS, now);
        mergeAttributes(db, 'trial_attributes', trialId, trial.attributes);
        trial.channels.forEach((c, k) => {
          const b = blobs.get(c)!;
          insertSignal.run(trialId, c.name, c.unit, c.rateHz, c.domain, c.side ?? null, c.samples.length, b.encoding, b.blob, k, c.device ?? null);
        });
        for (const e of trial.events ?? []) {
          insertEvent.run(trialId, e.label, e.side, e.timeS, e.source, e.threshold?.value ?? null, e.threshold?.unit ?? null,
            e.params ? JSON.stringify(e.params) : null, e.confidence ?? null, now);
        }
        if (trial.deviceTimeS) {
          const clock = clocks.get(trial.deviceTimeS)!;
          stmt(db, 'INSERT INTO trial_clocks (trial_id, clock, samples, encoding, data) VALUES (?, ?, ?, ?, ?)').run(trialId, 'device', trial.deviceTimeS.length, clock.encoding, clock.blob);
        }
        const twins = (stmt(db, 'SELECT id FROM trials WHERE content_sha256 = ? AND id != ?').all(trial.contentSha256, trialId) as { id: string }[]).map((r) => r.id);
        if (twins.length) result.duplicates.push({ sha256: trial.contentSha256, trialIds: [...twins, trialId] });
        appendAudit(db, { actor, action: 'create', entity: 'trial', entityId: trialId, newValue: {
          sessionId, key: trial.key, label: trial.label, sourceFile: file.name, contentSha256: trial.contentSha256,
          channels: trial.channels.map((c) => c.name), events: trial.events?.length || undefined, duplicateOf: twins.length ? twins : undefined,
        } });
        added = true;
      }
      result.trials.push({ trialId, subjectId: subject.id, subjectKey: session.subjectKey, key: trial.key, contentSha256: trial.contentSha256, added });
    }
  }
  appendAudit(db, { actor, action: 'import', entity: 'source_file', entityId: String(fileId), newValue: { name: file.name, sha256: file.sha256, format: file.format, bytes: file.bytes, trials: result.trials.filter((t) => t.added).length } });
  return result;
}

/**
 * A file added to a stored visit: a date the file states replaces one the visit took from modification times (or
 * its lack of one); otherwise the stored date and its rule stand, and the file's date rule is not written over them.
 * Returns the attributes to merge and the date change, if any (updated here; the caller audits it).
 */
function visitDate(db: Db, sessionId: string, session: ImportedSession): { attributes: Attributes | undefined; change: { old: string | null; new: string } | null } {
  const incomingFrom = session.attributes?.[SESSION_DATE_FROM_KEY]?.value ?? null;
  if (incomingFrom === null) return { attributes: session.attributes, change: null };
  const stored = stmt(db, 'SELECT date FROM sessions WHERE id = ?').get(sessionId) as { date: string | null };
  const storedFrom = readAttributes(db, 'session_attributes', sessionId)[SESSION_DATE_FROM_KEY]?.value ?? null;
  const fileStatesDate = incomingFrom !== DATE_FROM_MODIFICATION_TIME && !!session.date;
  const replaceable = stored.date === null || storedFrom === DATE_FROM_MODIFICATION_TIME;
  if (fileStatesDate && replaceable) {
    if (stored.date === session.date) return { attributes: session.attributes, change: null };
    stmt(db, 'UPDATE sessions SET date = ? WHERE id = ?').run(session.date, sessionId);
    return { attributes: session.attributes, change: { old: stored.date, new: session.date! } };
  }
  if (stored.date === null && session.date) {
    stmt(db, 'UPDATE sessions SET date = ? WHERE id = ?').run(session.date, sessionId);
    return { attributes: session.attributes, change: { old: null, new: session.date } };
  }
  const { [SESSION_DATE_FROM_KEY]: _kept, ...others } = session.attributes ?? {};
  return { attributes: others, change: null };
}

/** True when every channel is stored with the same unit and bit-identical float32 samples. */
function sameSamples(db: Db, trialId: string, channels: ImportedChannel[]): boolean {
  for (const c of channels) {
    const row = stmt(db, 'SELECT unit, samples, encoding, data FROM signals WHERE trial_id = ? AND channel = ?').get(trialId, c.name) as { unit: string; samples: number; encoding: string; data: Buffer } | undefined;
    if (!row || row.unit !== c.unit || row.samples !== c.samples.length) return false;
    const stored = decodeSamples(row.data, row.encoding, row.samples);
    const a = new Uint8Array(stored.buffer, stored.byteOffset, stored.byteLength);
    const b = new Uint8Array(c.samples.buffer, c.samples.byteOffset, c.samples.byteLength);
    if (Buffer.compare(a, b) !== 0) return false;
  }
  return true;
}

/**
 * One file, one write transaction: the "already present" check runs under the write lock (BEGIN
 * IMMEDIATE), so a file that another process imported meanwhile is found present, never a UNIQUE error.
 * `importId` is called only when something is written (a run that adds nothing leaves no imports row).
 */
export function importFileOnce(
  db: Db,
  actor: string,
  importId: () => number,
  file: SourceFileRecord,
  batch: ImportBatch,
  blobs: Map<ImportedChannel, EncodedBlob>,
  clocks: Map<Float64Array, EncodedBlob>,
): { present: { id: number; path: string } } | { written: WriteResult } {
  return db.transaction(() => {
    const present = findSourceFile(db, file.name, file.sha256);
    if (present) return { present };
    return { written: writeImportBatch(db, actor, importId(), file, batch, blobs, clocks) };
  }).immediate();
}

function trialDuration(channels: ImportedChannel[], clock: Float64Array | undefined): number | null {
  if (clock && clock.length > 1) return clock[clock.length - 1] - clock[0];
  const timed = channels.find((c) => c.domain === 'time' && c.rateHz);
  return timed ? (timed.samples.length - 1) / timed.rateHz! : null;
}
