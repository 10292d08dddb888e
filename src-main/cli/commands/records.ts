// gaitlab subject add|edit|find|merge|delete, gaitlab session add|edit|move, gaitlab trial move|exclude|include:
// the lab's own records through the API (src-shared/api/records.ts). Every write is audited by the store.
import { InvalidArgumentError, type Command } from 'commander';
import type { ApiRequest, ApiResponse } from '../../../src-shared/api/schema';
import type { SubjectRecordDto } from '../../../src-shared/api/records';
import { IDENTITY_FIELDS } from '../../../src-shared/domain/subject-fields';
import { keptItems, removedItems } from '../../../src-shared/domain/deletion-plan';
import { printJson, table } from '../output';
import { withApi, type GlobalOptions } from '../run-context';
import { resolveSubjectId } from './subjects';

type Pairs = Record<string, string>;

/** `--set key=value` (repeatable) into an object; the service checks names, units and ranges. */
function pair(value: string, previous: Pairs = {}): Pairs {
  const m = /^([a-z][a-z0-9_]*)=(.*)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`expected name=value, found "${value}"`);
  return { ...previous, [m[1]]: m[2] };
}

function list(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

const numberOrText = (v: string): number | string => (/^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v);

interface SubjectOptions {
  code?: string; cohort?: string; group?: string; sex?: string;
  name?: string; birthDate?: string; recordNumber?: string; contact?: string; notes?: string;
  set?: Pairs; taken?: Pairs; unset?: string[]; clear?: string[];
}

const IDENTITY_OPTIONS: [keyof SubjectOptions, (typeof IDENTITY_FIELDS)[number]][] = [
  ['name', 'display_name'], ['birthDate', 'birth_date'], ['recordNumber', 'record_number'], ['contact', 'contact'], ['notes', 'notes'],
];

function subjectOptions(c: Command): Command {
  return c
    .option('--code <code>', 'the lab\'s code for the subject (not a name; default: the pseudonym)')
    .option('--cohort <cohort>', 'cohort (default: lab)')
    .option('--group <group>', 'group (e.g. PD, control)')
    .option('--sex <sex>', 'male or female')
    .option('--name <name>', 'name (identity: stored apart, never in the audit log)')
    .option('--birth-date <date>', 'birth date YYYY-MM-DD (identity)')
    .option('--record-number <number>', 'hospital record number (identity, searchable)')
    .option('--contact <text>', 'contact (identity)')
    .option('--notes <text>', 'free-text notes (identity)')
    .option('--set <key=value>', 'an attribute: body_mass (kg), height (m), leg_length (mm), diagnosis, affected_side, hoehn_yahr, updrs, edss, gmfcs, … (repeatable)', pair)
    .option('--taken <key=date>', 'the date a score was taken, YYYY-MM-DD (repeatable)', pair)
    .option('--unset <key>', 'remove an attribute (repeatable)', list)
    .option('--clear <field>', 'clear group, sex or an identity field (display_name, birth_date, record_number, contact, notes) (repeatable)', list);
}

function subjectRequest(o: SubjectOptions, usage: (msg: string) => never): ApiRequest<'createSubject'> {
  const req: ApiRequest<'createSubject'> = {};
  if (o.code !== undefined) req.code = o.code;
  if (o.cohort !== undefined) req.cohort = o.cohort;
  if (o.group !== undefined) req.group = o.group;
  if (o.sex !== undefined) req.sex = o.sex as 'male' | 'female';
  const identity: Record<string, string | null> = {};
  for (const [opt, field] of IDENTITY_OPTIONS) if (o[opt] !== undefined) identity[field] = o[opt] as string;
  const attributes: NonNullable<ApiRequest<'createSubject'>['attributes']> = {};
  for (const [k, v] of Object.entries(o.set ?? {})) attributes[k] = { value: numberOrText(v), takenOn: o.taken?.[k] ?? null };
  for (const k of Object.keys(o.taken ?? {})) if (!o.set?.[k]) usage(`--taken ${k}: give the score with --set ${k}=value`);
  for (const k of o.unset ?? []) attributes[k] = null;
  for (const f of o.clear ?? []) {
    if (f === 'group') req.group = null;
    else if (f === 'sex') req.sex = null;
    else if ((IDENTITY_FIELDS as readonly string[]).includes(f)) identity[f] = null;
    else usage(`--clear ${f}: expected group, sex or one of ${IDENTITY_FIELDS.join(', ')}`);
  }
  if (Object.keys(identity).length) req.identity = identity;
  if (Object.keys(attributes).length) req.attributes = attributes;
  return req;
}

function printRecord(s: SubjectRecordDto): void {
  console.log(`${s.code} (${s.id}) — ${s.cohort}, ${s.group ?? 'no group'}, ${s.sex ?? 'sex unknown'}`);
  for (const [k, v] of Object.entries(s.identity)) if (v !== null) console.log(`  ${k}: ${v}`);
  for (const [k, v] of Object.entries(s.attributes)) console.log(`  ${k}: ${v.value}${v.unit ? ' ' + v.unit : ''}${v.takenOn ? ` (taken ${v.takenOn})` : ''}`);
  for (const se of s.sessions) console.log(`  session ${se.key} (${se.id}) ${se.date ?? 'no date'}${se.ageYears !== null ? `, age ${se.ageYears} years` : ''}, ${se.trials} trials`);
}

export function registerRecords(program: Command, subject: Command, global: () => GlobalOptions): void {
  // Bad usage found in an action: the message on stderr and exit code 2, as commander does for options.
  const usage = (msg: string): never => program.error(`error: ${msg}`, { exitCode: 2 });
  subjectOptions(subject.command('add').description('register a subject (a patient before recording)'))
    .action(async (o: SubjectOptions) => {
      const g = global();
      const res = (await withApi(g, (call) => call('createSubject', subjectRequest(o, usage)))) as ApiResponse<'createSubject'>;
      if (g.json) printJson(res);
      else printRecord(res.subject);
    });

  subjectOptions(subject.command('edit').description('edit a subject; out-of-range values are refused and change nothing'))
    .argument('<id>', 'pseudonym id (S-…) or code')
    .action(async (idOrCode: string, o: SubjectOptions) => {
      const g = global();
      const res = (await withApi(g, async (call) => call('editSubject', { id: await resolveSubjectId(call, idOrCode), ...subjectRequest(o, usage) }))) as ApiResponse<'editSubject'>;
      if (g.json) printJson(res);
      else { printRecord(res.subject); console.log(res.changed.length ? `changed: ${res.changed.join(', ')}` : 'nothing changed'); }
    });

  subject.command('find').description('find a patient by record number or name (the lab\'s own view: shows identity)')
    .option('--record-number <number>', 'exact record number')
    .option('--name <text>', 'part of the name')
    .action(async (o: { recordNumber?: string; name?: string }) => {
      const g = global();
      if (!o.recordNumber && !o.name) usage('give --record-number or --name');
      const res = (await withApi(g, (call) => call('findSubjects', { recordNumber: o.recordNumber, name: o.name }), true)) as ApiResponse<'findSubjects'>;
      if (g.json) printJson(res);
      else console.log(table(res.subjects.map((s) => ({ id: s.id, code: s.code, cohort: s.cohort, name: s.displayName, 'record number': s.recordNumber, born: s.birthDate })),
        ['id', 'code', 'cohort', 'name', 'record number', 'born']));
    });

  subject.command('merge').description('merge <source> into <target>: sessions move, the target\'s pseudonym stays; conflicts must be chosen')
    .argument('<source>', 'the subject that goes (id or code)')
    .argument('<target>', 'the subject that stays (id or code)')
    .option('--take <field=side>', 'for a conflicting field, keep the source\'s or the target\'s value (repeatable)', pair)
    .option('--dry-run', 'list the conflicts, change nothing')
    .action(async (source: string, target: string, o: { take?: Pairs; dryRun?: boolean }) => {
      const g = global();
      const take: Record<string, 'source' | 'target'> = {};
      for (const [k, v] of Object.entries(o.take ?? {})) {
        if (v !== 'source' && v !== 'target') usage(`--take ${k}=${v}: expected source or target`);
        take[k] = v as 'source' | 'target';
      }
      const res = (await withApi(g, async (call) => call('mergeSubjects', {
        sourceId: await resolveSubjectId(call, source), targetId: await resolveSubjectId(call, target), take, dryRun: o.dryRun,
      }), o.dryRun ? true : false)) as ApiResponse<'mergeSubjects'>;
      if (g.json) printJson(res);
      else {
        if (res.conflicts.length) console.log(table(res.conflicts.map((c) => ({ field: c.field, source: c.source, target: c.target, chosen: c.chosen })), ['field', 'source', 'target', 'chosen']));
        console.log(res.merged ? `${res.removed} merged into ${res.subjectId}: ${res.sessionsMoved} sessions moved` : `dry run: ${res.sessionsMoved} sessions would move; nothing changed`);
      }
    });

  subject.command('delete').description('delete on request: everything, or only the identity (research data kept under the pseudonym)')
    .argument('<id>', 'pseudonym id (S-…) or code')
    .option('--identity-only', 'remove only name, birth date, record number, contact, notes and code')
    .option('--yes', 'do it; without --yes only says what would be removed')
    .action(async (idOrCode: string, o: { identityOnly?: boolean; yes?: boolean }) => {
      const g = global();
      const scope = o.identityOnly ? 'identity' : 'all';
      const res = (await withApi(g, async (call) => call('deleteSubject', { id: await resolveSubjectId(call, idOrCode), scope, dryRun: !o.yes }), o.yes ? false : true)) as ApiResponse<'deleteSubject'>;
      if (g.json) printJson(res);
      else {
        const p = res.plan;
        const what = p.scope === 'identity'
          ? `the identity of ${p.subjectId} (${p.identityFields.join(', ') || 'no identity fields set'}); its sessions and trials stay`
          : `${p.subjectId} with its identity (${p.identityFields.join(', ')}), ${removedItems(p)}${keptItems(p) ? `; stays: ${keptItems(p)}` : ''}`;
        console.log(res.deleted ? `deleted ${what}` : `would delete ${what}; nothing deleted: add --yes`);
      }
    });

  const session = program.command('session').description('visits: add, edit, move');
  const sessionOptions = (c: Command) => c
    .option('--key <key>', 'the session key (default: from the label)')
    .option('--label <label>', 'label')
    .option('--date <date>', 'date YYYY-MM-DD')
    .option('--condition <text>', 'condition (free text)')
    .option('--set <field=value>', 'footwear, orthosis, walking_aid, speed_instruction, assessor, notes (repeatable; empty value removes)', pair)
    .option('--tag <tag>', 'a tag (repeatable; replaces the tags)', list);
  type SessionOptions = { key?: string; label?: string; date?: string; condition?: string; set?: Pairs; tag?: string[] };
  const sessionRequest = (o: SessionOptions) => ({
    key: o.key, label: o.label, date: o.date, condition: o.condition, tags: o.tag,
    fields: o.set ? Object.fromEntries(Object.entries(o.set).map(([k, v]) => [k, v === '' ? null : v])) : undefined,
  });
  sessionOptions(session.command('add').description('create a visit for a subject').argument('<subject>', 'id or code'))
    .action(async (subjectIdOrCode: string, o: SessionOptions) => {
      const g = global();
      const res = (await withApi(g, async (call) => call('createSession', { subjectId: await resolveSubjectId(call, subjectIdOrCode), ...sessionRequest(o) }))) as ApiResponse<'createSession'>;
      if (g.json) printJson(res);
      else console.log(`session ${res.sessionId} created`);
    });
  sessionOptions(session.command('edit').description('edit a visit').argument('<id>', 'session id (SE-…)'))
    .action(async (id: string, o: SessionOptions) => {
      const g = global();
      const res = (await withApi(g, (call) => call('editSession', { id, ...sessionRequest(o) }))) as ApiResponse<'editSession'>;
      if (g.json) printJson(res);
      else console.log(res.changed.length ? `changed: ${res.changed.join(', ')}` : 'nothing changed');
    });
  session.command('move').description('move a visit to another subject').argument('<id>', 'session id (SE-…)').requiredOption('--to <subject>', 'id or code')
    .action(async (id: string, o: { to: string }) => {
      const g = global();
      const res = (await withApi(g, async (call) => call('moveSession', { sessionId: id, subjectId: await resolveSubjectId(call, o.to) }))) as ApiResponse<'moveSession'>;
      if (g.json) printJson(res);
      else console.log(`session ${res.sessionId} now belongs to ${res.subjectId}`);
    });

  const trial = program.command('trial').description('one trial: move, exclude, include');
  trial.command('move').description('move a trial to another session').argument('<id>', 'trial id (T-…)').requiredOption('--to-session <id>', 'session id (SE-…)')
    .action(async (id: string, o: { toSession: string }) => {
      const g = global();
      const res = (await withApi(g, (call) => call('moveTrial', { trialId: id, sessionId: o.toSession }))) as ApiResponse<'moveTrial'>;
      if (g.json) printJson(res);
      else console.log(`trial ${res.trialId} now in session ${res.sessionId}`);
    });
  trial.command('exclude').description('exclude a trial (kept and flagged, left out of parameters and methods)').argument('<id>', 'trial id (T-…)')
    .requiredOption('--reason <text>', 'why (e.g. "subject stumbled")')
    .action(async (id: string, o: { reason: string }) => {
      const g = global();
      const res = (await withApi(g, (call) => call('excludeTrial', { trialId: id, reason: o.reason }))) as ApiResponse<'excludeTrial'>;
      if (g.json) printJson(res);
      else console.log(res.changed ? `trial ${id} excluded: ${res.excluded}` : `trial ${id} was already excluded for this reason`);
    });
  trial.command('include').description('include an excluded trial again').argument('<id>', 'trial id (T-…)')
    .action(async (id: string) => {
      const g = global();
      const res = (await withApi(g, (call) => call('excludeTrial', { trialId: id, reason: null }))) as ApiResponse<'excludeTrial'>;
      if (g.json) printJson(res);
      else console.log(res.changed ? `trial ${id} included` : `trial ${id} was not excluded`);
    });
}
