// Starts the acquisition process the way compute/spawn-worker.ts starts job workers: Electron's utilityProcess
// inside the app, child_process.fork under Node (CLI, browser mode, tests).
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ACQUISITION_CONFIG_ENV, type AcquisitionConfig, type AcquisitionToHost, type HostToAcquisition } from './acquisition-protocol';

export interface AcquisitionHandle {
  readonly pid: number | undefined;
  send(m: HostToAcquisition): void;
  onMessage(fn: (m: AcquisitionToHost) => void): void;
  onExit(fn: (code: number | null, signal: string | null) => void): void;
}

/** Compiled .js beside this file, or the .ts through tsx (tests, checkouts). */
export function acquisitionEntry(): { file: string; execArgv: string[] } {
  const js = join(__dirname, 'acquisition-entry.js');
  if (!__filename.endsWith('.ts') && existsSync(js)) return { file: js, execArgv: [] };
  return { file: join(__dirname, 'acquisition-entry.ts'), execArgv: ['--require', require.resolve('tsx/cjs')] };
}

/**
 * V8's young generation grows with the allocation rate (each decoded line and block is short-lived) up to 16 MB per
 * semi-space; in a recording process that holds ~10 MB of live objects that growth was most of its RSS growth over a
 * long recording (heapTotal 26 → 43 MB; bench:acquisition, 60 simulated min at 60×: RSS 117 MB at the end, 91 MB with
 * 2 MB semi-spaces, CPU at 1× unchanged within noise). Scavenges of a small new space stay cheap: nearly all dies young.
 */
export const ACQUISITION_V8_FLAGS = ['--max-semi-space-size=2'];

export function spawnAcquisition(config: AcquisitionConfig): AcquisitionHandle {
  const base = acquisitionEntry();
  const entry = { file: base.file, execArgv: [...ACQUISITION_V8_FLAGS, ...base.execArgv] };
  const env = { ...process.env, [ACQUISITION_CONFIG_ENV]: JSON.stringify(config) };
  if (process.versions.electron) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { utilityProcess } = require('electron') as typeof import('electron');
    const child = utilityProcess.fork(entry.file, [], { serviceName: 'GaitLab acquisition', stdio: 'ignore', execArgv: entry.execArgv, env });
    return {
      get pid() { return child.pid; },
      send: (m) => child.postMessage(m),
      onMessage: (fn) => child.on('message', (m: AcquisitionToHost) => fn(m)),
      onExit: (fn) => child.on('exit', (code) => fn(code, null)),
    };
  }
  const child = fork(entry.file, [], { execArgv: entry.execArgv, env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  let exited = false;
  return {
    pid: child.pid,
    send: (m) => { if (child.connected) child.send(m); },
    onMessage: (fn) => child.on('message', (m) => fn(m as AcquisitionToHost)),
    onExit: (fn) => {
      const once = (code: number | null, signal: string | null) => { if (!exited) fn(code, signal); exited = true; };
      child.on('exit', once);
      child.on('error', () => once(null, 'spawn-error'));
    },
  };
}
