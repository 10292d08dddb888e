// Part 3: several gaitlab processes on one database at the same time. Four `info` on a database not yet
// migrated (an empty file), then two and four imports of the same 20-walk folder at once: no process may
// fail, and every file must be stored once.
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA, gaitlab, inspectDb, type Battery, type ImportJson, type Row } from './cli';

const FOLDER_WALKS = 20;

export async function concurrencyBattery(b: Battery, rounds: number): Promise<Row[]> {
  const folder = join(b.work, 'walks-20');
  mkdirSync(folder, { recursive: true });
  const walks = readdirSync(join(DATA, 'gaitpdb')).filter((f) => /^(Ga|Ju|Si)(Co|Pt)\d\d_0\d\.txt\.gz$/.test(f)).slice(0, FOLDER_WALKS);
  for (const w of walks) copyFileSync(join(DATA, 'gaitpdb', w), join(folder, w));
  const empty = join(b.work, 'empty-folder');
  mkdirSync(empty, { recursive: true });
  const rows: Row[] = [];
  const failures: string[] = [];

  // Four `info` at once on a new (empty) database: all succeed, one of them made the schema.
  let infoRuns = 0;
  let infoOk = 0;
  for (let round = 0; round < rounds; round++) {
    const db = join(b.work, `info-${round}.db`);
    writeFileSync(db, ''); // an empty file is a SQLite database at schema version 0
    const runs = await Promise.all([0, 1, 2, 3].map(() => gaitlab(b, ['info', '--db', db, '--json'])));
    const versions = new Set(runs.map((r) => (r.json as { info?: { schemaVersion?: number } } | null)?.info?.schemaVersion));
    for (const r of runs) {
      infoRuns++;
      if (r.code === 0 && r.stderr === '' && versions.size === 1) infoOk++;
      else failures.push(`4× info: exit ${r.code}: ${r.stderr.trim()}`);
    }
  }
  rows.push({ section: 'concurrent', what: `4× info at once on a new database (${rounds} rounds)`, count: `${infoOk}/${infoRuns}`, outcome: infoOk === infoRuns ? 'no error, one schema version' : `${infoRuns - infoOk} failed`, ok: infoOk === infoRuns });

  for (const width of [2, 4]) {
    let processes = 0;
    let clean = 0;
    let storedOnce = 0;
    let added = 0;
    let present = 0;
    for (let round = 0; round < rounds; round++) {
      const db = join(b.work, `import-${width}x-${round}.db`);
      // The database exists (as after a first start), so the runs race on the files, not on the schema.
      const init = await gaitlab(b, ['import', empty, '--db', db]);
      if (init.code !== 0) failures.push(`making ${db}: ${init.stderr.trim()}`);
      const runs = await Promise.all(Array.from({ length: width }, () => gaitlab(b, ['import', folder, '--db', db, '--json'])));
      for (const r of runs) {
        processes++;
        const j = (r.json as ImportJson | null)?.import;
        if (r.code === 0 && j && j.errors.length === 0) clean++;
        else failures.push(`${width}× import: exit ${r.code}: ${j?.errors[0]?.message ?? r.stderr.trim()}`);
        added += j?.trialsAdded ?? 0;
        present += j?.skipped.filter((s) => s.reason.startsWith('already present')).length ?? 0;
      }
      const s = inspectDb(db);
      const once = s.files === walks.length && s.trials === walks.length && s.signals === 18 * walks.length && s.incompleteTrials === 0 && s.openRuns.length === 0 && s.integrityOk;
      if (once) storedOnce++;
      else failures.push(`${width}× import: ${s.files} files, ${s.trials} trials, ${s.signals} signals, ${s.openRuns.length} open runs`);
    }
    rows.push({
      section: 'concurrent', what: `${width}× import of the same ${walks.length}-walk folder at once (${rounds} rounds)`, count: `${clean}/${processes}`,
      outcome: `${clean === processes ? 'no error' : `${processes - clean} failed`}; each file stored once in ${storedOnce}/${rounds}; ${added} added + ${present} "already present"`,
      ok: clean === processes && storedOnce === rounds,
    });
  }
  for (const f of failures.slice(0, 5)) console.error(`  ! ${f}`);
  return rows;
}
