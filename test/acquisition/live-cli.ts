// The real gaitlab command as a long-running child (record, simulate): wait for a line on stderr, stop with a
// signal, collect its JSON.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from '../helpers';

export interface LiveCommand {
  proc: ChildProcess;
  stderr(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  done: Promise<{ code: number | null; json: any; stdout: string; stderr: string }>;
}

export function startGaitlab(args: string[]): LiveCommand {
  const proc = spawn(process.execPath, [join(REPO, 'bin', 'gaitlab.cjs'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout!.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
  proc.stderr!.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
  const done = new Promise<{ code: number | null; json: any; stdout: string; stderr: string }>((resolve) => {
    proc.on('close', (code) => {
      let json: any = null;
      try { json = stdout.trim() ? JSON.parse(stdout) : null; } catch { json = null; }
      resolve({ code, json, stdout, stderr });
    });
  });
  return {
    proc, done, stderr: () => stderr,
    async waitFor(pattern, timeoutMs = 20000) {
      const t0 = Date.now();
      while (!pattern.test(stderr)) {
        if (proc.exitCode !== null) throw new Error(`gaitlab ${args[0]} ended before ${pattern}: ${stderr}`);
        if (Date.now() - t0 > timeoutMs) throw new Error(`gaitlab ${args[0]}: no ${pattern} within ${timeoutMs} ms: ${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
