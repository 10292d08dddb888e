// A pseudo-terminal pair made with socat: what the simulator writes on `device` arrives at `host`, like a serial
// cable. stop() kills socat (a pulled cable); start() makes the pair again under the same names.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export class PtyPair {
  readonly device: string;
  readonly host: string;
  private proc: ChildProcess | null = null;

  constructor(dir: string, name: string) {
    this.device = join(dir, `${name}-device`);
    this.host = join(dir, `${name}-host`);
  }

  async start(): Promise<void> {
    this.proc = spawn('socat', [`pty,raw,echo=0,link=${this.device}`, `pty,raw,echo=0,link=${this.host}`], { stdio: 'ignore' });
    const t0 = Date.now();
    while (!(existsSync(this.device) && existsSync(this.host))) {
      if (Date.now() - t0 > 5000) throw new Error('socat made no pty pair within 5 s');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = null;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => { p.once('exit', () => resolve()); p.kill('SIGKILL'); });
    // socat removes its links when it exits normally, not when killed.
    for (const l of [this.device, this.host]) if (existsSync(l)) await import('node:fs/promises').then((f) => f.unlink(l).catch(() => {}));
  }
}
