#!/usr/bin/env node
// The gaitlab command. Every subcommand calls the services through the dispatcher, never the store.
import { Command, CommanderError } from 'commander';
import { registerAudit } from './commands/audit';
import { registerDoctor } from './commands/doctor';
import { registerExport } from './commands/export';
import { registerDemo } from './commands/demo';
import { registerReport } from './commands/report';
import { registerGait } from './commands/gait';
import { registerGp } from './commands/gp';
import { registerImport } from './commands/import';
import { registerInfo } from './commands/info';
import { registerJobs } from './commands/jobs';
import { registerLive } from './commands/live';
import { registerModels } from './commands/models';
import { registerRecords } from './commands/records';
import { registerReferences } from './commands/references';
import { registerSae } from './commands/sae';
import { registerServe } from './commands/serve';
import { registerSubjects } from './commands/subjects';
import { registerTrain } from './commands/train';
import { registerExplain } from './commands/explain';
import { registerPredict } from './commands/predict';
import { registerRelevance } from './commands/relevance';
import { registerPerturb } from './commands/perturb';
import { registerTrials } from './commands/trials';
import type { GlobalOptions } from './run-context';
import { version } from '../services/version';
import { escapeControl } from '../../src-shared/text/escape';
import { endQuietlyOnClosedPipe } from './closed-pipe';

export async function runCli(argv: string[]): Promise<number> {
  endQuietlyOnClosedPipe();
  let code = 0;
  const program = new Command('gaitlab')
    .description('GaitLab: gait-lab data, from insoles and force plates to clinical parameters')
    .version(version)
    .option('--db <file>', 'database file (default: $GAITLAB_DB or the per-user data folder)')
    .option('--json', 'print one JSON document on stdout', false)
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const global = () => program.opts<GlobalOptions>();
  const exitCode = (n: number) => { code = Math.max(code, n); };
  registerImport(program, global, exitCode);
  registerRecords(program, registerSubjects(program, global), global);
  registerTrials(program, global);
  registerAudit(program, global, exitCode);
  registerInfo(program, global);
  registerServe(program, global);
  registerDoctor(program, global);
  registerGait(program, global);
  registerTrain(program, global, exitCode);
  registerExplain(program, global);
  registerPredict(program, global);
  registerGp(program, global, exitCode);
  registerRelevance(program, global);
  registerPerturb(program, global);
  registerJobs(program, global, exitCode);
  registerModels(program, global);
  registerSae(program, global);
  registerExport(program, global);
  registerReport(program, global);
  registerDemo(program, global, exitCode);
  registerReferences(program, global);
  registerLive(program, global);
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2; // commander already printed the usage error
    }
    process.stderr.write(`gaitlab: ${escapeControl((e as Error).message.split('\n')[0])}\n`);
    return (e as { code?: unknown }).code === 'cancelled' ? 130 : 1;
  }
  return code;
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
