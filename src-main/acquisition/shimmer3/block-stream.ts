// Sample blocks as an async stream: the drivers' `blocks()`. Nothing is kept until someone starts iterating: the
// recorder listens to the drivers' 'block' events and never iterates, and a stream that buffered regardless held
// every block of a recording in memory (the acquisition process grew by the whole recording). Once iterated it is
// unbounded on purpose: its consumer drains it as fast as blocks come, and dropping here would lose samples.
import type { SampleBlock } from '../driver';

export class BlockStream {
  private readonly buffered: SampleBlock[] = [];
  private waiter: ((r: IteratorResult<SampleBlock>) => void) | null = null;
  private ended = false;
  private iterating = false;

  push(block: SampleBlock): void {
    if (this.ended || !this.iterating) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w({ value: block, done: false });
    } else {
      this.buffered.push(block);
    }
  }

  end(): void {
    this.ended = true;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w({ value: undefined, done: true });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<SampleBlock> {
    this.iterating = true;
    return {
      next: () => {
        const b = this.buffered.shift();
        if (b) return Promise.resolve({ value: b, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => { this.waiter = resolve; });
      },
    };
  }
}
