// What the simulator replays: a real recording read into rows of value *text* (kept verbatim, so that what the
// recorder stores is bit-identical to what the file's own importer stores, float32) with each row's time.
// - insole: a PhysioNet gaitpdb walk (.txt or .txt.gz): 8 sensors per foot and the two totals, N, ≈100 Hz;
// - imu: one IMU of a HuGaDB v1 file (acc m/s², gyro deg/s, converted as src-main/formats/hugadb.ts does).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../../../src-shared/domain/errors';
import { UNIT } from '../../../src-shared/units';
import type { DeviceKind, DriverChannel } from '../driver';
import { GAITPDB_CHANNELS } from '../../formats/gaitpdb-walk';
import { HUGADB_ACC_G_PER_COUNT, HUGADB_GYRO_DEG_S_PER_COUNT, HUGADB_RATE_HZ, STANDARD_GRAVITY } from '../../formats/hugadb';

export interface ReplaySource {
  kind: DeviceKind;
  deviceId: string;
  rateHz: number;
  channels: DriverChannel[];
  /** Time of each row, s, from 0. */
  timeS: Float64Array;
  /** Each row's values as text, channels in order. */
  rows: string[][];
}

function readText(path: string): string {
  const bytes = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('latin1');
}

export function gaitpdbInsoleSource(path: string): ReplaySource {
  const name = basename(path).replace(/\.gz$/, '').replace(/\.txt$/, '');
  const lines = readText(path).split('\n');
  const rows: string[][] = [];
  const times: number[] = [];
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    const f = line.split('\t');
    if (f.length !== 19) throw new InputError(path, i + 1, null, `expected 19 tab-separated columns, found ${f.length}`);
    times.push(Number(f[0]));
    rows.push(f.slice(1));
  });
  if (rows.length < 2) throw new InputError(path, null, null, 'a walk needs at least 2 samples');
  const t0 = times[0];
  const timeS = Float64Array.from(times, (t) => t - t0);
  return {
    kind: 'insole', deviceId: `insole-${name}`, rateHz: 100,
    channels: GAITPDB_CHANNELS.map((c) => ({ name: c.name, unit: UNIT.newton, side: c.side })),
    timeS, rows,
  };
}

const HUGADB_SENSORS = ['rf', 'rs', 'rt', 'lf', 'ls', 'lt'] as const;

export function hugadbImuSource(path: string, sensor: string = 'rs', rateHz: number = HUGADB_RATE_HZ): ReplaySource {
  if (!(HUGADB_SENSORS as readonly string[]).includes(sensor)) throw new InputError(path, null, 'sensor', `sensor "${sensor}" is not one of ${HUGADB_SENSORS.join(', ')}`);
  const lines = readText(path).split('\n').map((l) => l.replace(/\r$/, ''));
  const headerIndex = lines.findIndex((l) => l.startsWith('acc_rf_x'));
  if (headerIndex < 0) throw new InputError(path, null, null, 'no HuGaDB column header line (acc_rf_x …)');
  const names = lines[headerIndex].split('\t').map((s) => s.trim());
  const cols = ['acc', 'gyro'].flatMap((k) => ['x', 'y', 'z'].map((a) => `${k}_${sensor}_${a}`));
  const idx = cols.map((c) => names.indexOf(c));
  if (idx.some((i) => i < 0)) throw new InputError(path, headerIndex + 1, null, `missing columns for sensor ${sensor}`);
  const rows: string[][] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const f = lines[i].split('\t');
    rows.push(idx.map((j, k) => {
      const count = Number(f[j]);
      if (!Number.isFinite(count)) throw new InputError(path, i + 1, cols[k], `"${f[j]}" is not a number`);
      const v = k < 3 ? count * HUGADB_ACC_G_PER_COUNT * STANDARD_GRAVITY : count * HUGADB_GYRO_DEG_S_PER_COUNT;
      return String(v);
    }));
  }
  const side = sensor.startsWith('r') ? 'right' : 'left';
  return {
    kind: 'imu', deviceId: `imu-${sensor}-${basename(path).replace(/\.txt(\.gz)?$/, '')}`.slice(0, 64), rateHz,
    channels: cols.map((c, k) => ({ name: c, unit: k < 3 ? UNIT.metrePerSecondSquared : UNIT.degreePerSecond, side })),
    timeS: Float64Array.from(rows, (_, i) => i / rateHz), rows,
  };
}

export function loadReplaySource(kind: string, path: string, opts: { sensor?: string; rateHz?: number }): ReplaySource {
  if (kind === 'insole') {
    const s = gaitpdbInsoleSource(path);
    // A different nominal rate replays the same rows at that rate (tests of several rates from one file).
    if (opts.rateHz) return { ...s, rateHz: opts.rateHz, timeS: Float64Array.from(s.rows, (_, i) => i / opts.rateHz!) };
    return s;
  }
  if (kind === 'imu') return hugadbImuSource(path, opts.sensor, opts.rateHz);
  throw new InputError(path, null, 'device', `--device ${kind}: the simulator replays insole or imu recordings`);
}
