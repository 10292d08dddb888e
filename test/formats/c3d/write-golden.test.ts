// The written C3D as an independent reader sees it. test/fixtures/c3d/export/read_c3d.py (numpy + struct,
// written from the C3D User Guide) read the exports of these corpus files once; its readings are checked in.
// Here the same exports are written again: the bytes must be the ones it read (same SHA-256), and what it
// read must be the trial GaitLab imported from the original file: labels, units, rates, frames, every
// channel's sum/min/max, the events with their contexts, and the plates' channels and corners.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { c3dUnitSpelling } from '../../../src-main/formats/c3d/trial-to-c3d';
import { plateGeometryOf } from '../../../src-main/formats/c3d/plate-attributes';
import { exportedC3d, GOLDEN_EXPORTS, goldenName, importC3dTrial } from './export-helpers';
import { FIXTURES } from './helpers';

interface Reading {
  sha256: string;
  header: { points: number; first_frame: number; last_frame: number; analog_samples_per_frame: number; frame_rate: number };
  point_rate: number;
  analog_rate: number;
  point_units: string;
  subjects: string[];
  points: { label: string; valid: number; sum: number[] }[];
  analogs: { label: string; unit: string; sum: number; min: number; max: number }[];
  events: { label: string; context: string; minutes: number; seconds: number }[];
  plates: { type: number; channels: string[]; corners: number[][]; origin: number[] }[];
}

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

for (const rel of GOLDEN_EXPORTS) {
  describe(`${rel} exported, as read_c3d.py read it`, () => {
    const reading = JSON.parse(readFileSync(path.join(FIXTURES, 'export', `${goldenName(rel)}.export.reading.json`), 'utf8')) as Reading;
    const { batch, trial } = importC3dTrial(rel);
    const attr = (k: string) => trial.attributes?.[k]?.value;

    test('the writer still writes the very bytes the independent reader read', () => {
      assert.equal(createHash('sha256').update(exportedC3d(rel)).digest('hex'), reading.sha256);
    });

    test('frames, rates, units and subject are the trial\'s', () => {
      assert.equal(reading.point_rate, attr('c3d_point_rate'));
      assert.equal(reading.header.frame_rate, attr('c3d_point_rate'));
      assert.equal(reading.analog_rate, attr('c3d_analog_rate') ?? reading.analog_rate);
      assert.equal(reading.header.first_frame, attr('c3d_first_frame'));
      assert.equal(reading.header.last_frame - reading.header.first_frame + 1, attr('c3d_frames'));
      assert.deepEqual(reading.subjects, [batch.subjects[0].key]);
    });

    test('every point: label, valid frames and coordinate sums', () => {
      const xs = trial.channels.filter((c) => c.name.endsWith('_x') && c.rateHz === attr('c3d_point_rate'));
      assert.deepEqual(reading.points.map((p) => p.label), xs.map((c) => c.name.slice(0, -2)));
      for (const [k, p] of reading.points.entries()) {
        const axes = ['x', 'y', 'z'].map((a) => trial.channels.find((c) => c.name === `${p.label}_${a}`)!.samples);
        assert.equal(p.valid, axes[0].filter((v) => !Number.isNaN(v)).length, p.label);
        axes.forEach((s, a) => close(p.sum[a], s.reduce((acc, v) => (Number.isNaN(v) ? acc : acc + v), 0), `${p.label} axis ${a} (point ${k + 1})`));
      }
    });

    test('every analog channel: label, unit, sum, min and max', () => {
      const analog = trial.channels.filter((c) => c.rateHz === reading.analog_rate && !/^FP\d+_(Fx|Fy|Fz|COPx|COPy|Tz)$/.test(c.name));
      assert.deepEqual(reading.analogs.map((a) => [a.label, a.unit]), analog.map((c) => [c.name, c3dUnitSpelling(c.unit)]));
      for (const [k, a] of reading.analogs.entries()) {
        const s = analog[k].samples;
        close(a.sum, s.reduce((acc, v) => acc + v, 0), `${a.label} sum`);
        assert.equal(a.min, Math.min(...s));
        assert.equal(a.max, Math.max(...s));
      }
    });

    test('events: label, context and time from the start of capture', () => {
      const offsetS = ((attr('c3d_first_frame') as number) - 1) / (attr('c3d_point_rate') as number);
      assert.deepEqual(reading.events.map((e) => [e.label, e.context]), (trial.events ?? []).map((e) => [e.params?.label, e.params?.context]));
      for (const [k, e] of reading.events.entries()) close(e.minutes * 60 + e.seconds, Math.fround(trial.events![k].timeS + offsetS), `event ${k + 1}`);
    });

    test('force plates: type, channels, corners and origin', () => {
      const plates = plateGeometryOf(trial.attributes ?? {});
      assert.ok(plates.length > 0);
      assert.deepEqual(reading.plates.map((p) => [p.type, p.channels]), plates.map((g) => [g.type, g.channelNames]));
      for (const [k, p] of reading.plates.entries()) {
        assert.deepEqual(p.corners.flat(), plates[k].cornersMm.map(Math.fround));
        assert.deepEqual(p.origin, plates[k].originMm.map(Math.fround));
      }
    });
  });
}
