import type { Command } from 'commander';
import { checkNativeModules, nativeRuntime } from '../../app/native-check';
import { probeTiers } from '../../compute/tfjs/backend';
import { printJson } from '../output';
import type { GlobalOptions } from '../run-context';

export function registerDoctor(program: Command, global: () => GlobalOptions): void {
  program
    .command('doctor')
    .description('check that the native modules (better-sqlite3, serialport) load in this runtime and list the tfjs backends; exit 1 when a native module fails')
    .action(async () => {
      const g = global();
      const native = checkNativeModules();
      // Optional tfjs backends that are absent are one line each, never a failure: wasm and cpu always remain.
      const tfjs = await probeTiers();
      if (g.json) printJson({ native, tfjs });
      else {
        const rt = nativeRuntime();
        console.log(`runtime ${rt.runtime} ${rt.version} (module ABI ${rt.abi})`);
        for (const m of native) console.log(m.ok ? `ok      ${m.name}` : `FAILED  ${m.error}`);
        for (const t of tfjs) console.log(`${t.available ? 'ok     ' : 'absent '} ${t.tier}: ${t.detail}`);
      }
      const failed = native.filter((m) => !m.ok).map((m) => m.name);
      // runCli turns a thrown error into the one-line stderr message and exit code 1.
      if (failed.length) throw new Error(`native module${failed.length > 1 ? 's' : ''} failed to load: ${failed.join(', ')}`);
    });
}
