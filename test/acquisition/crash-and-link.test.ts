// The recorder against a crash (kill -9 of the acquisition process) and a pulled cable (socat killed, restarted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { gaitlab, sharedData, tempDir } from '../helpers';
import { PtyPair } from './pty-pair';
import { startGaitlab } from './live-cli';
import { spawnAcquisition } from '../../src-main/acquisition/spawn-acquisition';
import type { AcquisitionToHost } from '../../src-main/acquisition/acquisition-protocol';
import { gaitpdbInsoleSource } from '../../src-main/acquisition/simulator/replay-source';
import { runSimulator } from '../../src-main/acquisition/simulator/simulator';
import { decodeSamples } from '../../src-main/store/sample-codec';

const WALK = sharedData('gaitpdb', 'GaCo01_01.txt.gz');
const hostNow = () => performance.timeOrigin + performance.now();

function newDbWithSubject(dir: string): { db: string; subjectId: string } {
  const db = join(dir, 'live.db');
  assert.equal(gaitlab(['--db', db, 'import', WALK]).code, 0);
  const subjectId = gaitlab(['--db', db, '--json', 'subjects']).json.subjects.find((s: { code: string }) => s.code === 'GaCo01').id;
  return { db, subjectId };
}

function waitMessage(messages: AcquisitionToHost[], type: AcquisitionToHost['type'], timeoutMs = 20000): Promise<void> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (messages.some((m) => m.type === type)) return resolve();
      const failed = messages.find((m) => m.type === 'failed');
      if (failed) return reject(new Error(JSON.stringify(failed)));
      if (Date.now() - t0 > timeoutMs) return reject(new Error(`no ${type} message within ${timeoutMs} ms`));
      setTimeout(poll, 10);
    };
    poll();
  });
}

// The quick version of the 20-times loop (bench/acquisition.ts runs 20).
const KILL_ITERATIONS = 5;

test(`kill -9 of the acquisition process mid-recording, ${KILL_ITERATIONS} times: integrity ok, at most the last 250 ms lost, the trial reopens as interrupted`, { timeout: 180_000 }, async () => {
  const dir = tempDir();
  const { db, subjectId } = newDbWithSubject(dir);
  const src = gaitpdbInsoleSource(WALK);
  const lostMs: number[] = [];
  for (let i = 0; i < KILL_ITERATIONS; i++) {
    const pty = new PtyPair(dir, `kill${i}`);
    await pty.start();
    const abort = new AbortController();
    try {
      const messages: AcquisitionToHost[] = [];
      const child = spawnAcquisition({ dbPath: db, actor: 'test', subjectId, devices: [{ port: pty.host, kind: 'insole' }] });
      child.onMessage((m) => messages.push(m));
      const exited = new Promise<string | null>((resolve) => child.onExit((_c, sig) => resolve(sig)));
      await waitMessage(messages, 'listening');
      const sim = runSimulator(src, { port: pty.device, rateX: 1, signal: abort.signal });
      await waitMessage(messages, 'started');
      await new Promise((r) => setTimeout(r, 800 + 150 * i));
      const killedAt = hostNow();
      process.kill(child.pid!, 'SIGKILL');
      assert.equal(await exited, 'SIGKILL');
      abort.abort();
      await sim;
      const started = messages.find((m) => m.type === 'started') as Extract<AcquisitionToHost, { type: 'started' }>;
      const trialId = started.trials[0].trialId;

      // Any gaitlab command's open finds the orphan: here a read-only one.
      const listed = gaitlab(['--db', db, '--json', 'trials', '--subject', 'GaCo01']);
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stderr, new RegExp(`recording ${trialId} \\(insole-GaCo01_01\\) was interrupted; kept its \\d+ committed samples`));
      assert.equal(listed.json.trials.find((t: { id: string }) => t.id === trialId).recordingStatus, 'interrupted');

      const sq = new Database(db, { readonly: true });
      assert.equal(sq.pragma('integrity_check', { simple: true }), 'ok');
      const meta = sq.prepare('SELECT origin_host_ms FROM recordings WHERE trial_id = ?').get(trialId) as { origin_host_ms: number };
      const host = sq.prepare("SELECT samples, encoding, data FROM trial_clocks WHERE trial_id = ? AND clock = 'host'").get(trialId) as { samples: number; encoding: string; data: Buffer };
      const device = sq.prepare("SELECT samples, encoding, data FROM trial_clocks WHERE trial_id = ? AND clock = 'device'").get(trialId) as { samples: number; encoding: string; data: Buffer };
      const signals = sq.prepare('SELECT COUNT(*) AS n, MIN(samples) AS lo, MAX(samples) AS hi FROM signals WHERE trial_id = ?').get(trialId) as { n: number; lo: number; hi: number };
      sq.close();
      assert.ok(host.samples > 50, `only ${host.samples} samples committed`);
      assert.deepEqual(signals, { n: 18, lo: host.samples, hi: host.samples });
      const hostS = decodeSamples(host.data, host.encoding, host.samples);
      const deviceS = decodeSamples(device.data, device.encoding, device.samples);
      // Committed samples are contiguous: the device clock steps by one period (≈ 0.01 s) throughout.
      for (let k = 1; k < deviceS.length; k++) assert.ok(deviceS[k] - deviceS[k - 1] > 0.0098 && deviceS[k] - deviceS[k - 1] < 0.0102, `step ${k}`);
      const lastCommittedMs = meta.origin_host_ms + hostS[hostS.length - 1] * 1000;
      lostMs.push(killedAt - lastCommittedMs);
      assert.ok(killedAt - lastCommittedMs <= 250, `iteration ${i}: the last committed sample arrived ${(killedAt - lastCommittedMs).toFixed(1)} ms before the kill`);
    } finally {
      abort.abort();
      await pty.stop();
    }
  }
  console.log(`kill -9 × ${KILL_ITERATIONS}: lost before the kill (ms): ${lostMs.map((x) => x.toFixed(0)).join(', ')}`);
});

