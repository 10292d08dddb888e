// Marker trajectories in the TRC layout (Motion Analysis "Track Row Column", the marker file OpenSim reads;
// OpenSim User's Guide, "Marker (.trc) Files"): tab-separated text,
//
//   PathFileType  4  (X/Y/Z)  walk.trc
//   DataRate  CameraRate  NumFrames  NumMarkers  Units  OrigDataRate  OrigDataStartFrame  OrigNumFrames
//   60  60  100  3  mm  60  1  100
//   Frame#  Time  RASI  <tab>  <tab>  LASI …          (one name per marker, over its three columns)
//           X1  Y1  Z1  X2  Y2  Z2 …
//   <blank line>
//   1  0.000  x1  y1  z1  x2 …                         (an empty field: the marker was not seen)
//
// Detected by the first two lines (PathFileType, DataRate). Units from the header's Units (mm, cm or m); the
// rate from DataRate. Every marker becomes <name>_x/_y/_z (as C3D points do), NaN where the field is empty.
// Rows that stop after a whole marker leave the markers after it missing (Cortex writes them so); a row cut
// inside a marker is an error. Markers the names line does not name are called M<k>; coordinates after the
// NumMarkers markers (Cortex's unidentified trajectories) are left out; each with a warning. Keys: cohort 'opensim'; subject, session and trial are the file stem (a TRC
// names no subject; the user can reassign the trial after import). The import files it into its folder's visit
// (services/visit-grouping.ts: the folder names session and subject).
import type { Attributes, ImportBatch, ImportedChannel } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/errors';
import { UNIT } from '../../src-shared/units';
import type { FormatModule, SourceFile } from './format';
import { LineReader } from './line-reader';

export const OPENSIM_COHORT = 'opensim';

const LENGTH_UNITS: Record<string, string> = { mm: UNIT.millimetre, cm: 'cm', m: UNIT.metre };
const HEADER_FIELDS = ['DataRate', 'CameraRate', 'NumFrames', 'NumMarkers', 'Units'];

export function fileStem(name: string): string {
  return name.replace(/\.[A-Za-z0-9]+$/, '');
}

function looksLikeTrc(head: Buffer): boolean {
  const text = head.subarray(0, 2048).toString('latin1');
  const [first, second] = text.split(/\r?\n/, 2);
  return /^PathFileType\t/.test(first ?? '') && /^DataRate\t/.test(second ?? '');
}

/** A decimal number, or NaN for an empty field; anything else is an InputError naming line and field. */
function numberField(file: string, line: number, field: string, text: string): number {
  const t = text.trim();
  if (t === '') return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) throw new InputError(file, line, field, `expected a number, found "${t.slice(0, 40)}"`);
  return Number(t);
}

