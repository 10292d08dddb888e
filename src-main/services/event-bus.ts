// Topic events (jobs, and later live samples) published by services and delivered to the faces that
// subscribed. Call progress does not pass through here: it goes straight to its caller (see dispatch.ts).
import { matchesSubscription, type ApiEvent, type Subscription } from '../../src-shared/api/events';

export type EventListener = (e: ApiEvent) => void;

export class EventBus {
  private readonly listeners = new Map<number, { sub: Subscription; listener: EventListener }>();
  private nextId = 1;

  /** Delivers `e` to every listener whose subscription matches; a failing listener does not stop the others. */
  publish(e: ApiEvent): void {
    for (const { sub, listener } of [...this.listeners.values()]) {
      if (!matchesSubscription(e, sub)) continue;
      try {
        listener(e);
      } catch {
        /* a closed socket or window must not break the publisher */
      }
    }
  }

  /** Returns the function that ends the subscription. */
  subscribe(sub: Subscription, listener: EventListener): () => void {
    const id = this.nextId++;
    this.listeners.set(id, { sub, listener });
    return () => {
      this.listeners.delete(id);
    };
  }

  get size(): number {
    return this.listeners.size;
  }
}
