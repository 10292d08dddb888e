// C3D motion-capture files (c3d.org): markers, model outputs, analog channels, force plates and events.
// The raw reading is src-main/formats/c3d/ (readC3d); the plate wrenches come from c3d/forceplates.ts.
// This module only maps the raw model onto an ImportBatch:
//
// * Subject: SUBJECTS:NAMES[0] when the file names one (Vicon/Nexus write the subject there; the labels'
//   "A22:" prefixes agree), else the file stem. Cohort 'c3d' for every C3D file: a C3D names neither a study
//   nor a lab, and the folder a file sits in is an accident of the user's disk (copying a folder must not
//   split one subject into two). Lab-assigned names such as "Patient 1" can collide between labs; the
//   session (file stem) still keeps their trials apart, and the user can reassign a subject after import.
// * One session per file (key = file stem) holding one trial (key = file stem); the import regroups the
//   files of a visit (services/visit-grouping.ts). The session date where TRIAL/PROCESSING:DATE state it.
// * Channels: every analog channel (ANALOG:LABELS, ANALOG:UNITS, analog rate; `device` FPn when
//   FORCE_PLATFORM:CHANNEL assigns it to plate n), every point as <label>_x/_y/_z (POINT:UNITS, or the
//   ANGLE/FORCE/MOMENT/POWER unit for model outputs; NaN where the sample is invalid), and per plate
//   FPn_Fx/Fy/Fz (N), FPn_COPx/COPy (mm), FPn_Tz (N·mm) in the lab frame, `device` FPn.
// * Events: the EVENT group (or, when the file has none, the header's event table). Time convention:
//   timeS = 0 at the first frame stored in the file, the same origin as every channel's sample 0 (C3D stores
//   event times from the start of capture, frame 1 at 0 s, so (firstFrame − 1) / rate is subtracted).
import type { Attributes, ImportBatch, ImportedChannel, ImportedEvent, Side } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/errors';
import { recordingDay, yearFirstDay } from '../../src-shared/domain/recording-day';
import { UNIT } from '../../src-shared/units';
import type { FormatModule, SourceFile } from './format';
import { C3D_KEY_BYTE, numbersOf, readC3d, stringOf, stringsOf, type C3dFile, type C3dPointInfo } from './c3d';
import { BLOCK_BYTES, printable, PROCESSOR_BYTE } from './c3d/binary';
import { DEFAULT_COP_MIN_FORCE_N, deriveForcePlates, type ForcePlateWrench } from './c3d/forceplates';
import { plateGeometryAttributes } from './c3d/plate-attributes';

export const C3D_COHORT = 'c3d';
export const C3D_EVENT_SOURCE = 'c3d:EVENT';
export const C3D_HEADER_EVENT_SOURCE = 'c3d:header';

/** Not in src-shared/units.ts yet (quantityOf knows it). */
const NEWTON_METRE = 'N·m';

/** Unit spellings in C3D files → GaitLab's. Units not listed are kept as written. */
const UNIT_SPELLINGS: Record<string, string> = {
  Nmm: UNIT.newtonMillimetre,
  'N.mm': UNIT.newtonMillimetre,
  'N*mm': UNIT.newtonMillimetre,
  'N-mm': UNIT.newtonMillimetre,
  Nm: NEWTON_METRE,
  'N.m': NEWTON_METRE,
  'N*m': NEWTON_METRE,
  'N-m': NEWTON_METRE,
  degrees: UNIT.degree,
  // GaitLab's own C3D export writes these ASCII spellings (c3d/trial-to-c3d.ts).
  'm/s^2': UNIT.metrePerSecondSquared,
  xBW: UNIT.bodyWeight,
  'Nmm/kg': 'N·mm/kg',
  'Nm/kg': 'N·m/kg',
  deg: UNIT.degree,
};

export function normaliseC3dUnit(unit: string): string {
  const u = unit.trim();
  return UNIT_SPELLINGS[u] ?? u;
}

const PROCESSOR_NAME: Record<string, string> = { intel: 'Intel (84)', dec: 'DEC (85)', mips: 'MIPS/SGI (86)' };

/** 'Walking_Hybrid_1_1.c3d' → 'Walking_Hybrid_1_1'. */
function stemOf(name: string): string {
  return name.replace(/\.c3d$/i, '');
}

/**
 * How much `head` looks like a C3D file: the key byte 0x50, a parameter block ≥ 2, a known processor byte in
 * the parameter section and a printable first record name (0.8); less when the section lies beyond `head`.
 */
