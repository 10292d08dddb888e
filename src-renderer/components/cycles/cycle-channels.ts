// Which channels the cycles view offers: a channel measured on both feet is one choice with both sides overlaid
// ("Total · L_total / R_total", "Sensor 3 · L3 / R3"); a channel of one side only is a choice of its own.
import type { ChannelData } from '../../../src-shared/api/schema';
import { humaniseComponent, isTotalChannel, splitSide } from '../../plots/channel-groups';

export type ChannelMeta = Pick<ChannelData, 'name' | 'unit' | 'side' | 'domain'>;

export interface CycleChannelOption {
  key: string;
  label: string;
  unit: string;
  channels: ChannelMeta[];
}

const NUMBERED_SENSOR = /^([LR])(\d+)$/i;

function sideAndComponent(channel: ChannelMeta): { side: string | null; component: string } {
  const sensor = NUMBERED_SENSOR.exec(channel.name);
  if (sensor) return { side: sensor[1].toUpperCase() === 'L' ? 'left' : 'right', component: `sensor ${sensor[2]}` };
  const { side, component } = splitSide(channel as ChannelData);
  return { side: normaliseSide(side), component };
}

function normaliseSide(side: string | null): string | null {
  const s = side?.toLowerCase() ?? null;
  if (s === 'l') return 'left';
  if (s === 'r') return 'right';
  if (s === 'aff') return 'affected';
  if (s === 'unaff') return 'unaffected';
  return s;
}

export function cycleChannelOptions(channels: readonly ChannelMeta[]): CycleChannelOption[] {
  const unique = new Map<string, ChannelMeta>();
  for (const c of channels) if (!unique.has(c.name)) unique.set(c.name, c);
  const byComponent = new Map<string, { component: string; members: ChannelMeta[]; sides: Set<string> }>();
  for (const channel of unique.values()) {
    const { side, component } = sideAndComponent(channel);
    const key = `${channel.unit}|${component.toLowerCase()}`;
    const entry = byComponent.get(key) ?? { component, members: [], sides: new Set<string>() };
    entry.members.push(channel);
    entry.sides.add(side ?? '');
    byComponent.set(key, entry);
  }
  const options: CycleChannelOption[] = [];
  for (const [key, { component, members, sides }] of byComponent) {
    if (members.length > 1 && sides.size === members.length) {
      options.push({ key, label: `${humaniseComponent(component)} · ${members.map((m) => m.name).join(' / ')}`, unit: members[0].unit, channels: members });
    } else {
      for (const m of members) options.push({ key: `${key}|${m.name}`, label: m.name, unit: m.unit, channels: [m] });
    }
  }
  // Totals first: the usual first look at insole or force-plate cycles.
  const total = (o: CycleChannelOption) => (o.channels.some((c) => isTotalChannel(c as ChannelData)) ? 0 : 1);
  return options.map((o, i) => ({ o, i })).sort((a, b) => total(a.o) - total(b.o) || a.i - b.i).map(({ o }) => o);
}
