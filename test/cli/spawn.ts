// The real gaitlab command in child processes that run at the same time (spawn, not spawnSync).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, type CliResult } from '../helpers';

/** `timeReport`: a file for GNU time's report; then rssKb is the command's peak resident set. */
export function gaitlabAsync(args: string[], env: Record<string, string> = {}, timeReport?: string): Promise<CliResult & { rssKb: number | null }> {
  const prefix = timeReport ? ['/usr/bin/time', '-v', '-o', timeReport] : [];
  const command = [...prefix, process.execPath, join(REPO, 'bin', 'gaitlab.cjs'), ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    child.on('error', reject);
    child.on('close', (code) => {
      let json: any = null;
      if (args.includes('--json') && stdout.trim()) {
        try { json = JSON.parse(stdout); } catch { json = null; }
      }
      // The peak resident set of the whole command, worker threads included.
      const rss = timeReport ? /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(timeReport, 'utf8')) : null;
      resolve({ code: code ?? -1, stdout, stderr, json, rssKb: rss ? Number(rss[1]) : null });
    });
  });
}
