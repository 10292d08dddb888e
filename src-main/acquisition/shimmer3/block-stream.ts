// Sample blocks as an async stream: the drivers' `blocks()`. Unbounded on purpose: the recorder drains it as fast
// as blocks come, and dropping here would lose samples the device sent.
import type { SampleBlock } from '../driver';

export class BlockStream {
  private readonly buffered: SampleBlock[] = [];
  private waiter: ((r: IteratorResult<SampleBlock>) => void) | null = null;
  private ended = false;

  push(block: SampleBlock): void {
    if (this.ended) return;
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
