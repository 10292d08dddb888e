// Daphnet Freezing of Gait recordings (Bächlin et al. 2010, IEEE TITB 14(2):436–446): `S<ss>R<rr>.txt`, no header,
// single-space separated integers, 11 per line: time since recording start (ms), then forward / vertical / lateral
// acceleration in mg of the ankle (shank), thigh and trunk (hip) sensors, then the annotation (0 not part of the
// experiment, 1 experiment without freeze, 2 freeze). 64 Hz. See ../shared/data/daphnet-fog/README.md.
//
// mg become m/s² (value / 1000 × 9.80665). The ms column is the device clock (its steps are 15 or 16 ms, never the
// true 15.625), so events are timed on it. The dataset does not say which leg carried the ankle and thigh sensors,
// so their channels have no side. A freeze episode (a maximal run of label 2) gives a fog_start event at its first
// sample and a fog_end event at its last.
//
// Keys: subject = `S01`, one session per subject (the runs of one subject are one lab visit, split for breaks),
// trial = the file stem `S01R02`.
import type { Attributes, ImportBatch, ImportedChannel, ImportedEvent } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/errors';
import { UNIT } from '../../src-shared/units';
import type { FormatModule, SourceFile } from './format';
import { parseNumericTable } from './numeric-table';

export const DAPHNET_COHORT = 'daphnet';
export const DAPHNET_FILE_NAME = /^(S\d{2})(R\d{2})\.txt$/;
export const DAPHNET_RATE_HZ = 64;
export const STANDARD_GRAVITY = 9.80665;
/** mg → m/s². */
export const DAPHNET_M_S2_PER_MG = STANDARD_GRAVITY / 1000;

const COLUMNS = 11;
/** Steps above this are a gap in the recording, not the 15/16 ms rounding of 15.625 ms. */
const MAX_REGULAR_STEP_MS = 100;
const NO_UNIT = '';

const SENSORS = [
  { segment: 'shank', device: 'ankle (shank) accelerometer' },
  { segment: 'thigh', device: 'thigh accelerometer (just above the knee)' },
  { segment: 'trunk', device: 'trunk (hip) accelerometer' },
] as const;
const DIRECTIONS = ['forward', 'vertical', 'lateral'] as const;

const CHANNEL_NAMES = SENSORS.flatMap((s) => DIRECTIONS.map((d) => `${s.segment}_acc_${d}`));
const COLUMN_NAMES = ['time', ...CHANNEL_NAMES, 'annotation'];

/** True when the first line holds 11 space-separated integers and the time column starts small. */
function looksLikeDaphnet(head: Buffer): boolean {
  const end = head.indexOf(10);
  const line = head.subarray(0, end < 0 ? head.length : end).toString('latin1').replace(/\r$/, '');
  const fields = line.split(' ');
  return fields.length === COLUMNS && fields.every((f) => /^-?\d+$/.test(f)) && Number(fields[0]) >= 0 && Number(fields[0]) < 1000
    && ['0', '1', '2'].includes(fields[10]);
}

export const daphnet: FormatModule = {
  id: 'daphnet',
  description: 'Daphnet freezing-of-gait recordings (3 accelerometers in mg, 64 Hz, FoG annotation)',
  order: 30,
  // The file name states subject and run (S01R01.txt): the data set's keys stand.
  visits: 'own',
  detect(name, head) {
    if (!looksLikeDaphnet(head)) return 0;
    return DAPHNET_FILE_NAME.test(name) ? 1 : 0.6;
  },
  read: readDaphnet,
};

