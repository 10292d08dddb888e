// Foot contacts from a force signal by threshold with hysteresis: contact starts when the force rises above the
// "on" level and ends when it falls below the (lower) "off" level, so noise between the two cannot chatter.
// Crossing times are interpolated linearly between the two samples that straddle the level.

/** One contact, sample positions (fractional). `start` is null when the trial begins in contact, `end` when it ends in contact. */
export interface Contact {
  start: number | null;
  end: number | null;
  /** The on / off level at the interpolated crossing. */
  startLevel: number | null;
  endLevel: number | null;
  /** Largest force minus the on level, over the contact. */
  peakAboveOn: number;
}

export interface ContactOptions {
  /** A level per sample or one for all. `on` must be ≥ `off` everywhere. */
  on: Float64Array | number;
  off: Float64Array | number;
  /** Contacts shorter than this many samples are removed (a brush or a spike). */
  minContactSamples: number;
  /** Gaps shorter than this many samples between two contacts are closed (one contact that dipped below off). */
  minGapSamples: number;
}

const levelAt = (level: Float64Array | number, i: number) => (typeof level === 'number' ? level : level[i]);

/** Position where f − level changes sign between samples i − 1 and i (level varies linearly in between). */
function crossing(f: ArrayLike<number>, level: Float64Array | number, i: number): { at: number; level: number } {
  const d0 = f[i - 1] - levelAt(level, i - 1), d1 = f[i] - levelAt(level, i);
  const frac = d1 === d0 ? 1 : d0 / (d0 - d1);
  const l0 = levelAt(level, i - 1), l1 = levelAt(level, i);
  return { at: i - 1 + frac, level: l0 + frac * (l1 - l0) };
}

export function detectContacts(force: ArrayLike<number>, options: ContactOptions): Contact[] {
  const { on, off } = options;
  const n = force.length;
  const contacts: Contact[] = [];
  if (n === 0) return contacts;
  let current: Contact | null = force[0] > levelAt(on, 0)
    ? { start: null, end: null, startLevel: null, endLevel: null, peakAboveOn: force[0] - levelAt(on, 0) }
    : null;
  for (let i = 1; i < n; i++) {
    const f = force[i];
    if (current === null) {
      if (f > levelAt(on, i)) {
        const c = crossing(force, on, i);
        current = { start: c.at, end: null, startLevel: c.level, endLevel: null, peakAboveOn: f - levelAt(on, i) };
      }
    } else {
      current.peakAboveOn = Math.max(current.peakAboveOn, f - levelAt(on, i));
      if (f < levelAt(off, i)) {
        const c = crossing(force, off, i);
        current.end = c.at;
        current.endLevel = c.level;
        contacts.push(current);
        current = null;
      }
    }
  }
  if (current) contacts.push(current);
  return cleanContacts(contacts, options);
}

function cleanContacts(contacts: Contact[], { minContactSamples, minGapSamples }: ContactOptions): Contact[] {
  // Close short gaps first, so a contact that dipped below `off` for a moment is one contact, not two short ones.
  const merged: Contact[] = [];
  for (const c of contacts) {
    const prev = merged[merged.length - 1];
    if (prev && prev.end !== null && c.start !== null && c.start - prev.end < minGapSamples) {
      prev.end = c.end;
      prev.endLevel = c.endLevel;
      prev.peakAboveOn = Math.max(prev.peakAboveOn, c.peakAboveOn);
    } else merged.push({ ...c });
  }
  return merged.filter((c) => c.start === null || c.end === null || c.end - c.start >= minContactSamples);
}
