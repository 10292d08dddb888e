// Shimmer3 SD-log binaries (SDLog / LogAndStream firmware), e.g. ../shared/data/shimmer3/triaxcal_sample.bin: one
// trial per file with every enabled channel in physical units (tri-axial sensors through the header's calibration,
// battery and ADC channels in mV), the device clock (32768 Hz ticks, unwrapped) and the device id in the attributes.
// The reader itself is src-main/acquisition/shimmer3/sd-file.ts (shared with the Bluetooth driver's calibration).
//
// There is no magic number: a file is claimed when its header is plausible (a rate divisor, known sensor bits) and the
// first samples' timestamps step by exactly that divisor, which random binaries do not do.
//
// Keys: cohort 'shimmer3'; subject, session and trial are the file stem (the file names no subject); the session's
// date is the recording's real-time-clock date where the device clock was set. The import files it into its folder's
// visit (services/visit-grouping.ts).
import type { Attributes, ImportBatch, ImportedChannel } from '../../src-shared/domain/import-batch';
import { UNIT } from '../../src-shared/units';
import { TIMESTAMP_LAYOUT, TIMESTAMP_MODULUS, SHIMMER_CLOCK_HZ, readInt } from '../acquisition/shimmer3/channels';
import { calibrateChannels } from '../acquisition/shimmer3/calibration';
import { SD_HEADER_BYTES, readShimmerSd, readShimmerSdHeader, unixTimeMs } from '../acquisition/shimmer3/sd-file';
import type { FormatModule, SourceFile } from './format';

export const SHIMMER3_COHORT = 'shimmer3';
const FIRMWARE_NAMES: Record<number, string> = { 1: 'BtStream', 2: 'SDLog', 3: 'LogAndStream' };
/** Samples whose timestamp steps must all equal the rate divisor for the file to be claimed. */
const DETECT_STEPS = 3;

function looksLikeShimmerSd(head: Buffer): boolean {
  let header;
  try {
    header = readShimmerSdHeader(head, '');
  } catch {
    return false;
  }
  if (header.hasSync) return false; // a sync offset first; the layout check below would need the buffer walk
  const size = header.sampleBytes;
  if (head.length < SD_HEADER_BYTES + (DETECT_STEPS + 1) * size) return false;
  let previous = readInt(head, SD_HEADER_BYTES, TIMESTAMP_LAYOUT);
  for (let k = 1; k <= DETECT_STEPS; k++) {
    const t = readInt(head, SD_HEADER_BYTES + k * size, TIMESTAMP_LAYOUT);
    if ((t - previous + TIMESTAMP_MODULUS) % TIMESTAMP_MODULUS !== header.rateDivisor) return false;
    previous = t;
  }
  return true;
}

export const shimmer3Sd: FormatModule = {
  id: 'shimmer3-sd',
  description: 'Shimmer3 SD-log binary (SDLog / LogAndStream firmware): calibrated IMU, battery and ADC channels',
  order: 30,
  // One file is one trial of a lab's visit: the files of a folder are grouped into the visit.
  visits: 'folder',
  detect(name, head) {
    if (!looksLikeShimmerSd(head)) return 0;
    return /\.bin$/i.test(name) ? 1 : 0.8;
  },
  read: readShimmer3Sd,
};

const stemOf = (name: string) => name.replace(/\.[^.]*$/, '');

export function readShimmer3Sd(file: SourceFile): ImportBatch {
  const rec = readShimmerSd(file.bytes, file.path);
  const { header } = rec;
  const { channels: calibrated, uncalibrated } = calibrateChannels(header.channels, rec.raw, header.calibration);
  const warnings = uncalibrated.map((u) => `${file.path}: ${u}`);
  if (rec.irregularSteps) warnings.push(`${file.path}: ${rec.irregularSteps} timestamp step(s) differ from ${header.rateDivisor} ticks (gaps in the recording); samples are timed by the device clock`);
  if (header.hasSync) warnings.push(`${file.path}: the trial was synchronised (${rec.syncOffsets.length} sync offsets); GaitLab keeps the device clock and does not apply them`);

  const device = `Shimmer3 ${header.deviceId}`;
  const channels: ImportedChannel[] = calibrated.map((c) => ({
    name: c.name, unit: c.unit, rateHz: header.rateHz, domain: 'time', side: null, device, samples: Float32Array.from(c.values),
  }));
  const deviceTimeS = new Float64Array(rec.samples);
  for (let i = 0; i < rec.samples; i++) deviceTimeS[i] = (rec.timestampTicks[i] - rec.timestampTicks[0]) / SHIMMER_CLOCK_HZ;
  const unix = unixTimeMs(rec);
  // The real-time clock counts only when it was set and gives a plausible date (2000–2100); else the device clock alone.
  const clockSet = header.rtcDifferenceTicks !== 0 && unix[0] >= Date.UTC(2000, 0, 1) && unix[0] < Date.UTC(2100, 0, 1);
  if (header.rtcDifferenceTicks !== 0 && !clockSet) warnings.push(`${file.path}: the real-time clock offset gives an implausible date; the recording keeps its device clock only`);
  const firmware = `${FIRMWARE_NAMES[header.firmware.type] ?? `type ${header.firmware.type}`} v${header.firmware.major}.${header.firmware.minor}.${header.firmware.internal}`;

  const attributes: Attributes = {
    device: { value: 'Shimmer3 IMU (SD log)' },
    device_id: { value: header.deviceId },
    mac_address: { value: header.macAddress },
    firmware: { value: firmware },
    sample_rate: { value: header.rateHz, unit: UNIT.hertz },
    sample_rate_divisor: { value: header.rateDivisor, unit: 'ticks of 32768 Hz' },
    enabled_sensors: { value: header.sensors.map((s) => s.name).join(', ') },
    start_time_unix: { value: clockSet ? unix[0] : null, unit: 'ms' },
    irregular_timestamp_steps: { value: rec.irregularSteps },
  };
  for (const [sensor, cal] of Object.entries(header.calibration)) {
    if (!header.sensors.some((s) => s.triaxial === sensor)) continue;
    attributes[`calibration_${sensor}`] = { value: JSON.stringify({ offset: cal.offset, sensitivity: cal.sensitivity, alignment: cal.alignment }) };
  }
  const stem = stemOf(file.name);
  return {
    format: 'shimmer3-sd',
    subjects: [{ key: stem, cohort: SHIMMER3_COHORT }],
    sessions: [{
      subjectKey: stem,
      key: stem,
      label: stem,
      date: clockSet ? new Date(unix[0]).toISOString().slice(0, 10) : null,
      trials: [{
        key: stem,
        label: `${device} ${stem}`,
        contentSha256: file.sha256,
        channels,
        deviceTimeS,
        attributes,
        sourceLocation: `samples 1–${rec.samples}`,
      }],
    }],
    warnings,
  };
}