export function readDaphnet(file: SourceFile): ImportBatch {
  const m = DAPHNET_FILE_NAME.exec(file.name);
  if (!m) throw new InputError(file.path, null, 'file name', 'a Daphnet recording is named like S01R02.txt (subject, run); cannot tell the subject');
  const [, subjectKey, run] = m;
  const table = parseNumericTable(file.bytes, COLUMNS, file.path, (c) => COLUMN_NAMES[c]);
  if (table.rows < 2) throw new InputError(file.path, Math.max(table.rows, 1), null, `a recording needs at least 2 samples, found ${table.rows}`);
  const warnings: string[] = [];

  for (let c = 0; c < COLUMNS; c++) {
    const column = table.columns[c];
    for (let r = 0; r < table.rows; r++) {
      if (!Number.isInteger(column[r])) throw new InputError(file.path, r + 1, COLUMN_NAMES[c], `expected an integer, found ${column[r]}`);
    }
  }
  const timeMs = table.columns[0];
  if (timeMs[0] < 0) throw new InputError(file.path, 1, 'time', `time starts at ${timeMs[0]} ms, expected ≥ 0`);
  let gaps = 0;
  let firstGap = '';
  for (let r = 1; r < table.rows; r++) {
    const dt = timeMs[r] - timeMs[r - 1];
    if (!(dt > 0)) throw new InputError(file.path, r + 1, 'time', `time goes from ${timeMs[r - 1]} ms to ${timeMs[r]} ms (expected steps of 15 or 16 ms)`);
    if (dt > MAX_REGULAR_STEP_MS) {
      if (gaps === 0) firstGap = `line ${r + 1}: ${timeMs[r - 1]} → ${timeMs[r]} ms`;
      gaps++;
    }
  }
  if (gaps) warnings.push(`${file.path}: ${gaps} gap${gaps > 1 ? 's' : ''} of more than ${MAX_REGULAR_STEP_MS} ms in the time column (first at ${firstGap}); samples are timed by that column`);
  const deviceTimeS = new Float64Array(table.rows);
  for (let r = 0; r < table.rows; r++) deviceTimeS[r] = timeMs[r] / 1000;
  const rateFromTimestamps = (table.rows - 1) / (deviceTimeS[table.rows - 1] - deviceTimeS[0]);
  if (Math.abs(rateFromTimestamps - DAPHNET_RATE_HZ) > 0.01 * DAPHNET_RATE_HZ) {
    warnings.push(`${file.path}: the time column gives ${rateFromTimestamps.toFixed(3)} samples/s, not the documented ${DAPHNET_RATE_HZ}`);
  }

  const annotation = table.columns[COLUMNS - 1];
  const labelCounts = [0, 0, 0];
  for (let r = 0; r < table.rows; r++) {
    const a = annotation[r];
    if (a !== 0 && a !== 1 && a !== 2) throw new InputError(file.path, r + 1, 'annotation', `annotation ${a} is not 0 (not in the experiment), 1 (no freeze) or 2 (freeze)`);
    labelCounts[a]++;
  }

  const channels: ImportedChannel[] = CHANNEL_NAMES.map((name, k) => {
    const mg = table.columns[k + 1];
    const samples = new Float32Array(table.rows);
    for (let r = 0; r < table.rows; r++) samples[r] = mg[r] * DAPHNET_M_S2_PER_MG;
    return { name, unit: UNIT.metrePerSecondSquared, rateHz: DAPHNET_RATE_HZ, domain: 'time', side: null, device: SENSORS[Math.floor(k / 3)].device, samples };
  });
  channels.push({ name: 'fog_annotation', unit: NO_UNIT, rateHz: DAPHNET_RATE_HZ, domain: 'time', side: null, device: null, samples: Float32Array.from(annotation) });

  const events: ImportedEvent[] = [];
  let episode = 0;
  for (let r = 0; r < table.rows; r++) {
    if (annotation[r] !== 2 || (r > 0 && annotation[r - 1] === 2)) continue;
    let last = r;
    while (last + 1 < table.rows && annotation[last + 1] === 2) last++;
    episode++;
    const params = { episode, firstSample: r, lastSample: last, samples: last - r + 1 };
    events.push(
      { label: 'fog_start', side: null, timeS: deviceTimeS[r], source: 'annotation', params },
      { label: 'fog_end', side: null, timeS: deviceTimeS[last], source: 'annotation', params },
    );
  }

  const attributes: Attributes = {
    device: { value: '3 wireless 3-axis accelerometers (Daphnet wearable assistant, Bächlin et al. 2010)' },
    sample_rate: { value: DAPHNET_RATE_HZ, unit: UNIT.hertz },
    rate_from_timestamps: { value: Number(rateFromTimestamps.toFixed(4)), unit: UNIT.hertz },
    accelerometer_scale: { value: DAPHNET_M_S2_PER_MG, unit: 'm/s² per mg' },
    standard_gravity: { value: STANDARD_GRAVITY, unit: UNIT.metrePerSecondSquared },
    sensor_placement: { value: 'ankle (shank), thigh just above the knee, hip (trunk); leg side not documented; axes forward, vertical, lateral' },
    annotation_source: { value: 'video, a posteriori; onsets may be off by up to a couple of hundred ms' },
    fog_episodes: { value: episode },
    fog_samples: { value: labelCounts[2] },
    experiment_samples: { value: labelCounts[1] + labelCounts[2] },
    excluded_samples: { value: labelCounts[0] },
    run: { value: Number(run.slice(1)) },
  };
  return {
    format: 'daphnet',
    subjects: [{ key: subjectKey, cohort: DAPHNET_COHORT, group: 'PD' }],
    sessions: [{
      subjectKey,
      key: 'lab',
      label: 'Tel Aviv Sourasky Medical Center FoG protocol (2008)',
      trials: [{
        key: `${subjectKey}${run}`,
        label: `Run ${run.slice(1)}`,
        contentSha256: file.sha256,
        channels,
        deviceTimeS,
        attributes,
        sourceLocation: `lines 1–${table.rows}`,
        events,
      }],
    }],
    warnings,
  };
}
