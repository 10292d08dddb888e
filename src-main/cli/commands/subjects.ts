import type { Command } from 'commander';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { printJson, table } from '../output';
import type { Dispatch } from '../../services/dispatch';
import { withApi, type GlobalOptions } from '../run-context';
import { int } from '../parse';

export function registerSubjects(program: Command, global: () => GlobalOptions): Command {
  program
    .command('subjects')
    .description('list subjects (pseudonym id, source code, cohort, group, attributes)')
    .option('--search <text>', 'filter by code, id or cohort')
    .option('--group <group>', 'only this group (e.g. PD, control)')
    .option('--cohort <cohort>', 'only this cohort (e.g. gaitpdb)')
    .option('--limit <n>', 'at most n subjects (all when omitted)', int)
    .option('--offset <n>', 'skip the first n', int, 0)
    .action(async (o: { search?: string; group?: string; cohort?: string; limit?: number; offset: number }) => {
      const g = global();
      const res = await withApi(g, async (call) => {
        const all: ApiResponse<'listSubjects'>['subjects'] = [];
        let total = 0, groups: string[] = [];
        // Page through the API (1000 at most per call) until the limit or the end.
        for (let offset = o.offset; ; offset += 1000) {
          const want = o.limit === undefined ? 1000 : Math.min(1000, o.limit - all.length);
          if (want <= 0) break;
          const r = (await call('listSubjects', { search: o.search, group: o.group, cohort: o.cohort, offset, limit: want })) as ApiResponse<'listSubjects'>;
          all.push(...r.subjects); total = r.total; groups = r.groups;
          if (r.subjects.length < want) break;
        }
        return { subjects: all, total, groups };
      }, true);
      if (g.json) printJson(res);
      else {
        console.log(table(res.subjects.map((s) => ({ id: s.id, code: s.code, cohort: s.cohort, group: s.group, sex: s.sex, age: s.attributes.age?.value, sessions: s.sessions, trials: s.trials })),
          ['id', 'code', 'cohort', 'group', 'sex', 'age', 'sessions', 'trials']));
        console.log(`${res.subjects.length} of ${res.total} subjects`);
      }
    });

  // `gaitlab subject <id>` shows one subject; add, edit, merge, delete, find (records.ts) are its siblings.
  const subject = program.command('subject').description('one subject (show), or add, edit, find, merge, delete');
  subject
    .command('show', { isDefault: true })
    .description('one subject: metadata, sessions and trials')
    .argument('<id>', 'pseudonym id (S-…) or the source code (e.g. GaPt03)')
    .action(async (idOrCode: string) => {
      const g = global();
      const res = (await withApi(g, async (call) => call('getSubject', { id: await resolveSubjectId(call, idOrCode) }), true)) as ApiResponse<'getSubject'>;
      if (g.json) printJson(res);
      else {
        const s = res.subject;
        console.log(`${s.code} (${s.id}) — ${s.cohort}, ${s.group ?? 'no group'}, ${s.sex ?? 'sex unknown'}`);
        for (const [k, v] of Object.entries(s.attributes)) console.log(`  ${k}: ${v.value}${v.unit ? ' ' + v.unit : ''}`);
        for (const se of res.sessions) {
          // The visit rule the import used (services/visit-grouping.ts), so that a surprising grouping explains itself.
          const grouped = se.attributes.grouped_by ? ` · grouped by ${se.attributes.grouped_by.value}` : '';
          const dated = se.attributes.date_from ? ` · date from ${se.attributes.date_from.value}` : '';
          console.log(`session ${se.key}: ${se.label}${se.date ? ` · ${se.date}` : ''}${grouped}${dated}`);
          for (const t of se.trials) console.log(`  ${t.id}  ${t.key}  ${t.durationS?.toFixed(2) ?? '?'} s  ${t.channels} channels  ${t.sourceFile ?? ''}`);
        }
      }
    });
  return subject;
}

/** Accepts a pseudonym id or a unique source code. */
export async function resolveSubjectId(call: Dispatch, idOrCode: string): Promise<string> {
  if (/^S-[0-9A-Z]{8}$/.test(idOrCode)) return idOrCode;
  const r = await call('listSubjects', { search: idOrCode, limit: 1000 });
  const exact = r.subjects.filter((s) => s.code === idOrCode);
  if (exact.length === 1) return exact[0].id;
  if (exact.length > 1) throw new Error(`subject code ${idOrCode} is ambiguous (${exact.map((s) => `${s.id} in ${s.cohort}`).join(', ')}): use the id`);
  throw new Error(`no subject ${idOrCode}`);
}
