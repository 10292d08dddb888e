// npm run bench:list — paged list queries on a store with 100 000 trials (of 10 000 subjects), as the UI
// issues them while the user scrolls. Prints the time of each page; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeServiceContext, openServiceContext } from '../src-main/services/context';
import type { ApiMethod, ApiRequest } from '../src-shared/api/schema';
import { createDispatcher } from '../src-main/services/dispatch';

const SUBJECTS = 10_000;
const TRIALS_PER_SUBJECT = 10;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'gaitlab-bench-list-'));
  const ctx = openServiceContext({ dbPath: join(dir, 'list.db'), mode: 'cli' });
  const { db } = ctx;
  const now = new Date().toISOString();
  const t0 = performance.now();
  db.transaction(() => {
    const sub = db.prepare('INSERT INTO subjects (id, cohort, group_label, sex, created_at) VALUES (?, ?, ?, ?, ?)');
    const ident = db.prepare('INSERT INTO subject_identity (subject_id, external_id) VALUES (?, ?)');
    const attr = db.prepare('INSERT INTO subject_attributes (subject_id, key, value_num, unit) VALUES (?, ?, ?, ?)');
    const ses = db.prepare('INSERT INTO sessions (id, subject_id, key, label, created_at) VALUES (?, ?, ?, ?, ?)');
    const tri = db.prepare('INSERT INTO trials (id, session_id, key, label, duration_s, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    for (let s = 0; s < SUBJECTS; s++) {
      const id = `S-${String(s).padStart(8, '0')}`;
      sub.run(id, s % 3 ? 'gaitrec' : 'gaitpdb', ['PD', 'control', 'HC', 'K'][s % 4], s % 2 ? 'male' : 'female', now);
      ident.run(id, `P${String(s).padStart(5, '0')}`);
      attr.run(id, 'age', 20 + (s % 60), 'years');
      ses.run(`SE-${s}`, id, 'lab', 'Lab session', now);
      for (let t = 0; t < TRIALS_PER_SUBJECT; t++) tri.run(`T-${s}-${t}`, `SE-${s}`, `walk-${t}`, `Walk ${t}`, 120, now);
    }
  })();
  console.log(`store: ${SUBJECTS} subjects, ${SUBJECTS * TRIALS_PER_SUBJECT} trials, made in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const call = createDispatcher(ctx);
  const time = async <M extends ApiMethod>(label: string, method: M, payload: ApiRequest<M>) => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await call(method, payload);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(`  ${label.padEnd(44)} median ${times[2].toFixed(1)} ms, max ${times[4].toFixed(1)} ms`);
  };
  await time('listTrials page 1 (200 rows)', 'listTrials', { offset: 0, limit: 200 });
  await time('listTrials page at 50 000', 'listTrials', { offset: 50_000, limit: 200 });
  await time('listTrials last page (99 800)', 'listTrials', { offset: 99_800, limit: 200 });
  await time('listTrials search "P0424"', 'listTrials', { search: 'P0424', offset: 0, limit: 200 });
  await time('listTrials of one subject', 'listTrials', { subjectId: 'S-00004242', offset: 0, limit: 200 });
  await time('listSubjects page 1 (200 rows)', 'listSubjects', { offset: 0, limit: 200 });
  await time('listSubjects last page', 'listSubjects', { offset: 9_800, limit: 200 });
  await time('listSubjects search "P0424"', 'listSubjects', { search: 'P0424', offset: 0, limit: 200 });
  await time('listSubjects group filter "K"', 'listSubjects', { group: 'K', offset: 0, limit: 200 });
  closeServiceContext(ctx);
  rmSync(dir, { recursive: true, force: true });
}
void main();
