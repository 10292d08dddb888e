// A Shimmer3 recorded like an insole, with real parts: `gaitlab simulate --device shimmer` replaying the real SD-log
// binary over the LogAndStream Bluetooth protocol on a socat pty pair, `gaitlab record --device shimmer3` in the
// acquisition process, a real SQLite file; the stored samples compared with the same file imported by GaitLab.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { dbFingerprint, gaitlab, sharedData, tempDir } from '../../helpers';
import { PtyPair } from '../pty-pair';
import { startGaitlab, type LiveCommand } from '../live-cli';
import { readShimmerSd } from '../../../src-main/acquisition/shimmer3/sd-file';
import { calibrateChannels } from '../../../src-main/acquisition/shimmer3/calibration';
import { decodeSamples } from '../../../src-main/store/sample-codec';

const BIN = sharedData('shimmer3', 'triaxcal_sample.bin');
const rec = readShimmerSd(new Uint8Array(readFileSync(BIN)), BIN);
const calibrated = calibrateChannels(rec.header.channels, rec.raw, rec.header.calibration).channels;
const SUBJECT = 'triaxcal_sample';

/** A database holding the SD file imported for the subject recorded (the file names none): the reference for the recording. */
function importedSd(db: string): string {
  const r = gaitlab(['--db', db, '--json', 'import', BIN, '--subject', SUBJECT]);
  assert.equal(r.code, 0, r.stderr);
  return gaitlab(['--db', db, '--json', 'trials', '--subject', SUBJECT]).json.trials[0].id;
}

/** The device first (it waits for the host's inquiry), then the recorder; resolves once samples are being recorded. */
async function simulateAndRecord(db: string, pty: PtyPair, simulateArgs: string[]): Promise<{ sim: LiveCommand; recorder: LiveCommand }> {
  const sim = startGaitlab(['--json', 'simulate', '--device', 'shimmer', '--from', BIN, '--port', pty.device, ...simulateArgs]);
  await sim.waitFor(/Shimmer3 replay listening on/);
  const recorder = startGaitlab(['--db', db, '--json', 'record', '--port', pty.host, '--device', 'shimmer3', '--subject', SUBJECT]);
  await recorder.waitFor(/recording Shimmer3 shimmer-host \(73\.14\d* Hz\) → T-/);
  return { sim, recorder };
}

function storedClocks(db: string, trialId: string): { deviceS: ArrayLike<number>; gaps: { kind: string; start_host_ms: number; end_host_ms: number | null; detected_ms: number | null; missing: number | null }[]; integrity: unknown } {
  const sq = new Database(db, { readonly: true });
  const device = sq.prepare("SELECT samples, encoding, data FROM trial_clocks WHERE trial_id = ? AND clock = 'device'").get(trialId) as { samples: number; encoding: string; data: Buffer };
  const gaps = sq.prepare('SELECT kind, start_host_ms, end_host_ms, detected_ms, missing FROM recording_gaps WHERE trial_id = ? ORDER BY id').all(trialId) as
    { kind: string; start_host_ms: number; end_host_ms: number | null; detected_ms: number | null; missing: number | null }[];
  const integrity = sq.pragma('integrity_check', { simple: true });
  sq.close();
  return { deviceS: decodeSamples(device.data, device.encoding, device.samples), gaps, integrity };
}

test('the whole SD recording replayed at 5× as a Shimmer3 over a socat pty is stored sample for sample: the calibrated values (float32), in order, none missing or repeated, with the 24-bit device clock', { timeout: 90_000 }, async () => {
  const dir = tempDir();
  const db = join(dir, 'live.db');
  const importedId = importedSd(db);
  const pty = new PtyPair(dir, 'shimmer');
  await pty.start();
  try {
    const { sim, recorder } = await simulateAndRecord(db, pty, ['--rate-x', '5']);
    const s = await sim.done;
    assert.equal(s.code, 0, s.stderr);
    assert.equal(s.json.simulation.sent, rec.samples);
    await new Promise((r) => setTimeout(r, 500));
    recorder.proc.kill('SIGINT');
    const r = await recorder.done;
    assert.equal(r.code, 0, r.stderr);
    const trial = r.json.recording.trials[0];
    assert.equal(trial.kind, 'shimmer3');
    assert.equal(trial.deviceId, 'Shimmer3 shimmer-host');
    assert.equal(trial.samples, rec.samples);
    assert.deepEqual(trial.badLines, {});

    const listed = gaitlab(['--db', db, '--json', 'trials', '--subject', SUBJECT]).json.trials;
    assert.equal(listed.find((t: { id: string }) => t.id === trial.trialId).recordingStatus, 'closed');
    const got = gaitlab(['--db', db, '--json', 'signals', trial.trialId]).json.channels;
    const want = gaitlab(['--db', db, '--json', 'signals', importedId]).json.channels;
    assert.deepEqual(got.map((c: { name: string; unit: string }) => `${c.name} ${c.unit}`), want.map((c: { name: string; unit: string }) => `${c.name} ${c.unit}`));
    assert.deepEqual(got.map((c: { unit: string }) => c.unit), calibrated.map((c) => c.unit));
    for (let k = 0; k < want.length; k++) {
      assert.equal(got[k].samples, rec.samples, got[k].name);
      assert.deepEqual(got[k].values, want[k].values, `channel ${want[k].name} differs from the imported SD file`);
      // And from the calibration itself, not only from the importer that shares it.
      assert.deepEqual(got[k].values, Array.from(calibrated[k].values, (v) => Math.fround(v)), `channel ${want[k].name}`);
    }
    // The device clock stored is the SD file's own (32768 Hz ticks, from the first sample).
    const { deviceS, gaps, integrity } = storedClocks(db, trial.trialId);
    assert.equal(deviceS.length, rec.samples);
    for (let i = 0; i < rec.samples; i++) assert.equal(deviceS[i], (rec.timestampTicks[i] - rec.timestampTicks[0]) / 32768, `device clock of sample ${i}`);
    assert.equal(gaps.filter((g) => g.kind === 'lost-samples').length, 0, JSON.stringify(gaps));
    assert.equal(integrity, 'ok');
  } finally {
    await pty.stop();
  }
});

