// Which channels share a subplot. Within one x domain and one unit:
// - totals (sums of a foot's sensors, resultants) go together, so left and right can be compared;
// - when the same component exists on both sides (GRF "vertical" of the affected and the unaffected leg),
//   one subplot per component with the sides overlaid, the way gait reports draw GRFs;
// - otherwise one subplot per side (gaitpdb: "Left · L1–L8", "Right · R1–R8").
import type { ChannelData } from '../../src-shared/api/schema';
import { quantityOf } from '../../src-shared/units';

export type Domain = ChannelData['domain'];

export interface ChannelGroup {
  key: string;
  domain: Domain;
  unit: string;
  /** The side all channels share, or null when they differ or have none. */
  side: string | null;
  title: string;
  /** 'side': colour each trace by its side (overlaid sides); 'position': a distinct colour per channel. */
  colourBy: 'side' | 'position';
  channels: ChannelData[];
}

const TOTAL_NAME = /\b(total|sum|resultant)\b|^(total|sum)|(total|sum)$/i;
const SIDE_WORDS = ['unaffected', 'affected', 'left', 'right', 'unaff', 'aff', 'l', 'r'];
const SIDE_IN_NAME = new RegExp(`^(${SIDE_WORDS.join('|')})[ _.-]+(.+)$|^(.+?)[ _.-]+(${SIDE_WORDS.join('|')})$`, 'i');

export function isTotalChannel(channel: ChannelData): boolean {
  return TOTAL_NAME.test(channel.name);
}

export function sideLabel(side: string | null): string | null {
  if (!side) return null;
  const s = side.toLowerCase();
  if (s === 'left' || s === 'l') return 'Left';
  if (s === 'right' || s === 'r') return 'Right';
  if (s === 'both') return 'Both sides';
  if (s === 'aff') return 'Affected';
  if (s === 'unaff') return 'Unaffected';
  return s[0].toUpperCase() + s.slice(1);
}

/** The side a channel belongs to (its `side`, or a side word in its name) and what it measures there. */
export function splitSide(channel: ChannelData): { side: string | null; component: string } {
  const match = SIDE_IN_NAME.exec(channel.name);
  const nameSide = match ? (match[1] ?? match[4]).toLowerCase() : null;
  const component = match ? (match[2] ?? match[3]) : channel.name;
  const side = channel.side?.toLowerCase() ?? nameSide;
  // A side word in the name only counts as the component's qualifier when it agrees with `side` (or there is none).
  if (match && (!channel.side || sideLabel(channel.side) === sideLabel(nameSide))) return { side, component };
  return { side, component: channel.name };
}

/** Channel names in a few words: "L1–L8" for a numbered run, else up to three names. */
export function summariseNames(names: string[]): string {
  if (names.length <= 3) return names.join(', ');
  const numbered = names.map((n) => /^(.*?)(\d+)$/.exec(n));
  if (numbered.every((m) => m && m[1] === numbered[0]![1])) return `${names[0]}–${names[names.length - 1]}`;
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
}

export function humaniseComponent(component: string): string {
  const words = component.replace(/_+/g, ' ').replace(/\s+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : component;
}

export function groupChannels(channels: ChannelData[]): ChannelGroup[] {
  // First by domain and unit, in order of first appearance.
  const buckets = new Map<string, ChannelData[]>();
  for (const channel of channels) {
    const key = `${channel.domain}|${channel.unit}`;
    buckets.set(key, [...(buckets.get(key) ?? []), channel]);
  }
  const groups: ChannelGroup[] = [];
  for (const [bucketKey, bucket] of buckets) {
    const totals = bucket.filter(isTotalChannel);
    const rest = bucket.filter((c) => !isTotalChannel(c));
    groups.push(...groupBySideOrComponent(bucketKey, rest));
    if (totals.length > 0) {
      groups.push(makeGroup(`${bucketKey}|totals`, totals, 'Totals', totals.length > 1 ? 'side' : 'position'));
    }
  }
  return groups;
}

function groupBySideOrComponent(bucketKey: string, channels: ChannelData[]): ChannelGroup[] {
  if (channels.length === 0) return [];
  const parts = channels.map((c) => ({ channel: c, ...splitSide(c) }));
  const sides = new Set(parts.map((p) => p.side ?? ''));
  const sidesByComponent = new Map<string, Set<string>>();
  for (const p of parts) sidesByComponent.set(p.component, (sidesByComponent.get(p.component) ?? new Set()).add(p.side ?? ''));
  const paired = sides.size >= 2 && [...sidesByComponent.values()].every((s) => s.size >= 2);

  const byKey = new Map<string, ChannelData[]>();
  for (const p of parts) {
    const key = paired ? `component:${p.component}` : `side:${p.side ?? ''}`;
    byKey.set(key, [...(byKey.get(key) ?? []), p.channel]);
  }
  return [...byKey.entries()].map(([key, members]) => {
    if (paired) {
      const component = key.slice('component:'.length);
      const sideNames = members.map((m) => sideLabel(splitSide(m).side) ?? m.name);
      return makeGroup(`${bucketKey}|${key}`, members, `${humaniseComponent(component)} · ${sideNames.join(' vs ')}`, 'side', true);
    }
    return makeGroup(`${bucketKey}|${key}`, members, sideLabel(splitSide(members[0]).side), 'position');
  });
}

function makeGroup(key: string, channels: ChannelData[], head: string | null, colourBy: ChannelGroup['colourBy'], titleIsFull = false): ChannelGroup {
  const first = channels[0];
  const side = channels.every((c) => c.side === first.side) ? first.side : null;
  const names = summariseNames(channels.map((c) => c.name));
  const title = titleIsFull && head ? head : head ? `${head} · ${names}` : names;
  return { key, domain: first.domain, unit: first.unit, side, title, colourBy, channels };
}

export function domainAxisTitle(domain: Domain): string {
  if (domain === 'stance') return '% stance';
  if (domain === 'cycle') return '% gait cycle';
  return 'Time (s)';
}

/** The y-axis title: the quantity when the unit names one, always the unit. */
export function valueAxisTitle(unit: string): string {
  if (!unit) return 'Value (no unit)';
  const quantity = quantityOf(unit);
  return quantity ? `${quantity} (${unit})` : unit;
}