function looksLikeC3d(head: Buffer): number {
  if (head.length < 4 || head[1] !== C3D_KEY_BYTE || head[0] < 2) return 0;
  const start = (head[0] - 1) * BLOCK_BYTES;
  if (start + 8 > head.length) return 0.3; // parameter section beyond the head: only the key byte to go by
  if (!Object.values(PROCESSOR_BYTE).includes(head[start + 3])) return 0;
  // The first record: a group or parameter id and a name of letters, digits and '_' (text files have spaces).
  const nameLen = Math.abs((head[start + 4] << 24) >> 24);
  if (nameLen === 0) return 0.5; // a valid but empty parameter section (e.g. sample20)
  if (head[start + 5] === 0 || start + 6 + nameLen > head.length) return 0.3;
  const name = head.subarray(start + 6, start + 6 + nameLen).toString('latin1');
  return /^[A-Za-z0-9_$]+$/.test(name) ? 0.8 : 0.1;
}

/** Makes channel names unique within the trial (C3D files repeat labels: sample28, btk-Gait's RKNE …). */
class ChannelNames {
  private readonly used = new Set<string>();
  readonly renamed: string[] = [];

  take(name: string): string {
    let unique = name;
    for (let k = 2; this.used.has(unique); k++) unique = `${name}#${k}`;
    if (unique !== name) this.renamed.push(`${name} → ${unique}`);
    this.used.add(unique);
    return unique;
  }
}

function pointChannels(c3d: C3dFile, names: ChannelNames, warnings: string[], path: string): ImportedChannel[] {
  const { coordinates, residuals, info, frameCount } = c3d.points;
  const out: ImportedChannel[] = [];
  const markerUnitStated = stringOf(c3d.parameters, 'POINT:UNITS') !== null;
  if (!markerUnitStated && info.some((p) => p.kind === 'marker')) warnings.push(`${path}: POINT:UNITS is absent; marker coordinates are labelled mm (the C3D default)`);
  info.forEach((p: C3dPointInfo, k: number) => {
    const base = p.label || `POINT${k + 1}`;
    const unit = p.kind === 'marker' && !markerUnitStated ? UNIT.millimetre : normaliseC3dUnit(p.unit);
    const axes = [new Float32Array(frameCount), new Float32Array(frameCount), new Float32Array(frameCount)];
    for (let f = 0; f < frameCount; f++) {
      const i = k * frameCount + f;
      const invalid = residuals[i] < 0;
      for (let a = 0; a < 3; a++) axes[a][f] = invalid ? NaN : coordinates[i * 3 + a];
    }
    ['x', 'y', 'z'].forEach((axis, a) => {
      out.push({ name: names.take(`${base}_${axis}`), unit, rateHz: c3d.layout.pointRateHz, domain: 'time', samples: axes[a] });
    });
  });
  return out;
}

function plateChannels(w: ForcePlateWrench, names: ChannelNames): ImportedChannel[] {
  const d = w.plate.device;
  const ch = (suffix: string, unit: string, samples: Float32Array): ImportedChannel =>
    ({ name: names.take(`${d}_${suffix}`), unit, rateHz: w.rateHz, domain: 'time', device: d, samples });
  return [
    ch('Fx', UNIT.newton, w.forceN[0]),
    ch('Fy', UNIT.newton, w.forceN[1]),
    ch('Fz', UNIT.newton, w.forceN[2]),
    ch('COPx', UNIT.millimetre, w.copMm[0]),
    ch('COPy', UNIT.millimetre, w.copMm[1]),
    ch('Tz', UNIT.newtonMillimetre, w.freeMomentNmm),
  ];
}

/** 'Foot Strike' → initial_contact, 'Foot Off' → final_contact; other labels are kept as written. */
export function normaliseEventLabel(label: string): string {
  const l = label.trim().toLowerCase().replace(/\s+/g, ' ');
  if (l === 'foot strike' || l === 'foot contact') return 'initial_contact';
  if (l === 'foot off') return 'final_contact';
  return label.trim();
}

function sideOf(context: string): Side | null {
  const c = context.trim().toLowerCase();
  return c === 'left' ? 'left' : c === 'right' ? 'right' : null;
}

/** Header event labels of AMASS/Vicon 370 (RHS, LTO, RIC …): heel strike / initial contact, toe/foot off. */
function headerEventMeaning(label: string): { label: string; side: Side | null } {
  const m = /^([LR])(HS|IC|TO|FO)$/i.exec(label.trim());
  if (!m) return { label: label.trim(), side: null };
  const side: Side = m[1].toUpperCase() === 'L' ? 'left' : 'right';
  const kind = m[2].toUpperCase();
  return { label: kind === 'HS' || kind === 'IC' ? 'initial_contact' : 'final_contact', side };
}

