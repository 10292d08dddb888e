// An emitter's blocks as an async iterable: buffered while nobody iterates (bounded: a consumer that never reads
// loses the oldest blocks here, never the recorder, which listens to the 'block' events directly).
import type { SampleBlock } from '../driver';

const MAX_BUFFERED = 1024;

export class BlockQueue implements AsyncIterable<SampleBlock> {
  private readonly buffered: SampleBlock[] = [];
  private waiting: ((r: IteratorResult<SampleBlock>) => void) | null = null;
  private ended = false;

  push(b: SampleBlock): void {
    if (this.ended) return;
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