export function readTrc(file: SourceFile): ImportBatch {
  const path = file.path;
  const r = new LineReader(file.bytes);
  const first = r.next();
  if (first === null || !first.startsWith('PathFileType\t')) throw new InputError(path, 1, 'PathFileType', 'a TRC file starts with PathFileType');
  const names = (r.next() ?? '').split('\t').map((s) => s.trim());
  const valuesLine = r.lineNo + 1;
  const values = (r.next() ?? '').split('\t').map((s) => s.trim());
  const header = new Map(names.map((n, k) => [n, values[k] ?? '']));
  for (const f of HEADER_FIELDS) if (!header.has(f) || header.get(f) === '') throw new InputError(path, valuesLine, f, 'missing from the header');
  const rateHz = Number(header.get('DataRate'));
  if (!(Number.isFinite(rateHz) && rateHz > 0)) throw new InputError(path, valuesLine, 'DataRate', `"${header.get('DataRate')}" is not a positive rate in Hz`);
  const frames = Number(header.get('NumFrames'));
  if (!(Number.isInteger(frames) && frames > 0)) throw new InputError(path, valuesLine, 'NumFrames', `"${header.get('NumFrames')}" is not a whole number of frames`);
  const markers = Number(header.get('NumMarkers'));
  if (!(Number.isInteger(markers) && markers > 0)) throw new InputError(path, valuesLine, 'NumMarkers', `"${header.get('NumMarkers')}" is not a whole number of markers`);
  const unit = LENGTH_UNITS[header.get('Units')!];
  if (!unit) throw new InputError(path, valuesLine, 'Units', `"${header.get('Units')!.slice(0, 20)}" is not a length unit GaitLab knows (mm, cm, m)`);

  const labelLine = r.next();
  if (labelLine === null || !/^Frame#\tTime/.test(labelLine)) throw new InputError(path, r.lineNo, 'Frame#', 'the marker names line (Frame#, Time, names) is missing');
  const labels = labelLine.split('\t');
  const markerNames: string[] = [];
  const unnamed: number[] = [];
  for (let m = 0; m < markers; m++) {
    const name = (labels[2 + 3 * m] ?? '').trim();
    if (!name) unnamed.push(m + 1);
    markerNames.push(name || `M${m + 1}`);
  }
  if (new Set(markerNames).size !== markerNames.length) throw new InputError(path, r.lineNo, 'marker names', 'a marker name repeats');
  if (r.next() === null) throw new InputError(path, r.lineNo + 1, 'X1', 'the coordinate names line (X1 Y1 Z1 …) is missing');

  const columns = 2 + 3 * markers;
  const coordinates = Array.from({ length: 3 * markers }, () => new Float32Array(frames));
  const timeS = new Float64Array(frames);
  let row = 0;
  let shortRows = 0;
  let extraRows = 0;
  for (let line = r.next(); line !== null; line = r.next()) {
    if (line.trim() === '') {
      if (row === 0) continue; // the blank line after the header
      // Only blank lines may follow the last row.
      for (let rest = r.next(); rest !== null; rest = r.next()) if (rest.trim() !== '') throw new InputError(path, r.lineNo, null, 'data after a blank line');
      break;
    }
    const fields = line.split('\t');
    // Trailing tabs of the last markers' empty fields are sometimes dropped entirely, sometimes one too many.
    while (fields.length > 2 && fields[fields.length - 1].trim() === '') fields.pop();
    if (fields.length > columns) {
      // Cortex writes unidentified trajectories after the NumMarkers markers the header lists.
      extraRows++;
      fields.length = columns;
    }
    if ((fields.length - 2) % 3 !== 0 || fields.length < 2) {
      throw new InputError(path, r.lineNo, null, `expected ${columns} columns, found ${fields.length}`);
    }
    if (row >= frames) throw new InputError(path, r.lineNo, 'NumFrames', `the header says ${frames} frames but the file holds more`);
    if (fields.length < columns) shortRows++;
    timeS[row] = numberField(path, r.lineNo, 'Time', fields[1]);
    if (Number.isNaN(timeS[row])) throw new InputError(path, r.lineNo, 'Time', 'is empty');
    for (let c = 0; c < 3 * markers; c++) {
      coordinates[c][row] = 2 + c < fields.length ? numberField(path, r.lineNo, `${markerNames[Math.floor(c / 3)]} ${'XYZ'[c % 3]}`, fields[2 + c]) : NaN;
    }
    row++;
  }
  if (row < frames) throw new InputError(path, valuesLine, 'NumFrames', `the header says ${frames} frames but the file holds ${row} (truncated file?)`);

  const warnings: string[] = [];
  if (unnamed.length > 0) warnings.push(`${path}: NumMarkers is ${markers} but the names line names ${markers - unnamed.length}; the others are named by their number (${unnamed.slice(0, 3).map((k) => `M${k}`).join(', ')}${unnamed.length > 3 ? ', …' : ''})`);
  if (shortRows > 0) warnings.push(`${path}: ${shortRows} rows end before the last markers; those markers are missing there`);
  if (extraRows > 0) warnings.push(`${path}: ${extraRows} rows hold coordinates beyond the ${markers} markers of NumMarkers (unidentified trajectories); they are not imported`);
  // The Time column should step by 1 / DataRate; say so where it does not (the channels use DataRate).
  const worst = timeS.reduce((m, t, i) => Math.max(m, Math.abs(t - timeS[0] - i / rateHz)), 0);
  if (worst > 0.5 / rateHz) warnings.push(`${path}: the Time column departs from DataRate ${rateHz} Hz by up to ${worst.toFixed(4)} s; the channels use DataRate`);

  const channels: ImportedChannel[] = [];
  markerNames.forEach((name, m) => {
    ['x', 'y', 'z'].forEach((axis, a) => channels.push({ name: `${name}_${axis}`, unit, rateHz, domain: 'time', samples: coordinates[3 * m + a] }));
  });
  const attributes: Attributes = {
    trc_data_rate: { value: rateHz, unit: UNIT.hertz },
    trc_units: { value: header.get('Units')! },
    trc_first_time: { value: timeS[0], unit: UNIT.second },
  };
  const cameraRate = Number(header.get('CameraRate'));
  if (Number.isFinite(cameraRate) && cameraRate > 0) attributes.trc_camera_rate = { value: cameraRate, unit: UNIT.hertz };
  const stem = fileStem(file.name);
  return {
    format: 'trc',
    subjects: [{ key: stem, cohort: OPENSIM_COHORT }],
    sessions: [{ subjectKey: stem, key: stem, label: stem, trials: [{ key: stem, label: stem, contentSha256: file.sha256, channels, attributes, sourceLocation: `frames 1–${frames}` }] }],
    warnings,
  };
}

export const opensimTrc: FormatModule = {
  id: 'trc',
  description: 'TRC marker trajectories (OpenSim / Motion Analysis .trc: markers as x/y/z in the header\'s mm, cm or m)',
  order: 40,
  // One file is one trial of a lab's visit: the files of a folder are grouped into the visit.
  visits: 'folder',
  detect(name, head) {
    if (!looksLikeTrc(head)) return 0;
    return /\.trc$/i.test(name) ? 1 : 0.9;
  },
  read: readTrc,
};
