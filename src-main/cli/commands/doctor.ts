import type { Command } from 'commander';
import { checkNativeModules, nativeRuntime } from '../../app/native-check';
import { probeTiers } from '../../compute/tfjs/backend';
import { lrpKernelStatus } from '../../../src-shared/lrp/gemm';
import { bleAvailability } from '../../acquisition/movella-dot/ble';
import { printJson } from '../output';
import type { GlobalOptions } from '../run-context';

export function registerDoctor(program: Command, global: () => GlobalOptions): void {
  program
    .command('doctor')
    .description('check that the native modules (better-sqlite3, serialport) load in this runtime and list the tfjs backends, the LRP kernel and whether BLE is available; exit 1 when a native module fails')
    .action(async () => {
      const g = global();
      const native = checkNativeModules();
      // Optional tfjs backends that are absent are one line each, never a failure: wasm and cpu always remain.
      const tfjs = await probeTiers();
      // LRP's float64 products: WebAssembly SIMD, or a JS fallback ~10× slower (said, with the reason).
      const lrp = lrpKernelStatus();
      // BLE (Movella DOT) is optional too: where noble or the adapter is missing, one line says why, never a failure.
      const bleState = await bleAvailability(undefined, 1500);
      const ble = bleState.available ? { available: true } : { available: false, reason: bleState.reason };
      if (g.json) printJson({ native, tfjs, lrp, ble });
      else {
        const rt = nativeRuntime();
        console.log(`runtime ${rt.runtime} ${rt.version} (module ABI ${rt.abi})`);
        for (const m of native) console.log(m.ok ? `ok      ${m.name}` : `FAILED  ${m.error}`);
        for (const t of tfjs) console.log(`${t.available ? 'ok     ' : 'absent '} ${t.tier}: ${t.detail}`);
        console.log(lrp.kernel === 'wasm-simd' ? 'ok      LRP products: WebAssembly SIMD (float64)' : `slow    LRP products: JS fallback (WebAssembly SIMD failed: ${lrp.reason})`);
        console.log(bleState.available ? 'ok      BLE (Movella DOT)' : `absent  BLE unavailable: ${bleState.reason}`);
      }
      const failed = native.filter((m) => !m.ok).map((m) => m.name);
      // runCli turns a thrown error into the one-line stderr message and exit code 1.
      if (failed.length) throw new Error(`native module${failed.length > 1 ? 's' : ''} failed to load: ${failed.join(', ')}`);
    });
}
