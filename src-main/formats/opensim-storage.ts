// OpenSim motion and storage files (.mot, .sto; OpenSim User's Guide, "Storage (.sto) Files" and "Motion
// (.mot) Files"): a header of lines ending with `endheader`, a line of column labels starting with `time`, then
// rows of numbers separated by tabs or spaces.
//
//   subject01_walk1_grf.mot          (a name; optional)
//   version=1                        (OpenSim ≥ 2: version, nRows, nColumns, inDegrees, and in 4.x DataType,
//   nRows=1501                        OpenSimVersion …; the legacy SIMM header says datacolumns N,
//   nColumns=19                       datarows N, range a b instead)
//   inDegrees=yes
//   endheader
//   time  ground_force_vx  ground_force_vy  …
//
// Units, from the header and OpenSim's own conventions (OpenSim stores SI units; the header says only
// whether angles are degrees):
// * force files (any column named …force_vx/vy/vz): forces …force_v[xyz] in N, centres of pressure
//   …force_p[xyz] in m, torques …torque_[xyz] in N·m; the plate or body a group belongs to is the channel's
//   device (ground_force_r_vx, ground_force_r_px, ground_torque_r_x → device ground_r).
// * coordinate files (joint angles: inDegrees=yes, or a name such as "Coordinates" or …_q): translations
//   (…_tx, _ty, _tz) in m, every other coordinate in deg (inDegrees=yes) or rad (inDegrees=no).
// * any other column has no stated unit: 'a.u.', and the import says which.
// Side from the name where it says (hip_flexion_r, ground_force_l_vx, r_ground_force_vx). The time column is
// the trial's clock (device time) and must increase; the rate is (rows − 1) / (last − first time).
// Keys as for .trc: cohort 'opensim', subject, session and trial are the file stem; the import files it into its
// folder's visit (services/visit-grouping.ts).
import type { Attributes, ImportBatch, ImportedChannel, Side } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/errors';
import { UNIT } from '../../src-shared/units';
import type { FormatModule, SourceFile } from './format';
import { LineReader } from './line-reader';
import { parseNumericTable } from './numeric-table';
import { fileStem, OPENSIM_COHORT } from './opensim-trc';

const NEWTON_METRE = 'N·m';
const UNSTATED = 'a.u.';
/** How far into a file `endheader` may be (OpenSim headers are a few lines; comments make some longer). */
const MAX_HEADER_LINES = 200;

const FORCE = /force_(?:[a-z0-9]+_)?v[xyz]$/i;
const POINT = /force_(?:[a-z0-9]+_)?p[xyz]$/i;
const TORQUE = /torque_(?:[a-z0-9]+_)?[xyz]$/i;
const TRANSLATION = /_t[xyz]$/i;
const KINEMATIC_NAME = /coordinates|kinematics|_q$|(^|_)ik($|_)|angles/i;

function looksLikeStorage(head: Buffer): boolean {
  const lines = head.subarray(0, 16384).toString('latin1').split(/\r?\n/, MAX_HEADER_LINES + 1);
  const end = lines.findIndex((l) => l.trim().toLowerCase() === 'endheader');
  if (end < 0 || end + 1 >= lines.length) return false;
  const header = lines.slice(0, end);
  const stated = header.some((l) => /^\s*(version|nRows|nColumns|inDegrees|datacolumns|datarows)\s*[= ]/i.test(l));
  return stated && /^time(\s|$)/i.test(lines[end + 1].trim());
}

function sideOf(name: string): Side | null {
  const m = /(?:^|_)([rl])(?:_|$)/i.exec(name);
  return m ? (m[1].toLowerCase() === 'r' ? 'right' : 'left') : null;
}

/** ground_force_r_vx, ground_torque_r_x → 'ground_r'; 1_ground_force_vx → '1_ground'. */
function deviceOf(name: string): string {
  return name.replace(/_?(force|torque)_/i, '_').replace(/_[^_]*$/, '').replace(/^_+/, '') || name;
}

interface StorageHeader {
  name: string | null;
  /** Keyed by the lower-cased name; `key` keeps the file's spelling for messages. */
  values: Map<string, { key: string; value: string; line: number }>;
  /** Lines before the column labels. */
  headerLines: number;
}