function events(c3d: C3dFile): ImportedEvent[] {
  const offsetS = (c3d.layout.firstFrame - 1) / c3d.layout.pointRateHz;
  if (c3d.events.length > 0) {
    return c3d.events.map((e) => ({
      label: normaliseEventLabel(e.label),
      side: sideOf(e.context),
      timeS: e.timeS - offsetS,
      source: C3D_EVENT_SOURCE,
      params: {
        label: e.label,
        context: e.context,
        fileTimeS: e.timeS,
        ...(e.description ? { description: e.description } : {}),
        ...(e.subject ? { subject: e.subject } : {}),
        ...(e.iconId !== null ? { iconId: e.iconId } : {}),
      },
    }));
  }
  return c3d.header.events.map((e) => ({
    ...headerEventMeaning(e.label),
    timeS: e.timeS - offsetS,
    source: C3D_HEADER_EVENT_SOURCE,
    params: { label: e.label, fileTimeS: e.timeS },
  }));
}

function provenance(c3d: C3dFile, plates: ForcePlateWrench[]): Attributes {
  const p = c3d.parameters;
  const L = c3d.layout;
  const a: Attributes = {
    c3d_processor: { value: PROCESSOR_NAME[c3d.processor] },
    c3d_storage: { value: L.storage },
    c3d_first_frame: { value: L.firstFrame },
    c3d_frames: { value: L.frameCount },
    c3d_point_rate: { value: L.pointRateHz, unit: UNIT.hertz },
    c3d_layout_from: { value: L.source },
    event_time_origin: { value: `0 s = first frame in the file (frame ${L.firstFrame}); C3D event times are shifted by ${((L.firstFrame - 1) / L.pointRateHz).toFixed(6)} s` },
  };
  if (L.analogCount > 0) a.c3d_analog_rate = { value: L.analogRateHz, unit: UNIT.hertz };
  const company = stringOf(p, 'MANUFACTURER:COMPANY');
  const software = stringOf(p, 'MANUFACTURER:SOFTWARE');
  const version = numbersOf(p, 'MANUFACTURER:VERSION') ?? stringsOf(p, 'MANUFACTURER:VERSION');
  if (company) a.manufacturer = { value: company };
  if (software) a.software = { value: version && version.length ? `${software} ${version.join('.')}` : software };
  if (plates.length > 0) {
    a.fp_count = { value: plates.length };
    a.fp_types = { value: plates.map((w) => w.plate.type).join(',') };
    a.fp_pre_scaled = { value: plates.map((w) => (w.plate.preScaled ? 'yes' : 'no')).join(',') };
    a.fp_axes = { value: 'lab (plate axes from FORCE_PLATFORM:CORNERS), Z up' };
    a.fp_force_sense = { value: 'ground reaction force on the subject (Fz > 0 under load)' };
    a.cop_threshold = { value: plates[0].copMinForceN, unit: UNIT.newton };
    a.cop_outside_contact = { value: `FPn_COPx, FPn_COPy and FPn_Tz are NaN where |plate Fz| < ${plates[0].copMinForceN} N (undefined there)` };
    for (const w of plates) {
      const k = w.plate.device.toLowerCase();
      a[`${k}_type`] = { value: w.plate.type };
      a[`${k}_calibration`] = { value: w.plate.calibrationNote };
      a[`${k}_channels`] = { value: w.plate.channels.map((c) => c + 1).join(',') };
      a[`${k}_baseline`] = { value: w.plate.zeroFrames ? `mean of frames ${w.plate.zeroFrames[0]}–${w.plate.zeroFrames[1]} subtracted (FORCE_PLATFORM:ZERO)` : 'none (FORCE_PLATFORM:ZERO 0,0 or absent)' };
      // The working surface in the lab, for telling which foot stood on the plate (plate-sides.ts).
      a[`${k}_corners_lab`] = { value: JSON.stringify(Array.from({ length: 4 }, (_, c) => Array.from(w.plate.cornersMm.subarray(3 * c, 3 * c + 3), (v) => Math.round(v * 10) / 10))), unit: UNIT.millimetre };
    }
  }
  return a;
}

/** Body mass (kg) and height (m) where a Vicon PROCESSING group states them. */
function subjectAttributes(c3d: C3dFile): Attributes {
  const p = c3d.parameters;
  const first = (...keys: string[]) => {
    for (const k of keys) {
      const v = numbersOf(p, k);
      if (v && v.length && Number.isFinite(v[0]) && v[0] > 0) return v[0];
    }
    return null;
  };
  const a: Attributes = {};
  const mass = first('PROCESSING:BODYMASS', 'PROCESSING:$BODYMASS');
  const heightMm = first('PROCESSING:HEIGHT', 'PROCESSING:$HEIGHT');
  if (mass !== null) a.body_mass = { value: mass, unit: UNIT.kilogram };
  if (heightMm !== null) a.height = { value: heightMm / 1000, unit: UNIT.metre };
  return a;
}

