// Bounded buffers of the live view: whatever the stream does (a hidden tab stops drawing, a device bursts), the
// renderer holds at most a fixed number of points and latencies, never the recording.
import { quantile } from '../../src-shared/signal/stats';

/** The last `capacity` numbers, oldest overwritten first. */
export class NumberRing {
  private readonly values: Float64Array;
  private next = 0;
  size = 0;

  constructor(capacity: number) {
    this.values = new Float64Array(capacity);
  }

  push(x: number): void {
    this.values[this.next] = x;
    this.next = (this.next + 1) % this.values.length;
    this.size = Math.min(this.size + 1, this.values.length);
  }

  quantile(q: number): number {
    return this.size ? quantile(this.values.subarray(0, this.size), q) : NaN;
  }
}

/**
 * Points received but not drawn yet, per trace: at most `maxPoints` per trace (the plot's window), so that a tab
 * that stops drawing for a while resumes with the newest window instead of a backlog.
 */
export class PendingPoints {
  x: number[] = [];
  y: number[][];
  /** Host epoch ms at which each point was sampled (the device's host receive time). */
  sampledAtMs: number[] = [];
  /** Epoch ms at which the page received each point's batch. */
  receivedAtMs: number[] = [];

  constructor(traces: number, private readonly maxPoints: number) {
    this.y = Array.from({ length: traces }, () => []);
  }

  add(x: number, sampledAtMs: number, receivedAtMs: number, ys: readonly number[]): void {
    this.x.push(x);
    this.sampledAtMs.push(sampledAtMs);
    this.receivedAtMs.push(receivedAtMs);
    for (let k = 0; k < this.y.length; k++) this.y[k].push(ys[k]);
    if (this.x.length > this.maxPoints) {
      const drop = this.x.length - this.maxPoints;
      this.x.splice(0, drop);
      this.sampledAtMs.splice(0, drop);
      this.receivedAtMs.splice(0, drop);
      for (const t of this.y) t.splice(0, drop);
    }
  }

  /** Everything pending, and empty again. */
  take(): { x: number[]; y: number[][]; sampledAtMs: number[]; receivedAtMs: number[] } {
    const out = { x: this.x, y: this.y, sampledAtMs: this.sampledAtMs, receivedAtMs: this.receivedAtMs };
    this.x = [];
    this.sampledAtMs = [];
    this.receivedAtMs = [];
    this.y = this.y.map(() => []);
    return out;
  }

  get length(): number {
    return this.x.length;
  }
}
