// gaitlab export-trial <id> --format c3d --out FILE: one trial written as a file other tools open;
// gaitlab export --cohort '<filter>' --format csv|parquet|hdf5|gaitrec --out DIR: a cohort for researchers;
// gaitlab formats: every format the importer detects (from the format registry).
import { Option, type Command } from 'commander';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { printJson, progressBar, table } from '../output';
import { withApi, type GlobalOptions } from '../run-context';

export function registerExport(program: Command, global: () => GlobalOptions): void {
  program
    .command('export-trial')
    .description('write one trial as a C3D file (Intel, float: points, analogs, force plates, events)')
    .argument('<trialId>', 'trial id (T-…)')
    .addOption(new Option('--format <format>', 'file format').choices(['c3d']).default('c3d'))
    .requiredOption('--out <file>', 'the file to write (replaced if it exists)')
    .action(async (trialId: string, o: { format: 'c3d'; out: string }) => {
      const g = global();
      const res = (await withApi(g, (call) => call('exportTrial', { trialId, format: o.format, out: o.out }), true)) as ApiResponse<'exportTrial'>;
      for (const l of res.leftOut) process.stderr.write(`gaitlab: left out ${l}\n`);
      if (g.json) printJson({ export: res });
      else {
        console.log(`${res.file}: ${res.bytes} bytes, ${res.frames} frames at ${res.pointRateHz} Hz, ${res.points} points, ${res.analogs} analog channels at ${res.analogRateHz} Hz, ${res.plates} force plates, ${res.events} events`);
        if (res.leftOut.length) console.log(`${res.leftOut.length} channels left out (see above)`);
      }
    });

  program
    .command('export')
    .description('write a cohort for analysis elsewhere: tidy CSV, Parquet, HDF5 or GaitRec CSVs, with a data dictionary; pseudonymised unless --identifying')
    .option('--cohort <filter>', "which visits: clauses field=value, field>=value, … all of which must hold, e.g. 'cohort=gaitpdb group=PD age>=60 hoehn_yahr>=2 date>=2020 tag=baseline' (all when omitted)", '')
    .addOption(new Option('--format <format>', 'what to write').choices(['csv', 'parquet', 'hdf5', 'gaitrec']).default('csv'))
    .requiredOption('--out <dir>', 'a new (or empty) folder to write into')
    .option('--channel <name...>', 'only the cycles of these channels')
    .option('--no-parameters', 'leave the spatiotemporal parameters out')
    .option('--identifying', 'also write names, birth dates, record numbers, contacts, source subject codes and free-text notes (recorded in the audit log)', false)
    .action(async (o: { cohort: string; format: 'csv' | 'parquet' | 'hdf5' | 'gaitrec'; out: string; channel?: string[]; parameters: boolean; identifying: boolean }) => {
      const g = global();
      const bar = progressBar();
      const res = (await withApi(g, (call, _ctx, signal) => call('exportCohort', { cohort: o.cohort, format: o.format, out: o.out, channels: o.channel, parameters: o.parameters, identifying: o.identifying }, { signal, onEvent: bar.onEvent }), 'existing').finally(bar.stop)) as ApiResponse<'exportCohort'>;
      for (const l of res.leftOut) process.stderr.write(`gaitlab: left out ${l}\n`);
      if (g.json) printJson({ export: res });
      else {
        console.log(`${res.out}: ${res.subjects} subjects, ${res.sessions} visits, ${res.trials} trials, ${res.cycles} cycles, ${res.parameters} parameter rows (${res.identifying ? 'IDENTIFYING fields included' : 'pseudonymised'}; cohort ${res.cohort})`);
        console.log(table(res.files.map((f) => ({ file: f.name, bytes: f.bytes, sha256: f.sha256.slice(0, 16) })), ['file', 'bytes', 'sha256']));
        if (res.trialsLeftOut.length) console.log(`${res.trialsLeftOut.length} trials left out (excluded or static)`);
        console.log(`export ${res.exportId} recorded in the audit log (content ${res.contentSha256.slice(0, 16)}…)`);
      }
    });

  program
    .command('formats')
    .description('every file format the importer detects by content')
    .action(async () => {
      const g = global();
      const res = (await withApi(g, (call) => call('listFormats', {}), true)) as ApiResponse<'listFormats'>;
      if (g.json) printJson(res);
      else console.log(table(res.formats.map((f) => ({ id: f.id, format: f.description })), ['id', 'format']));
    });
}
