// One device's samples between two commits, in buffers reused from commit to commit. Keeping the drivers' blocks
// until the commit (and merging them into fresh arrays) made every block outlive a scavenge at high rates: its
// ArrayBuffers were promoted and waited for a full GC, and that garbage was the acquisition process's RSS growth.
// Now a block is copied in as it arrives and dies young; the buffers grow to the largest chunk seen, never shrink.
import type { SampleBlock } from './driver';

export class ChunkAccumulator {
  private counter = new Float64Array(256);
  private deviceTimeUs = new Float64Array(256);
  private hostTimeMs = new Float64Array(256);
  private values: Float32Array;
  private n = 0;

  constructor(readonly channelCount: number) {
    this.values = new Float32Array(256 * channelCount);
  }

  get length(): number {
    return this.n;
  }

  append(b: SampleBlock): void {
    const m = b.counter.length;
    if (b.channelCount !== this.channelCount) throw new Error(`block of ${b.channelCount} channels for a device of ${this.channelCount}`);
    if (this.n + m > this.counter.length) this.grow(this.n + m);
    this.counter.set(b.counter, this.n);
    this.deviceTimeUs.set(b.deviceTimeUs, this.n);
    this.hostTimeMs.set(b.hostTimeMs, this.n);
    this.values.set(b.values, this.n * this.channelCount);
    this.n += m;
  }

  /** Views of what was appended since the last take(): valid until the next append(). */
  take(): { counter: Float64Array; deviceTimeUs: Float64Array; hostTimeMs: Float64Array; values: Float32Array } {
    const n = this.n;
    this.n = 0;
    return {
      counter: this.counter.subarray(0, n), deviceTimeUs: this.deviceTimeUs.subarray(0, n), hostTimeMs: this.hostTimeMs.subarray(0, n),
      values: this.values.subarray(0, n * this.channelCount),
    };
  }

  private grow(min: number): void {
    let cap = this.counter.length;
    while (cap < min) cap *= 2;
    const used = this.n;
    const grown64 = (a: Float64Array) => { const b = new Float64Array(cap); b.set(a.subarray(0, used)); return b; };
    this.counter = grown64(this.counter);
    this.deviceTimeUs = grown64(this.deviceTimeUs);
    this.hostTimeMs = grown64(this.hostTimeMs);
    const values = new Float32Array(cap * this.channelCount);
    values.set(this.values.subarray(0, used * this.channelCount));
    this.values = values;
  }
}
