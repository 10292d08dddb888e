// Cadence of a live gait estimate: the initial contacts of the last few seconds, both feet or one.

import type { FootSide } from './types';

export class LiveCadence {
  /** Initial contacts within the window, s, oldest first. */
  private strikes: { timeS: number; side: FootSide }[] = [];

  constructor(private readonly windowS: number) {}

  add(timeS: number, side: FootSide): void {
    this.strikes.push({ timeS, side });
    this.strikes.sort((a, b) => a.timeS - b.timeS);
    const from = this.strikes[this.strikes.length - 1].timeS - this.windowS;
    while (this.strikes.length && this.strikes[0].timeS < from) this.strikes.shift();
  }

  clear(): void {
    this.strikes = [];
  }

  /**
   * Steps per minute from the initial contacts in the window; null with fewer than 3. With contacts of one foot
   * only (one shank sensor), a stride is two steps.
   */
  stepsPerMin(): number | null {
    const s = this.strikes;
    if (s.length < 3) return null;
    const span = s[s.length - 1].timeS - s[0].timeS;
    if (!(span > 0)) return null;
    const oneFoot = s.every((x) => x.side === s[0].side);
    return ((oneFoot ? 2 : 1) * (s.length - 1) / span) * 60;
  }
}
