// Live recording end to end with real parts: socat pty pairs, the simulator and the recorder as real gaitlab
// processes, a real SQLite file; the recorded samples compared with the file's own importer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { gaitlab, sharedData, tempDir } from '../helpers';
import { PtyPair } from './pty-pair';
import { startGaitlab } from './live-cli';

const WALK = sharedData('gaitpdb', 'GaCo01_01.txt.gz');

function importedWalk(db: string): { trialId: string } {
  const r = gaitlab(['--db', db, '--json', 'import', WALK]);
  assert.equal(r.code, 0, r.stderr);
  const t = gaitlab(['--db', db, '--json', 'trials', '--subject', 'GaCo01']);
  return { trialId: t.json.trials.find((x: { key: string }) => x.key === 'GaCo01_01').id };
}

async function recordWhile(db: string, pty: PtyPair, simulateArgs: string[]) {
  const rec = startGaitlab(['--db', db, '--json', 'record', '--port', pty.host, '--device', 'insole', '--subject', 'GaCo01']);
  await rec.waitFor(/listening on/);
  const sim = startGaitlab(['--json', 'simulate', '--device', 'insole', '--from', WALK, '--port', pty.device, ...simulateArgs]);
  const s = await sim.done;
  assert.equal(s.code, 0, s.stderr);
  await new Promise((r) => setTimeout(r, 500));
  rec.proc.kill('SIGINT');
  const r = await rec.done;
  assert.equal(r.code, 0, r.stderr);
  return { simulation: s.json.simulation, recording: r.json.recording, recStderr: r.stderr };
}

test('a full gaitpdb walk replayed at 20× through a socat pty is stored sample for sample (float32, in order, none missing or repeated)', { timeout: 90_000 }, async () => {
  const dir = tempDir();
  const db = join(dir, 'live.db');
  const imported = importedWalk(db);
  const pty = new PtyPair(dir, 'walk');
  await pty.start();
  try {
    const { simulation, recording } = await recordWhile(db, pty, ['--rate-x', '20']);
    assert.equal(simulation.sent, 12119);
    assert.equal(recording.trials.length, 1);
    const rec = recording.trials[0];
    assert.equal(rec.samples, 12119);
    assert.deepEqual(rec.badLines, {});

    const trials = gaitlab(['--db', db, '--json', 'trials', '--subject', 'GaCo01']);
    const live = trials.json.trials.find((t: { id: string }) => t.id === rec.trialId);
    assert.equal(live.recordingStatus, 'closed');
    assert.equal(trials.json.trials.find((t: { id: string }) => t.id === imported.trialId).recordingStatus, undefined);

    const got = gaitlab(['--db', db, '--json', 'signals', rec.trialId]).json.channels;
    const want = gaitlab(['--db', db, '--json', 'signals', imported.trialId]).json.channels;
    assert.deepEqual(got.map((c: { name: string }) => c.name), want.map((c: { name: string }) => c.name));
    for (let k = 0; k < want.length; k++) {
      assert.equal(got[k].samples, 12119, got[k].name);
      assert.deepEqual(got[k].values, want[k].values, `channel ${want[k].name} differs`);
      assert.equal(got[k].unit, 'N');
    }
    // The device clock stored is the file's time column: every sample once, in order.
    const sq = new Database(db, { readonly: true });
    const clocks = sq.prepare("SELECT clock, samples FROM trial_clocks WHERE trial_id = ? ORDER BY clock").all(rec.trialId);
    assert.deepEqual(clocks, [{ clock: 'device', samples: 12119 }, { clock: 'host', samples: 12119 }]);
    assert.equal((sq.prepare('SELECT COUNT(*) AS n FROM recording_chunks').get() as { n: number }).n, 0);
    // No sample lost on the link (the only gap allowed is the silence after the simulator's last line).
    assert.equal((sq.prepare("SELECT COUNT(*) AS n FROM recording_gaps WHERE kind = 'lost-samples'").get() as { n: number }).n, 0);
    assert.equal(sq.pragma('integrity_check', { simple: true }), 'ok');
    sq.close();

    // A closed recording is an ordinary trial: events, cycles and parameters come out as for the imported file.
    const ev = gaitlab(['--db', db, '--json', 'events', rec.trialId]);
    const evImported = gaitlab(['--db', db, '--json', 'events', imported.trialId]);
    assert.equal(ev.code, 0, ev.stderr);
    const strip = (events: { label: string; side: string; timeS: number }[]) => events.map((e) => `${e.label}|${e.side}|${e.timeS.toFixed(4)}`);
    assert.ok(ev.json.events.length > 100, `${ev.json.events.length} events`);
    assert.deepEqual(strip(ev.json.events), strip(evImported.json.events));
    const cy = gaitlab(['--db', db, '--json', 'cycles', rec.trialId]);
    assert.equal(cy.code, 0, cy.stderr);
    assert.equal(cy.json.cycles.length, gaitlab(['--db', db, '--json', 'cycles', imported.trialId]).json.cycles.length);
    assert.ok(cy.json.cycles.length > 50);
    const params = gaitlab(['--db', db, '--json', 'params', rec.trialId]);
    assert.equal(params.code, 0, params.stderr);
    assert.ok(params.json.strides.left > 20 && params.json.strides.right > 20);
  } finally {
    await pty.stop();
  }
});

test('corrupted lines are counted by reason and skipped, never stored; their samples are recorded as lost', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const db = join(dir, 'live.db');
  importedWalk(db);
  const pty = new PtyPair(dir, 'corrupt');
  await pty.start();
  try {
    const { simulation, recording } = await recordWhile(db, pty, ['--rate-x', '20', '--duration', '20', '--corrupt-every', '50']);
    assert.equal(simulation.samples, 2000);
    assert.equal(simulation.corrupted, 40);
    const rec = recording.trials[0];
    assert.deepEqual(rec.badLines, { crc: 40 });
    assert.equal(rec.samples, 2000 - 40);
    const sq = new Database(db, { readonly: true });
    const lost = sq.prepare("SELECT from_counter, missing FROM recording_gaps WHERE trial_id = ? AND kind = 'lost-samples' ORDER BY from_counter").all(rec.trialId) as { from_counter: number; missing: number }[];
    // Counters 49, 99, … 1999 were corrupted: a later sample shows each as lost, except the very last one.
    assert.equal(lost.length, 39);
    assert.deepEqual(lost.slice(0, 3), [{ from_counter: 49, missing: 1 }, { from_counter: 99, missing: 1 }, { from_counter: 149, missing: 1 }]);
    sq.close();
  } finally {
    await pty.stop();
  }
});
