// An emitter's blocks as an async iterable. Nothing is kept until someone starts iterating (the recorder listens
// to 'block' events directly); then blocks wait for a slow consumer, bounded: it loses the oldest, never the store.
import type { SampleBlock } from '../driver';

const MAX_BUFFERED = 1024;

export class BlockQueue implements AsyncIterable<SampleBlock> {
  private readonly buffered: SampleBlock[] = [];
  private waiting: ((r: IteratorResult<SampleBlock>) => void) | null = null;
  private ended = false;
  private iterating = false;

  push(b: SampleBlock): void {
    if (this.ended || !this.iterating) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w({ value: b, done: false });
      return;
    }
    this.buffered.push(b);
    if (this.buffered.length > MAX_BUFFERED) this.buffered.shift();
  }

  end(): void {
    this.ended = true;
    if (this.waiting) this.waiting({ value: undefined, done: true });
    this.waiting = null;
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
