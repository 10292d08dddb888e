// What every driver shares: typed 'block'/'status'/… events and its blocks as an async stream.
import { EventEmitter } from 'node:events';
import type { DriverEvents, SampleBlock } from '../driver';
import { BlockQueue } from './block-queue';

export abstract class DriverEmitter extends EventEmitter {
  /** `maxBuffered`: see BlockQueue (unbounded where dropping would lose samples nothing else delivers). */
  protected constructor(protected readonly queue = new BlockQueue()) {
    super();
  }

  blocks(): AsyncIterable<SampleBlock> {
    return this.queue;
  }

  override on<E extends keyof DriverEvents>(event: E, listener: DriverEvents[E]): this {
    return super.on(event, listener);
  }

  override off<E extends keyof DriverEvents>(event: E, listener: DriverEvents[E]): this {
    return super.off(event, listener);
  }
}
