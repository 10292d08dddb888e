// gaitlab export-trial <id> --format c3d --out FILE: one trial written as a file other tools open;
// gaitlab formats: every format the importer detects (from the format registry).
import { Option, type Command } from 'commander';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { printJson, table } from '../output';
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
    .command('formats')
    .description('every file format the importer detects by content')
    .action(async () => {
      const g = global();
      const res = (await withApi(g, (call) => call('listFormats', {}), true)) as ApiResponse<'listFormats'>;
      if (g.json) printJson(res);
      else console.log(table(res.formats.map((f) => ({ id: f.id, format: f.description })), ['id', 'format']));
    });
}