function readHeader(path: string, r: LineReader): StorageHeader {
  const values = new Map<string, { key: string; value: string; line: number }>();
  let name: string | null = null;
  for (let line = r.next(); line !== null; line = r.next()) {
    const t = line.trim();
    if (t.toLowerCase() === 'endheader') return { name, values, headerLines: r.lineNo };
    if (r.lineNo > MAX_HEADER_LINES) break;
    const kv = /^([A-Za-z][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(t) ?? /^(datacolumns|datarows|range)\s+(.*)$/i.exec(t);
    if (kv) values.set(kv[1].toLowerCase(), { key: kv[1], value: kv[2].trim(), line: r.lineNo });
    else if (r.lineNo === 1 && t !== '') name = t;
  }
  throw new InputError(path, null, 'endheader', `no endheader line within the first ${MAX_HEADER_LINES} lines`);
}

function wholeNumber(path: string, h: StorageHeader, keys: string[]): { value: number; key: string; line: number } | null {
  for (const key of keys) {
    const v = h.values.get(key);
    if (!v) continue;
    const n = Number(v.value);
    if (!(Number.isInteger(n) && n >= 0)) throw new InputError(path, v.line, v.key, `"${v.value.slice(0, 20)}" is not a whole number`);
    return { value: n, key: v.key, line: v.line };
  }
  return null;
}

export function readStorage(file: SourceFile): ImportBatch {
  const path = file.path;
  const r = new LineReader(file.bytes);
  const h = readHeader(path, r);
  const labelLine = r.next();
  if (labelLine === null || !/^time(\s|$)/i.test(labelLine.trim())) throw new InputError(path, h.headerLines + 1, 'time', 'the column labels after endheader must start with time');
  const labels = labelLine.trim().split(/\t/).length > 1 ? labelLine.trim().split(/\t/).map((s) => s.trim()) : labelLine.trim().split(/\s+/);
  const seen = new Set<string>();
  for (const l of labels) {
    if (l === '' || seen.has(l)) throw new InputError(path, h.headerLines + 1, l || 'column label', l === '' ? 'an empty column label' : 'a column label repeats');
    seen.add(l);
  }
  const nColumns = wholeNumber(path, h, ['ncolumns', 'datacolumns']);
  if (nColumns && nColumns.value !== labels.length) throw new InputError(path, nColumns.line, nColumns.key, `says ${nColumns.value} columns but the labels line names ${labels.length}`);

  // The data: one row per line; blank lines at the end are allowed.
  const dataLine = h.headerLines + 2;
  let data = file.bytes.subarray(r.pos);
  let end = data.length;
  while (end > 0 && (data[end - 1] === 10 || data[end - 1] === 13 || data[end - 1] === 32 || data[end - 1] === 9)) end--;
  data = data.subarray(0, end);
  if (data.length === 0) throw new InputError(path, dataLine, null, 'no data rows');
  let table;
  try {
    table = parseNumericTable(data, labels.length, path, (c) => labels[c]);
  } catch (e) {
    if (e instanceof InputError && e.line !== null) throw new InputError(path, e.line + dataLine - 1, e.field, e.reason);
    throw e;
  }
  const rows = table.rows;
  const nRows = wholeNumber(path, h, ['nrows', 'datarows']);
  if (nRows && nRows.value !== rows) throw new InputError(path, nRows.line, nRows.key, `says ${nRows.value} rows but the file holds ${rows}${rows < nRows.value ? ' (truncated file?)' : ''}`);
  const time = table.columns[0];
  for (let i = 1; i < rows; i++) {
    if (!(time[i] > time[i - 1])) throw new InputError(path, dataLine + i, 'time', `${time[i]} s does not follow ${time[i - 1]} s; time must increase`);
  }
  if (rows < 2) throw new InputError(path, dataLine, 'time', 'one row gives no sampling rate');
  // Nine significant digits: the time stamps are written with at most eight decimals, so more would be noise.
  const rateHz = Number(((rows - 1) / (time[rows - 1] - time[0])).toPrecision(9));

  const warnings: string[] = [];
  const inDegrees = h.values.get('indegrees')?.value.toLowerCase();
  const isForceFile = labels.some((l) => FORCE.test(l));
  const isKinematic = !isForceFile && (inDegrees === 'yes' || KINEMATIC_NAME.test(h.name ?? '') || KINEMATIC_NAME.test(fileStem(file.name)));
  const angleUnit = inDegrees === 'yes' ? UNIT.degree : inDegrees === 'no' ? 'rad' : null;
  const unstated: string[] = [];
  const channels: ImportedChannel[] = [];
  labels.forEach((name, c) => {
    if (c === 0) return;
    let unit: string | null = null;
    let device: string | null = null;
    if (FORCE.test(name)) unit = UNIT.newton;
    else if (POINT.test(name)) unit = UNIT.metre;
    else if (TORQUE.test(name)) unit = NEWTON_METRE;
    if (unit !== null) device = deviceOf(name);
    else if (isKinematic) unit = TRANSLATION.test(name) ? UNIT.metre : angleUnit;
    if (unit === null) {
      unstated.push(name);
      unit = UNSTATED;
    }
    channels.push({ name, unit, rateHz, domain: 'time', side: sideOf(name), device, samples: Float32Array.from(table.columns[c]) });
  });
  if (unstated.length) {
    const why = isKinematic ? 'the header does not say inDegrees=yes or no' : 'OpenSim headers state no unit for them';
    warnings.push(`${path}: ${unstated.length} columns have no stated unit (${unstated.slice(0, 3).join(', ')}${unstated.length > 3 ? ', …' : ''}): ${why}; stored as ${UNSTATED}`);
  }
  if (channels.length === 0) throw new InputError(path, h.headerLines + 1, 'column labels', 'the file has a time column only');

  const attributes: Attributes = {
    opensim_kind: { value: isForceFile ? 'forces' : isKinematic ? 'coordinates' : 'other' },
    opensim_first_time: { value: time[0], unit: UNIT.second },
  };
  if (h.name) attributes.opensim_name = { value: h.name };
  const version = h.values.get('version')?.value;
  if (version) attributes.opensim_storage_version = { value: version };
  if (inDegrees) attributes.opensim_in_degrees = { value: inDegrees };
  const stem = fileStem(file.name);
  return {
    format: 'opensim-storage',
    subjects: [{ key: stem, cohort: OPENSIM_COHORT }],
    sessions: [{ subjectKey: stem, key: stem, label: stem, trials: [{
      key: stem,
      label: stem,
      contentSha256: file.sha256,
      channels,
      deviceTimeS: Float64Array.from(time),
      attributes,
      sourceLocation: `lines ${dataLine}–${dataLine + rows - 1}`,
    }] }],
    warnings,
  };
}

export const opensimStorage: FormatModule = {
  id: 'opensim-storage',
  description: 'OpenSim motion and storage files (.mot, .sto: ground reaction forces in N, COP in m, torques in N·m; joint angles in deg or rad per inDegrees)',
  order: 40,
  // One file is one trial of a lab's visit: the files of a folder are grouped into the visit.
  visits: 'folder',
  detect(name, head) {
    if (!looksLikeStorage(head)) return 0;
    return /\.(mot|sto)$/i.test(name) ? 1 : 0.9;
  },
  read: readStorage,
};
