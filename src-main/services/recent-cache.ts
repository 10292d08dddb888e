// The few most recent values of something costly to compute, by key: parsed analyses runs, the answer to "did the
// data behind these analyses change?". Beyond `max` entries the oldest inserted is forgotten.

export class RecentCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly max: number) {}

  /** The value kept for `key`, or `compute()`'s, kept (a throw keeps nothing). */
  get(key: string, compute: () => V): V {
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const value = compute();
    this.entries.set(key, value);
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