test('a pulled cable (socat killed, then restarted) is detected within 2 s, the gap recorded, and the recording resumes', { timeout: 90_000 }, async () => {
  const dir = tempDir();
  const { db } = newDbWithSubject(dir);
  const pty = new PtyPair(dir, 'cable');
  await pty.start();
  try {
    const rec = startGaitlab(['--db', db, '--json', 'record', '--port', pty.host, '--device', 'insole', '--subject', 'GaCo01']);
    await rec.waitFor(/listening on/);
    const sim = runSimulator(gaitpdbInsoleSource(WALK), { port: pty.device, rateX: 1, durationS: 9 });
    await rec.waitFor(/recording insole-GaCo01_01/);
    await new Promise((r) => setTimeout(r, 2500));
    await pty.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await pty.start();
    const s = await sim;
    assert.ok(s.reconnects >= 1);
    await new Promise((r) => setTimeout(r, 300));
    rec.proc.kill('SIGINT');
    const r = await rec.done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /insole-GaCo01_01: silent, detected after \d+ ms/);
    const trial = r.json.recording.trials[0];
    const sq = new Database(db, { readonly: true });
    const gaps = sq.prepare('SELECT kind, start_host_ms, end_host_ms, detected_ms, missing FROM recording_gaps WHERE trial_id = ? ORDER BY id').all(trial.trialId) as
      { kind: string; start_host_ms: number; end_host_ms: number | null; detected_ms: number | null; missing: number | null }[];
    const device = sq.prepare("SELECT samples, encoding, data FROM trial_clocks WHERE trial_id = ? AND clock = 'device'").get(trial.trialId) as { samples: number; encoding: string; data: Buffer };
    sq.close();
    const silence = gaps.find((g) => g.kind === 'silence')!;
    assert.ok(silence, JSON.stringify(gaps));
    assert.ok(silence.detected_ms! <= 2000, `detected after ${silence.detected_ms} ms`);
    assert.ok(silence.end_host_ms! > silence.start_host_ms + 1000, 'the gap closes when samples come back');
    const lost = gaps.find((g) => g.kind === 'lost-samples')!;
    assert.ok(lost && lost.missing! >= 100, `samples of the cut recorded as lost: ${JSON.stringify(gaps)}`);
    // Resumed: samples from the last seconds of the 9 s played are stored, and all stored ones are accounted for.
    const deviceS = decodeSamples(device.data, device.encoding, device.samples);
    assert.ok(deviceS[deviceS.length - 1] > 8.5, `last stored sample at ${deviceS[deviceS.length - 1]} s`);
    assert.equal(device.samples + lost.missing!, 900);
    console.log(`cable pulled: silence detected after ${silence.detected_ms!.toFixed(0)} ms; ${lost.missing} samples lost; recording resumed`);
  } finally {
    await pty.stop();
  }
});
