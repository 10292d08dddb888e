// Loads each native module the app needs, so a module built for the wrong runtime (Node vs Electron ABI)
// is reported by name at start-up and by `gaitlab doctor`, instead of as a stack trace from deep in the store.

export interface NativeModuleStatus {
  name: string;
  ok: boolean;
  error?: string;
}

interface NativeProbe {
  name: string;
  /** Throws when the module cannot be loaded or does not work. */
  probe: () => void;
}

/** A build for the other runtime is the usual cause; say how to rebuild for the one that is running. */
function rebuildHint(): string {
  return process.versions.electron
    ? 'rebuild it for Electron with npm run rebuild:electron'
    : 'rebuild it for Node with npm rebuild better-sqlite3 @serialport/bindings-cpp';
}

function probeBetterSqlite3(): void {
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  // The same binary the store will load (the Electron build inside the desktop app).
  const { sqliteNativeBinding } = require('../store/native-binding') as typeof import('../store/native-binding');
  const nativeBinding = sqliteNativeBinding();
  const db = new Database(':memory:', nativeBinding ? { nativeBinding } : {});
  try {
    const row = db.prepare('select 1 as one').get() as { one?: unknown } | undefined;
    if (row?.one !== 1) throw new Error(`select 1 returned ${JSON.stringify(row)}`);
  } finally {
    db.close();
  }
}

function probeSerialport(): void {
  // serialport re-exports the platform binding; loading the binding package directly makes node-gyp-build
  // load its .node file now rather than at the first device scan.
  require('serialport');
  const bindings = require('@serialport/bindings-cpp') as { autoDetect: () => { list?: unknown } };
  const binding = bindings.autoDetect();
  if (typeof binding?.list !== 'function') throw new Error('autoDetect() returned a binding without list()');
}

const PROBES: NativeProbe[] = [
  { name: 'better-sqlite3', probe: probeBetterSqlite3 },
  { name: 'serialport', probe: probeSerialport },
];

/** The load error as one line: Node's ABI message spans several lines; its require stack says nothing useful. */
function reason(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const text = message.split(/\n\s*Require stack:/)[0].replace(/\s+/g, ' ').trim();
  return (text.length > 400 ? `${text.slice(0, 400)}…` : text) || 'unknown error';
}

export function nativeFailureMessage(name: string, cause: string): string {
  return `${name} failed to load: ${cause} (${rebuildHint()})`;
}

export function checkNativeModules(probes: NativeProbe[] = PROBES): NativeModuleStatus[] {
  return probes.map(({ name, probe }) => {
    try {
      probe();
      return { name, ok: true };
    } catch (e) {
      return { name, ok: false, error: nativeFailureMessage(name, reason(e)) };
    }
  });
}

/** Which runtime the modules were checked against; the ABI is what a native build must match. */
export function nativeRuntime(): { runtime: 'electron' | 'node'; version: string; abi: string } {
  const electron = process.versions.electron;
  return electron
    ? { runtime: 'electron', version: electron, abi: process.versions.modules }
    : { runtime: 'node', version: process.versions.node, abi: process.versions.modules };
}
