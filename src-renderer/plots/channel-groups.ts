// Which channels share a plot: same x domain, same unit, same side — except totals (sums of a foot's
// sensors, resultants), which go together so left and right can be compared. For gaitpdb this gives
// "Left · L1–L8", "Right · R1–R8" and "Totals · left, right".
import type { ChannelData } from '../../src-shared/api/schema';

export type Domain = ChannelData['domain'];

export interface ChannelGroup {
  key: string;
  domain: Domain;
  unit: string;
  /** The side all channels share, or null when they differ or have none. */
  side: string | null;
  title: string;
  channels: ChannelData[];
}

const TOTAL_NAME = /\b(total|sum|resultant)\b|^(total|sum)|(total|sum)$/i;

export function isTotalChannel(channel: ChannelData): boolean {
  return TOTAL_NAME.test(channel.name);
}

export function sideLabel(side: string | null): string | null {
  if (!side) return null;
  const s = side.toLowerCase();
  if (s === 'left' || s === 'l') return 'Left';
  if (s === 'right' || s === 'r') return 'Right';
  if (s === 'both') return 'Both sides';
  return side;
}

/** Channel names in a few words: "L1–L8" for a numbered run, else up to three names. */
export function summariseNames(names: string[]): string {
  if (names.length <= 3) return names.join(', ');
  const numbered = names.map((n) => /^(.*?)(\d+)$/.exec(n));
  if (numbered.every((m) => m && m[1] === numbered[0]![1])) return `${names[0]}–${names[names.length - 1]}`;
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
}

export function groupChannels(channels: ChannelData[]): ChannelGroup[] {
  const groups = new Map<string, ChannelGroup>();
  for (const channel of channels) {
    const total = isTotalChannel(channel);
    const key = [channel.domain, channel.unit, total ? 'total' : `side:${channel.side ?? ''}`].join('|');
    let group = groups.get(key);
    if (!group) {
      group = { key, domain: channel.domain, unit: channel.unit, side: channel.side, title: '', channels: [] };
      groups.set(key, group);
    }
    if (group.side !== channel.side) group.side = null;
    group.channels.push(channel);
  }
  for (const group of groups.values()) {
    const names = summariseNames(group.channels.map((c) => c.name));
    const isTotals = group.key.endsWith('|total');
    const head = isTotals ? 'Totals' : sideLabel(group.side);
    group.title = head ? `${head} · ${names}` : names;
  }
  return [...groups.values()];
}

export function domainAxisTitle(domain: Domain): string {
  if (domain === 'stance') return '% stance';
  if (domain === 'cycle') return '% gait cycle';
  return 'Time (s)';
}

const QUANTITY_BY_UNIT: Record<string, string> = {
  N: 'Force',
  kN: 'Force',
  'N/kg': 'Force / body mass',
  BW: 'Force',
  '%BW': 'Force',
  'N·m': 'Moment',
  'N m': 'Moment',
  Nm: 'Moment',
  'N·m/kg': 'Moment / body mass',
  m: 'Position',
  mm: 'Position',
  'm/s': 'Velocity',
  'm/s²': 'Acceleration',
  'm/s^2': 'Acceleration',
  g: 'Acceleration',
  'deg/s': 'Angular velocity',
  '°/s': 'Angular velocity',
  'rad/s': 'Angular velocity',
  deg: 'Angle',
  '°': 'Angle',
  rad: 'Angle',
  V: 'Voltage',
  mV: 'Voltage',
  µV: 'Voltage',
  uV: 'Voltage',
  kPa: 'Pressure',
  W: 'Power',
  'W/kg': 'Power / body mass',
};

/** The y-axis title: the quantity when the unit names one, always the unit. */
export function valueAxisTitle(unit: string): string {
  if (!unit) return 'Value (no unit)';
  const quantity = QUANTITY_BY_UNIT[unit];
  return quantity ? `${quantity} (${unit})` : unit;
}
