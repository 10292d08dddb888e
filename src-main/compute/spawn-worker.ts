// Starts a job's worker process: Electron's utilityProcess inside the app, child_process under Node (the CLI,
// browser mode, tests). Both run worker-entry with the same arguments and speak worker-protocol.ts.
// A detached worker (`gaitlab train --detach`) has no channel to its host and outlives it.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { workerArgs, workerEnv, type HostToWorker, type WorkerToHost } from './worker-protocol';

export interface WorkerHandle {
  readonly pid: number | undefined;
  send(m: HostToWorker): void;
  onMessage(fn: (m: WorkerToHost) => void): void;
  onExit(fn: (code: number | null, signal: string | null) => void): void;
}

/** The entry file and the Node flags to run it: compiled .js beside this file, or the .ts through tsx (tests, checkouts). */
function workerEntry(): { file: string; execArgv: string[] } {
  const js = join(__dirname, 'worker-entry.js');
  if (!__filename.endsWith('.ts') && existsSync(js)) return { file: js, execArgv: [] };
  return { file: join(__dirname, 'worker-entry.ts'), execArgv: ['--require', require.resolve('tsx/cjs')] };
}

export function spawnJobWorker(dbPath: string, jobId: string, opts: { detached: boolean }): WorkerHandle {
  const entry = workerEntry();
  const args = workerArgs(dbPath, jobId);
  const env = { ...process.env, ...workerEnv(dbPath, jobId) };
  if (opts.detached) {
    const child = spawn(process.execPath, [...entry.execArgv, entry.file, ...args], { detached: true, stdio: 'ignore', env: { ...env, ELECTRON_RUN_AS_NODE: process.versions.electron ? '1' : undefined } });
    child.unref();
    return { pid: child.pid, send: () => {}, onMessage: () => {}, onExit: (fn) => exitOrError(child, fn) };
  }
  if (process.versions.electron) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { utilityProcess } = require('electron') as typeof import('electron');
    const child = utilityProcess.fork(entry.file, args, { serviceName: `GaitLab job ${jobId}`, stdio: 'ignore', execArgv: entry.execArgv, env });
    return {
      get pid() { return child.pid; },
      send: (m) => child.postMessage(m),
      onMessage: (fn) => child.on('message', (m: WorkerToHost) => fn(m)),
      onExit: (fn) => child.on('exit', (code) => fn(code, null)),
    };
  }
  const child = fork(entry.file, args, { execArgv: entry.execArgv, env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return {
    pid: child.pid,
    send: (m) => { if (child.connected) child.send(m); },
    onMessage: (fn) => child.on('message', (m) => fn(m as WorkerToHost)),
    onExit: (fn) => exitOrError(child, fn),
  };
}

/** 'exit', or 'error' when the process could not even start (then no 'exit' comes). */
function exitOrError(child: ChildProcess, fn: (code: number | null, signal: string | null) => void): void {
  let done = false;
  const once = (code: number | null, signal: string | null) => {
    if (!done) fn(code, signal);
    done = true;
  };
  child.on('exit', once);
  child.on('error', () => once(null, 'spawn-error'));
}
