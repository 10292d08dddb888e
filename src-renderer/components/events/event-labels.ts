// How gait events read and look: a word and an abbreviation per label, one hue per label, the side as its shade
// (left the full colour, right a lighter tint: the signals already use red/blue for left/right).
import type { GaitEventDto } from '../../../src-shared/api/schema';

export const KNOWN_EVENT_LABELS = ['initial_contact', 'final_contact', 'mid_swing'] as const;
export const EVENT_SIDES = ['left', 'right', 'both'] as const;
export type EventSide = (typeof EVENT_SIDES)[number] | null;

const WORDS: Record<string, { name: string; short: string; left: string; right: string }> = {
  initial_contact: { name: 'Initial contact', short: 'IC', left: '#157a3c', right: '#72c48f' },
  final_contact: { name: 'Final contact', short: 'FC', left: '#b45309', right: '#f2a65a' },
  mid_swing: { name: 'Mid-swing', short: 'MS', left: '#5b3fa6', right: '#a992e3' },
};
const OTHER = { left: '#4b5563', right: '#9ca3af' };

export function eventLabelName(label: string): string {
  const known = WORDS[label];
  if (known) return known.name;
  const words = label.replace(/_+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : label;
}

export function eventShort(label: string): string {
  return WORDS[label]?.short ?? eventLabelName(label);
}

export function eventSideName(side: string | null): string {
  if (side === 'left') return 'Left';
  if (side === 'right') return 'Right';
  if (side === 'both') return 'Both';
  return side ?? '—';
}

export function eventColour(label: string, side: string | null): string {
  const palette = WORDS[label] ?? OTHER;
  return side === 'right' ? palette.right : palette.left;
}

/** "IC left 3.214 s" */
export function describeEvent(e: Pick<GaitEventDto, 'label' | 'side' | 'timeS'>): string {
  return `${eventShort(e.label)}${e.side ? ` ${e.side}` : ''} at ${e.timeS.toFixed(3)} s`;
}

/** What the API accepts as a label: lower-case words joined by _. */
export const VALID_LABEL = /^[a-z_]+$/;

/** Labels to offer when adding or relabelling: the known three and any other valid ones the trial already has. */
export function labelChoices(events: readonly GaitEventDto[]): string[] {
  const labels: string[] = [...KNOWN_EVENT_LABELS];
  for (const e of events) if (!labels.includes(e.label) && VALID_LABEL.test(e.label)) labels.push(e.label);
  return labels;
}
