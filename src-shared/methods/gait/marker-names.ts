// Marker channels of a trial by label, with or without a subject prefix (Vicon writes `A22:LHEE`): the first
// prefix under which the wanted markers exist is used, so `LHEE` finds `A22:LHEE_x/_y/_z`.
import type { ChannelMeta } from './trial-signals';

/** Metres per unit of a marker coordinate (C3D POINT:UNITS, TRC Units). */
export const METRES_PER: Readonly<Record<string, number>> = { mm: 0.001, cm: 0.01, m: 1 };

/** The prefixes ('' or 'A22:') under which a marker's three coordinates are channels in a length unit. */
function prefixesOf(channels: readonly ChannelMeta[], label: string): string[] {
  const units = new Map(channels.map((c) => [c.name, c.unit]));
  const out: string[] = [];
  for (const c of channels) {
    if (!c.name.endsWith(`${label}_x`)) continue;
    const prefix = c.name.slice(0, c.name.length - label.length - 2);
    if (prefix !== '' && !prefix.endsWith(':')) continue;
    if (['_x', '_y', '_z'].every((k) => METRES_PER[units.get(`${prefix}${label}${k}`) ?? ''] !== undefined)) out.push(prefix);
  }
  return out;
}

/**
 * Resolves marker labels (each a list of alternatives, the first found wins) under one subject prefix: the
 * prefix that holds the most of them. Returns the channel stem per wanted marker (`A22:LHEE`), or the labels
 * that no alternative found.
 */
export function resolveMarkers<K extends string>(channels: readonly ChannelMeta[], wanted: Record<K, readonly string[]>): { stems: Partial<Record<K, string>>; missing: string[] } {
  const score = new Map<string, number>();
  for (const alternatives of Object.values(wanted) as string[][]) {
    const seen = new Set(alternatives.flatMap((a) => prefixesOf(channels, a)));
    for (const p of seen) score.set(p, (score.get(p) ?? 0) + 1);
  }
  const prefix = [...score.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  const stems: Partial<Record<K, string>> = {};
  const missing: string[] = [];
  for (const key of Object.keys(wanted) as K[]) {
    const found = wanted[key].find((a) => prefixesOf(channels, a).includes(prefix));
    if (found) stems[key] = `${prefix}${found}`;
    else missing.push(wanted[key].join(' or '));
  }
  return { stems, missing };
}
