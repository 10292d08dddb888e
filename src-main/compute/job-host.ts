// Hosting jobs in one process (the `gaitlab train` command, `gaitlab serve`, the Electron main): it starts the
// workers of the jobs it queues, sends them 'cancel' directly, notices when one dies, and relays the jobs'
// state and log lines from the database (whoever wrote them) as `job-state` / `job-log` events.
import { hostname } from 'node:os';
import { jobSummary, type JobSummary } from '../../src-shared/api/jobs';
import type { ServiceContext } from '../services/context';
import { activeJobs, lastJobLogId, markInterrupted, readJob, readJobLog, recordWorker, type StoredJob } from '../store/jobs';
import { recoverInterruptedJobs } from './recovery';
import { spawnJobWorker, type WorkerHandle } from './spawn-worker';

const WATCH_INTERVAL_MS = 250;
/** How often a long-lived host (app, browser mode) looks for jobs whose worker died, in polls. */
const RECOVERY_EVERY_POLLS = 8;

export function toJobSummary(job: StoredJob): JobSummary {
  return jobSummary.parse(job);
}

export class JobHost {
  private readonly workers = new Map<string, WorkerHandle>();
  /** Last published state of each job being watched, as JSON, to publish changes only. */
  private readonly seen = new Map<string, string>();
  private lastLogId: number;
  private timer: NodeJS.Timeout | null = null;
  private polls = 0;

  constructor(private readonly ctx: ServiceContext) {
    this.lastLogId = lastJobLogId(ctx.db);
  }

  /** Starts the worker of a queued job. */
  launch(jobId: string, detached: boolean): void {
    const w = spawnJobWorker(this.ctx.dbPath, jobId, { detached });
    if (w.pid !== undefined) recordWorker(this.ctx.db, jobId, w.pid, hostname());
    if (!detached) {
      this.workers.set(jobId, w);
      // Our worker is gone: if it did not end its job (killed, out of memory, could not start), nobody will.
      w.onExit(() => {
        this.workers.delete(jobId);
        if (!this.ctx.db.open) return;
        const job = readJob(this.ctx.db, jobId);
        if (job && (job.status === 'queued' || job.status === 'running')) markInterrupted(this.ctx.db, jobId, { status: job.status, heartbeatAt: job.heartbeatAt });
        this.poll();
      });
    }
    this.watch();
  }

  /** Tells our own worker of the job to stop now (the database flag reaches it within a second anyway). */
  cancel(jobId: string): void {
    this.workers.get(jobId)?.send({ type: 'cancel' });
  }

  /** Relays job events while anyone listens or our workers run. */
  watch(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.poll(), WATCH_INTERVAL_MS);
    this.timer.unref();
  }

  poll(): void {
    const { db, events } = this.ctx;
    if (!db.open) return this.stop();
    // A worker of another process (a terminal's detached job) may die while the app runs: recover it here too.
    if (!db.readonly && ++this.polls % RECOVERY_EVERY_POLLS === 0) recoverInterruptedJobs(db);
    const ids = new Set([...activeJobs(db).map((j) => j.id), ...this.seen.keys()]);
    for (const id of ids) {
      const job = readJob(db, id);
      if (!job) continue;
      const summary = toJobSummary(job);
      const text = JSON.stringify(summary);
      if (this.seen.get(id) !== text) {
        events.publish({ type: 'job-state', topic: 'jobs', jobId: id, job: summary });
      }
      if (job.status === 'queued' || job.status === 'running') this.seen.set(id, text);
      else this.seen.delete(id);
    }
    for (const line of readJobLog(db, { afterId: this.lastLogId, limit: 1000 })) {
      this.lastLogId = line.id;
      events.publish({ type: 'job-log', topic: 'jobs', jobId: line.jobId, at: line.at, line: line.line });
    }
    // The app and browser mode keep watching: a job queued from a terminal must show in their Jobs panel.
    if (this.ctx.mode === 'cli' && this.workers.size === 0 && events.size === 0 && this.seen.size === 0) this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

const hosts = new WeakMap<ServiceContext, JobHost>();

export function jobHostOf(ctx: ServiceContext): JobHost {
  let h = hosts.get(ctx);
  if (!h) hosts.set(ctx, (h = new JobHost(ctx)));
  return h;
}