test('a pulled link (socat killed, then restarted) is a gap the Shimmer3 recording resumes after; a killed simulator is a gap detected within 2 s', { timeout: 90_000 }, async () => {
  const dir = tempDir();
  const db = join(dir, 'live.db');
  importedSd(db);
  const pty = new PtyPair(dir, 'shimmer');
  await pty.start();
  try {
    // 60 simulated s at 5×: the recording loops, its 24-bit clock running on.
    const { sim, recorder } = await simulateAndRecord(db, pty, ['--rate-x', '5', '--duration', '60']);
    await new Promise((r) => setTimeout(r, 2000));
    await pty.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await pty.start();
    await recorder.waitFor(/silent, detected after \d+ ms/);
    // Resumed: the driver reopened the port, asked the inquiry again and restarted streaming.
    await new Promise((r) => setTimeout(r, 4000));
    sim.proc.kill('SIGKILL');
    await sim.done;
    await new Promise((r) => setTimeout(r, 2500));
    recorder.proc.kill('SIGINT');
    const r = await recorder.done;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr.match(/Shimmer3 shimmer-host: silent, detected after \d+ ms/g)?.length, 2, r.stderr);
    const trial = r.json.recording.trials[0];
    const { deviceS, gaps, integrity } = storedClocks(db, trial.trialId);
    assert.equal(integrity, 'ok');
    const silences = gaps.filter((g) => g.kind === 'silence');
    assert.equal(silences.length, 2, JSON.stringify(gaps));
    for (const g of silences) {
      assert.ok(g.detected_ms! <= 2000, `detected after ${g.detected_ms} ms`);
      assert.ok(g.end_host_ms !== null && g.end_host_ms > g.start_host_ms + 1000, `closed gap: ${JSON.stringify(g)}`);
    }
    const lost = gaps.filter((g) => g.kind === 'lost-samples').reduce((a, g) => a + g.missing!, 0);
    assert.ok(lost >= 50, `the samples of the cut are recorded as lost: ${JSON.stringify(gaps)}`);
    // Every stored sample once, in order, with its value: its counter is its place on the device clock's grid.
    const got = gaitlab(['--db', db, '--json', 'signals', trial.trialId]).json.channels as { values: number[] }[];
    const period = rec.header.rateDivisor / 32768;
    const counters = Array.from(deviceS, (t) => Math.round(t / period));
    const firstAfterCut = counters.findIndex((c, i) => i > 0 && c > counters[i - 1] + 1);
    assert.ok(firstAfterCut > 100 && counters.length - firstAfterCut > 100, `samples before (${firstAfterCut}) and after the cut (${counters.length - firstAfterCut})`);
    for (let i = 0; i < counters.length; i++) {
      if (i > 0) assert.ok(counters[i] > counters[i - 1], `sample ${i}: counters strictly increase`);
      const k = counters[i] % rec.samples;
      for (let c = 0; c < got.length; c++) assert.equal(got[c].values[i], Math.fround(calibrated[c].values[k]), `sample ${i} (counter ${counters[i]}) ${rec.header.channels[c]}`);
    }
    assert.equal(counters.length + lost, counters[counters.length - 1] + 1, 'every counter up to the last is stored or recorded lost');
    console.log(`Shimmer3 link pulled and simulator killed: ${counters.length} samples stored, ${lost} lost, silences detected after ${silences.map((g) => g.detected_ms!.toFixed(0)).join(' and ')} ms`);
  } finally {
    await pty.stop();
  }
});

test('record --device movella-dot where BLE is unavailable: refused with one line "BLE unavailable: <reason>", nothing stored changes', () => {
  const dir = tempDir();
  const db = join(dir, 'live.db');
  importedSd(db);
  const before = dbFingerprint(db);
  const r = gaitlab(['--db', db, '--json', 'record', '--port', 'any', '--device', 'movella-dot', '--subject', SUBJECT]);
  const doctor = gaitlab(['doctor', '--json']).json;
  if (doctor.ble.available) {
    console.log('BLE is available on this machine: the refusal is not exercised here');
    return;
  }
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `gaitlab: BLE unavailable: ${doctor.ble.reason}\n`);
  assert.equal(dbFingerprint(db), before);
});
