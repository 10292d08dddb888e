// Part 1: `kill -9` during imports of the whole gaitpdb folder, at a seeded moment 0.3–3 s after the start.
// After each kill the file must be sound as it lies (integrity, foreign keys, no half-written trial), the
// next open must close the killed run as "interrupted", and `audit verify` must pass. Once a database holds
// the whole folder (the kills then only hit the "already present" scan), a clean re-import must give exactly
// 306 walks of 166 subjects with no error, and the next kills go to a new database.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DATA, BIN, gaitlab, inspectDb, sleep, type Battery, type ImportJson, type Row } from './cli';

const WALKS = 306;
const SUBJECTS = 166;

export async function killBattery(b: Battery, kills: number): Promise<Row[]> {
  const gaitpdb = join(DATA, 'gaitpdb');
  let dbIndex = 0;
  let db = join(b.work, `kill-${dbIndex}.db`);
  const s = {
    killed: 0, finishedFirst: 0, unsound: 0, incomplete: 0, fkBad: 0, integrityBad: 0, openRuns: 0, closedInterrupted: 0,
    notClosed: 0, auditOk: 0, auditBad: 0, reimports: 0, reimportsClean: 0, trialsAtKill: [] as number[], delays: [] as number[],
  };
  const failures: string[] = [];

  /** The clean re-import: exactly the whole folder, no error, and the audit log still verifies. */
  const reimport = async () => {
    s.reimports++;
    const r = await gaitlab(b, ['import', gaitpdb, '--db', db, '--json']);
    const j = (r.json as ImportJson | null)?.import;
    const after = inspectDb(db);
    const verify = await gaitlab(b, ['audit', 'verify', '--db', db, '--json']);
    const clean = r.code === 0 && j !== undefined && j.errors.length === 0 && after.trials === WALKS && after.subjects === SUBJECTS
      && after.incompleteTrials === 0 && after.openRuns.length === 0 && verify.code === 0;
    if (clean) s.reimportsClean++;
    else failures.push(`re-import into ${db}: exit ${r.code}, ${j?.errors.length ?? '?'} errors, ${after.trials} trials, ${after.subjects} subjects, audit exit ${verify.code}: ${r.stderr.trim().split('\n')[0] ?? ''}`);
    return after;
  };

  for (let i = 0; i < kills; i++) {
    const delay = 300 + Math.round(b.random() * 2700);
    s.delays.push(delay);
    const child = spawn(process.execPath, [BIN, 'import', gaitpdb, '--db', db, '--json'], { env: b.env, stdio: 'ignore' });
    b.children.add(child);
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const finished = await Promise.race([exited.then(() => true), sleep(delay).then(() => false)]);
    if (finished) s.finishedFirst++;
    else {
      child.kill('SIGKILL');
      s.killed++;
    }
    await exited;
    b.children.delete(child);

    // The file as the killed process left it, before anything else opens it for writing.
    const left = inspectDb(db);
    s.trialsAtKill.push(left.trials);
    if (!left.integrityOk) s.integrityBad++;
    if (!left.foreignKeysOk) s.fkBad++;
    if (left.incompleteTrials > 0) s.incomplete++;
    if (!left.integrityOk || !left.foreignKeysOk || left.incompleteTrials > 0) {
      s.unsound++;
      failures.push(`kill ${i + 1} at ${delay} ms: integrity ${left.integrityOk}, foreign keys ${left.foreignKeysOk}, ${left.incompleteTrials} incomplete trials`);
    }
    s.openRuns += left.openRuns.length;

    // The next open (a command that only reads) closes the killed run; then the audit log must verify.
    const info = await gaitlab(b, ['info', '--db', db, '--json']);
    const next = inspectDb(db);
    const closed = left.openRuns.filter((id) => next.interruptedRuns.includes(id)).length;
    s.closedInterrupted += closed;
    s.notClosed += left.openRuns.length - closed;
    if (info.code !== 0 || closed < left.openRuns.length) failures.push(`kill ${i + 1}: info exit ${info.code}, ${left.openRuns.length - closed} killed runs left open: ${info.stderr.trim()}`);
    const verify = await gaitlab(b, ['audit', 'verify', '--db', db, '--json']);
    if (verify.code === 0) s.auditOk++;
    else {
      s.auditBad++;
      failures.push(`kill ${i + 1}: audit verify exit ${verify.code}: ${(verify.stdout + verify.stderr).replace(/\s+/g, ' ').slice(0, 300)}`);
    }

    // A database that holds the whole folder has nothing left to be killed in: check it, then start a new one.
    if (next.trials === WALKS && i < kills - 1) {
      await reimport();
      db = join(b.work, `kill-${++dbIndex}.db`);
    }
  }
  const final = await reimport();

  for (const f of failures.slice(0, 5)) console.error(`  ! ${f}`);
  const delays = `${Math.min(...s.delays)}–${Math.max(...s.delays)} ms`;
  return [
    { section: 'kill -9', what: `import runs of gaitpdb (kill at 0.3–3 s, seeded: ${delays})`, count: String(kills), outcome: `${s.killed} killed, ${s.finishedFirst} finished before their moment; ${dbIndex + 1} databases`, ok: true },
    { section: 'kill -9', what: 'trials stored after each run (killed or finished)', count: String(s.trialsAtKill.length), outcome: s.trialsAtKill.join(' '), ok: true },
    { section: 'kill -9', what: 'sound after the kill (integrity_check, foreign_key_check, 18 signals + clock per trial)', count: `${kills - s.unsound}/${kills}`, outcome: s.unsound === 0 ? 'all sound' : `integrity bad ${s.integrityBad}, foreign keys bad ${s.fkBad}, incomplete trials in ${s.incomplete}`, ok: s.unsound === 0 },
    { section: 'kill -9', what: 'killed runs left open, closed as interrupted by the next open', count: `${s.closedInterrupted}/${s.openRuns}`, outcome: s.notClosed === 0 ? 'all closed' : `${s.notClosed} left open`, ok: s.notClosed === 0 },
    { section: 'kill -9', what: 'gaitlab audit verify exit 0 after the kill', count: `${s.auditOk}/${kills}`, outcome: s.auditBad === 0 ? 'all intact' : `${s.auditBad} failed`, ok: s.auditBad === 0 },
    { section: 'kill -9', what: `clean re-imports: exactly ${WALKS} walks / ${SUBJECTS} subjects, no error`, count: `${s.reimportsClean}/${s.reimports}`, outcome: `last: ${final.trials} walks, ${final.subjects} subjects, ${final.signals} signals`, ok: s.reimportsClean === s.reimports },
  ];
}
