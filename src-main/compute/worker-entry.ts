// The entry of a job's worker process (child_process.fork or spawn under Node, utilityProcess in Electron):
// `worker-entry <db> <job id>`. It opens the database itself, runs the one job and exits.
import { openDatabase } from '../store/db';
import { runJob } from './job-runner';
import { workerTarget, type HostToWorker, type WorkerToHost } from './worker-protocol';

interface ParentPort { on(event: 'message', listener: (e: { data: unknown }) => void): void; postMessage(m: unknown): void }

/** The channel to the host, if any: Electron's parentPort, Node's IPC, or none (a detached worker). */
function hostChannel(): { send(m: WorkerToHost): void; onMessage(fn: (m: HostToWorker) => void): void } | null {
  const parentPort = (process as { parentPort?: ParentPort }).parentPort;
  if (parentPort) return { send: (m) => parentPort.postMessage(m), onMessage: (fn) => parentPort.on('message', (e) => fn(e.data as HostToWorker)) };
  if (process.send) {
    return {
      send: (m) => { if (process.connected) process.send!(m); },
      onMessage: (fn) => process.on('message', (m) => fn(m as HostToWorker)),
    };
  }
  return null;
}

async function main(): Promise<number> {
  const target = workerTarget(process.env, process.argv.slice(2));
  if (!target) {
    process.stderr.write('usage: worker-entry <database> <job id> (or GAITLAB_JOB_DB and GAITLAB_JOB_ID)\n');
    return 2;
  }
  const { dbPath, jobId } = target;
  // Ctrl+C in the host's terminal reaches the whole process group: the host cancels through the database.
  process.on('SIGINT', () => {});
  const channel = hostChannel();
  const hostCancel = new AbortController();
  channel?.onMessage((m) => { if (m.type === 'cancel') hostCancel.abort(); });
  // A host that goes away (its IPC closes) must not take an unfinished job with it.
  process.on('disconnect', () => {});
  const db = openDatabase(dbPath);
  try {
    const status = await runJob(db, dbPath, jobId, { hostCancel: hostCancel.signal });
    channel?.send({ type: 'ended', jobId, status });
    return status === 'failed' ? 1 : 0;
  } finally {
    db.close();
  }
}

main().then(
  (code) => { process.exitCode = code; setTimeout(() => process.exit(code), 200).unref(); },
  (e) => { process.stderr.write(`gaitlab job worker: ${(e as Error).message}\n`); process.exit(1); },
);