/**
 * The recording day where the file states one: TRIAL:DATE or PROCESSING:DATE as text (YYYY-MM-DD, YYYY/MM/DD,
 * YYYY.MM.DD) or as numbers (year, month, day). Null otherwise; the import then dates the visit by its files.
 */
export function recordingDate(params: C3dFile['parameters']): string | null {
  for (const key of ['TRIAL:DATE', 'PROCESSING:DATE']) {
    const text = stringOf(params, key);
    const n = numbersOf(params, key);
    const day = text ? yearFirstDay(text) : n && n.length >= 3 ? recordingDay(n[0], n[1], n[2]) : null;
    if (day) return day;
  }
  return null;
}

/** Float32 channels may hold NaN (gaps, undefined COP), never ±Infinity. */
function checkNoInfinity(path: string, channels: ImportedChannel[]): void {
  for (const c of channels) {
    for (let i = 0; i < c.samples.length; i++) {
      const v = c.samples[i];
      if (v === Infinity || v === -Infinity) throw new InputError(path, null, printable(c.name), `sample ${i + 1} is ${v}; the values do not fit a 32-bit float channel`);
    }
  }
}

export function readC3dBatch(file: SourceFile): ImportBatch {
  const c3d = readC3d(file.bytes, file.path);
  const warnings = c3d.warnings.map((w) => `${file.path}: ${w}`);
  const stem = stemOf(file.name);

  // Unsupported plate types stay InputErrors; a plate whose channels or corners the file lacks is skipped.
  const derived = deriveForcePlates(c3d, { strict: false, copMinForceN: DEFAULT_COP_MIN_FORCE_N });
  warnings.push(...derived.warnings.map((w) => `${file.path}: ${w}`));
  const plates = derived.plates;
  const deviceOfChannel = new Map<number, string>();
  for (const w of plates) for (const ch of w.plate.channels) if (!deviceOfChannel.has(ch)) deviceOfChannel.set(ch, w.plate.device);

  const names = new ChannelNames();
  const channels: ImportedChannel[] = [];
  c3d.analogs.info.forEach((info, ch) => {
    channels.push({
      name: names.take(info.label || `ANALOG${ch + 1}`),
      unit: normaliseC3dUnit(info.unit),
      rateHz: c3d.analogs.rateHz,
      domain: 'time',
      device: deviceOfChannel.get(ch) ?? null,
      samples: c3d.analogs.samples[ch],
    });
  });
  channels.push(...pointChannels(c3d, names, warnings, file.path));
  for (const w of plates) channels.push(...plateChannels(w, names));
  if (names.renamed.length) warnings.push(`${file.path}: ${names.renamed.length} channel names repeat and were numbered (${names.renamed.slice(0, 3).join(', ')}${names.renamed.length > 3 ? ', …' : ''})`);
  checkNoInfinity(file.path, channels);

  const subjectNames = (stringsOf(c3d.parameters, 'SUBJECTS:NAMES') ?? []).filter((s) => s.length > 0);
  const subjectKey = subjectNames[0] ?? stem;
  if (subjectNames.length > 1) warnings.push(`${file.path}: SUBJECTS:NAMES lists ${subjectNames.length} subjects (${subjectNames.join(', ')}); the trial is filed under the first`);
  if (subjectNames.length === 0) warnings.push(`${file.path}: the file names no subject (SUBJECTS:NAMES); the trial is filed under subject "${stem}"`);

  return {
    format: 'c3d',
    subjects: [{ key: subjectKey, cohort: C3D_COHORT, attributes: subjectAttributes(c3d) }],
    sessions: [{
      subjectKey,
      key: stem,
      label: stem,
      date: recordingDate(c3d.parameters),
      trials: [{
        key: stem,
        label: stem,
        contentSha256: file.sha256,
        channels,
        attributes: { ...provenance(c3d, plates), ...plateGeometryAttributes(plates, channels.slice(0, c3d.analogs.info.length).map((c) => c.name)) },
        sourceLocation: `frames ${c3d.layout.firstFrame}–${c3d.layout.firstFrame + c3d.layout.frameCount - 1}`,
        events: events(c3d),
      }],
    }],
    warnings,
  };
}

export const c3dFormat: FormatModule = {
  id: 'c3d',
  description: 'C3D motion capture (markers, model outputs, analog, force plates types 1–4, events; Intel/DEC/MIPS, int/float)',
  order: 40,
  // One file is one trial of a visit (Vicon Nexus' Patient/Session/Trial.c3d tree recognised).
  visits: 'folder',
  detect(name, head) {
    const score = looksLikeC3d(head);
    if (score === 0) return 0;
    return /\.c3d$/i.test(name) ? Math.min(1, score + 0.2) : score;
  },
  read: readC3dBatch,
};
