// A driver's sample blocks as an async iterable (its `blocks()`). Nothing is kept until someone starts iterating:
// the recorder listens to the drivers' 'block' events and never iterates, and a stream that buffered regardless held
// every block of a recording in the acquisition process's memory. Once iterated, blocks wait for a slow consumer,
// up to `maxBuffered` (then the oldest goes, never the store's copy); unbounded where dropping would lose samples
// that nothing else delivers.
import type { SampleBlock } from '../driver';

export class BlockQueue implements AsyncIterable<SampleBlock> {
  private readonly buffered: SampleBlock[] = [];
  private waiting: ((r: IteratorResult<SampleBlock>) => void) | null = null;
  private ended = false;
  private iterating = false;

  constructor(private readonly maxBuffered = Infinity) {}

  push(b: SampleBlock): void {
    if (this.ended || !this.iterating) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w({ value: b, done: false });
      return;
    }
    this.buffered.push(b);
    if (this.buffered.length > this.maxBuffered) this.buffered.shift();
  }

  end(): void {
    this.ended = true;
    const w = this.waiting;
    this.waiting = null;
    if (w) w({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<SampleBlock> {
    this.iterating = true;
    return {
      next: () => {
        const b = this.buffered.shift();
        if (b) return Promise.resolve({ value: b, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => { this.waiting = resolve; });
      },
    };
  }
}
