// gaitlab reference create|list|show|export|import|delete: normative reference sets; gaitlab gps: the Gait Profile
// Score and Movement Analysis Profile of a trial or subject against one (Baker et al. 2009).
import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { printJson, table } from '../output';
import { withApi, type GlobalOptions } from '../run-context';
import { resolveSubjectId } from './subjects';

/**
 * A reference named on the command line: an id (R-…), a name (its latest version) or name@version. (`--version`
 * is the program's own option.)
 */
function key(ref: string): { id?: string; name?: string; version?: number } {
  if (/^R-[0-9A-Z]{8}$/.test(ref)) return { id: ref };
  const m = /^(.*)@(\d+)$/.exec(ref);
  if (!m) return { name: ref };
  const version = Number(m[2]);
  if (!m[1] || version < 1) throw new InvalidArgumentError(`expected name@version with a version ≥ 1, found "${ref}"`);
  return { name: m[1], version };
}

const REF = 'id (R-…), name (its latest version) or name@version';

const describe = (r: ApiResponse<'createReference'>) =>
  `${r.id}  ${r.name} v${r.version}  (${r.method} ${r.methodVersion}, ${r.origin}${r.sourceFile ? ` from ${r.sourceFile}` : ''}): ${r.nSubjects} subjects, ${r.nCycles} cycles, ${r.channels} channels`;

export function registerReferences(program: Command, global: () => GlobalOptions): void {
  const reference = program.command('reference').description('normative reference sets (mean ± SD per % of the gait cycle) for gait graphs and the GPS');
  reference.command('create')
    .description('build a reference set from the clean gait cycles of a group of subjects; the same name again makes its next version')
    .requiredOption('--name <name>', 'the set\'s name')
    .option('--group <group>', 'subjects of this group (e.g. control)')
    .option('--cohort <cohort>', 'subjects of this cohort')
    .option('--subject <id...>', 'these subjects')
    .option('--channels <names...>', 'only these channels (names without subject prefix, e.g. LKneeAngles_x)')
    .option('--pooling <how>', 'subjects (each subject\'s mean curve counts once; default) or cycles')
    .action(async (o: { name: string; group?: string; cohort?: string; subject?: string[]; channels?: string[]; pooling?: 'subjects' | 'cycles' }) => {
      const g = global();
      const res = (await withApi(g, async (call) => {
        const subjectIds = o.subject ? await Promise.all(o.subject.map((s) => resolveSubjectId(call, s))) : undefined;
        return call('createReference', { name: o.name, group: o.group, cohort: o.cohort, subjectIds, channels: o.channels, pooling: o.pooling });
      })) as ApiResponse<'createReference'>;
      if (g.json) printJson(res);
      else console.log(describe(res));
    });
  reference.command('list', { isDefault: true }).description('every set and version')
    .action(async () => {
      const g = global();
      const res = (await withApi(g, (call) => call('listReferences', {}), true)) as ApiResponse<'listReferences'>;
      if (g.json) printJson(res);
      else console.log(table(res.references.map((r) => ({ id: r.id, name: r.name, version: r.version, origin: r.origin, subjects: r.nSubjects, cycles: r.nCycles, channels: r.channels, created: r.createdAt })),
        ['id', 'name', 'version', 'origin', 'subjects', 'cycles', 'channels', 'created']));
    });
  reference.command('show').argument('<reference>', REF)
    .action(async (ref: string) => {
      const g = global();
      const res = (await withApi(g, (call) => call('getReference', key(ref)), true)) as ApiResponse<'getReference'>;
      if (g.json) printJson(res);
      else {
        console.log(describe(res));
        console.log(`params ${JSON.stringify(res.params)}`);
        console.log(table(res.curves.map((c) => ({ channel: c.channel, unit: c.unit, cycles: c.nCycles, subjects: c.nSubjects,
          'mean range': `${Math.min(...c.mean).toFixed(2)} … ${Math.max(...c.mean).toFixed(2)}`, 'mean SD': (c.sd.reduce((a, b) => a + b, 0) / c.sd.length).toFixed(2) })),
        ['channel', 'unit', 'cycles', 'subjects', 'mean range', 'mean SD']));
      }
    });
  reference.command('export').argument('<reference>', REF)
    .option('--format <format>', 'json (default) or csv').option('--out <file>', 'write here (default: the set\'s file name in this folder)')
    .action(async (ref: string, o: { format?: 'json' | 'csv'; out?: string }) => {
      const g = global();
      const format = o.format ?? (o.out && /\.csv$/i.test(o.out) ? 'csv' : 'json');
      const res = (await withApi(g, (call) => call('exportReference', { ...key(ref), format }), true)) as ApiResponse<'exportReference'>;
      const out = o.out ?? res.fileName;
      writeFileSync(out, res.content);
      if (g.json) printJson({ file: out, fileName: res.fileName, bytes: Buffer.byteLength(res.content) });
      else console.log(`wrote ${out}`);
    });
  reference.command('import').argument('<file>', 'a reference file (.json or .csv) exported by GaitLab').option('--name <name>', 'store under this name (default the file\'s)')
    .action(async (file: string, o: { name?: string }) => {
      const g = global();
      const res = (await withApi(g, (call) => call('importReference', { path: file, name: o.name }))) as ApiResponse<'importReference'>;
      if (g.json) printJson(res);
      else console.log(describe(res));
    });
  reference.command('delete').argument('<reference>', REF)
    .action(async (ref: string) => {
      const g = global();
      const res = (await withApi(g, (call) => call('deleteReference', key(ref)))) as ApiResponse<'deleteReference'>;
      if (g.json) printJson(res);
      else console.log(`reference set ${res.deleted} deleted`);
    });

  program.command('gps')
    .description('Gait Profile Score and Movement Analysis Profile (Baker 2009) of a trial or subject against a reference set')
    .argument('<id>', 'trial id (T-…), subject id (S-…) or subject code')
    .requiredOption('--reference <reference>', REF)
    .action(async (id: string, o: { reference: string }) => {
      const g = global();
      const res = (await withApi(g, async (call) => {
        const scope = /^T-/.test(id) ? { trialId: id } : { subjectId: await resolveSubjectId(call, id) };
        const req = { ...scope, reference: key(o.reference) };
        const first = (await call('gaitProfileScore', req)) as ApiResponse<'gaitProfileScore'>;
        if (first.unextracted.length === 0) return first;
        // As `gaitlab cycles` does: a trial not analysed yet gets its cycles extracted (events detected first).
        for (const trialId of first.unextracted) await call('extractCycles', { trialId });
        return call('gaitProfileScore', req);
      })) as ApiResponse<'gaitProfileScore'>;
      if (g.json) printJson(res);
      else {
        const f = (v: number | null) => (v === null ? '—' : `${v.toFixed(2)}°`);
        console.log(`reference ${res.reference.name} v${res.reference.version} (${res.reference.id}); ${res.trials.length} trial(s)`);
        console.log(table(res.map.map((e) => ({ variable: e.label, side: e.side, GVS: f(e.gvs), cycles: e.cycles, channel: e.channel })), ['variable', 'side', 'GVS', 'cycles', 'channel']));
        console.log(`GPS left ${f(res.gps.left)}, right ${f(res.gps.right)}, overall ${f(res.overall)}`);
        if (res.missing.length) console.log(`missing (no cycles or no reference curve): ${res.missing.join(', ')}`);
      }
    });
}
