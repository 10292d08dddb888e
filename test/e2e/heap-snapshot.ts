// A page's V8 heap snapshot (Chrome DevTools Protocol, HeapProfiler.takeHeapSnapshot) and what grew between two:
// object counts and self sizes by node type and constructor name, the largest growth first; and the strings it
// holds. Used by bench:acquisition's renderer-memory part (BENCH_HEAP_SNAPSHOTS=DIR) to name what the live view
// keeps per unit of recorded time, and by the live plot's test to count plotly's cached text boxes.
import type { CDPSession } from 'playwright-core';

interface RawSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export interface HeapGroup {
  /** `type name`: e.g. `object Object`, `string`, `closure flush`, `array (object elements)`. */
  key: string;
  count: number;
  bytes: number;
}

/** Counts and self sizes per node type and name (strings and numbers grouped by type alone: their names are their values). */
export function groupSnapshot(json: string): Map<string, HeapGroup> {
  const raw = JSON.parse(json) as RawSnapshot;
  const fields = raw.snapshot.meta.node_fields;
  const types = raw.snapshot.meta.node_types[0];
  const stride = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const groups = new Map<string, HeapGroup>();
  for (let i = 0; i < raw.nodes.length; i += stride) {
    const type = types[raw.nodes[i + typeAt]];
    const byValue = type === 'string' || type === 'concatenated string' || type === 'sliced string' || type === 'number' || type === 'heap number';
    const key = byValue ? type : `${type} ${raw.strings[raw.nodes[i + nameAt]].slice(0, 80)}`;
    const g = groups.get(key) ?? { key, count: 0, bytes: 0 };
    g.count++;
    g.bytes += raw.nodes[i + sizeAt];
    groups.set(key, g);
  }
  return groups;
}

/** Every string the heap holds (a string held twice is listed twice). */
export function snapshotStrings(json: string): string[] {
  const raw = JSON.parse(json) as RawSnapshot;
  const fields = raw.snapshot.meta.node_fields;
  const types = raw.snapshot.meta.node_types[0];
  const stride = fields.length;
  const [typeAt, nameAt] = ['type', 'name'].map((f) => fields.indexOf(f));
  const out: string[] = [];
  for (let i = 0; i < raw.nodes.length; i += stride) if (types[raw.nodes[i + typeAt]] === 'string') out.push(raw.strings[raw.nodes[i + nameAt]]);
  return out;
}

/** The groups that grew most from `before` to `after`, by bytes. */
export function heapGrowth(before: Map<string, HeapGroup>, after: Map<string, HeapGroup>, top: number): HeapGroup[] {
  const out: HeapGroup[] = [];
  for (const [key, g] of after) {
    const b = before.get(key) ?? { count: 0, bytes: 0 };
    out.push({ key, count: g.count - b.count, bytes: g.bytes - b.bytes });
  }
  for (const [key, b] of before) if (!after.has(key)) out.push({ key, count: -b.count, bytes: -b.bytes });
  return out.sort((x, y) => y.bytes - x.bytes).slice(0, top);
}

/**
 * Growth per node type alone (`code` is V8's compiled functions: a warming JIT, not data the page keeps; `native`
 * is Blink's objects), largest first.
 */
export function growthByType(before: Map<string, HeapGroup>, after: Map<string, HeapGroup>): HeapGroup[] {
  const byType = (groups: Map<string, HeapGroup>) => {
    const out = new Map<string, HeapGroup>();
    for (const g of groups.values()) {
      const type = g.key.split(' ')[0];
      const t = out.get(type) ?? { key: type, count: 0, bytes: 0 };
      t.count += g.count;
      t.bytes += g.bytes;
      out.set(type, t);
    }
    return out;
  };
  return heapGrowth(byType(before), byType(after), Infinity);
}

/** The page's heap as a snapshot's JSON text (after a forced GC, as takeHeapSnapshot does). */
export async function takeHeapSnapshot(cdp: CDPSession): Promise<string> {
  const chunks: string[] = [];
  const onChunk = (e: { chunk: string }) => { chunks.push(e.chunk); };
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  }
  return chunks.join('');
}
