// Whether a process of this machine still exists: what crash recovery asks of a job's worker or a recording's
// acquisition process before it declares it gone.

export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
