// The live estimate of gait events and cadence while an insole records: a running detector on the decimated
// stream the live view receives (~50 points/s per device), one point at a time, with bounded memory. It follows
// InsoleEvents' rule (hysteresis above each foot's baseline, scaled to its load), but with what a stream allows:
// the baseline is the minimum and the load the range (max − min) over the last windowS, instead of the trial's
// running minimum and median stance force. Labelled as the live estimate everywhere it is shown; the stored trial
// gets InsoleEvents afterwards. Times are the device clock, so the estimate holds when a simulator plays fast.
import { LiveCadence } from './live-cadence';
import { livePointOrder } from './live-point';
import type { FootSide } from './types';

export interface LiveInsoleParams {
  /** Contact starts at baseline + onFraction × the load range of the window. */
  onFraction: number;
  /** Contact ends at baseline + offFraction × the load range (≤ onFraction). */
  offFraction: number;
  /** Window over which baseline and load range are taken, s (longer than the slowest stride). */
  windowS: number;
  /** No event until the window holds this much signal, s. */
  warmupS: number;
  /** A range below this is not walking (an unloaded or dead insole), N. */
  minRangeN: number;
  /** A contact is reported once it has lasted this long (shorter ones are dropped, as InsoleEvents does), s. */
  minContactS: number;
  /** Cadence from the initial contacts of both feet in this last stretch, s. */
  cadenceWindowS: number;
  /** A longer hole in a foot's stream (lost samples, a dropped link) restarts its detector and the cadence, s. */
  maxGapS: number;
}

export const LIVE_INSOLE_DEFAULTS: LiveInsoleParams = {
  onFraction: 0.1, offFraction: 0.05, windowS: 4, warmupS: 1.5, minRangeN: 20, minContactS: 0.15, cadenceWindowS: 10, maxGapS: 0.5,
};

export interface LiveGaitEvent {
  label: 'initial_contact' | 'final_contact';
  side: FootSide;
  /** Device time of the crossing, s. */
  timeS: number;
}

/** A fixed-capacity ring of (time, value) pairs: the window never grows past its capacity. */
class TimeRing {
  private readonly t: Float64Array;
  private readonly v: Float64Array;
  private start = 0;
  size = 0;

  constructor(capacity: number) {
    this.t = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
  }

  push(timeS: number, value: number): void {
    const cap = this.t.length;
    if (this.size === cap) { this.start = (this.start + 1) % cap; this.size--; }
    const at = (this.start + this.size) % cap;
    this.t[at] = timeS;
    this.v[at] = value;
    this.size++;
  }

  /** Drops points older than `fromS`. */
  trim(fromS: number): void {
    while (this.size > 0 && this.t[this.start] < fromS) { this.start = (this.start + 1) % this.t.length; this.size--; }
  }

  clear(): void {
    this.start = 0;
    this.size = 0;
  }

  oldestS(): number { return this.size ? this.t[this.start] : NaN; }

  range(): { min: number; max: number } {
    let min = Infinity, max = -Infinity;
    for (let i = 0; i < this.size; i++) {
      const x = this.v[(this.start + i) % this.v.length];
      if (x < min) min = x;
      if (x > max) max = x;
    }
    return { min, max };
  }
}

interface FootState {
  window: TimeRing;
  inContact: boolean;
  /** Start of the contact not yet reported (it has not lasted minContactS), s. */
  pendingStartS: number | null;
  lastS: number;
  lastF: number;
}

/** Points per foot the window may hold: the stream is ≤ 50 points/s, 4× margin for bursts and faster devices. */
const WINDOW_POINTS_PER_S = 200;

export class LiveInsoleGait {
  readonly params: LiveInsoleParams;
  private readonly feet: Record<FootSide, FootState>;
  private readonly cadence: LiveCadence;

  constructor(params: Partial<LiveInsoleParams> = {}) {
    this.params = { ...LIVE_INSOLE_DEFAULTS, ...params };
    const { onFraction, offFraction, windowS } = this.params;
    if (!(onFraction >= offFraction && offFraction > 0)) throw new RangeError(`need onFraction ≥ offFraction > 0, got ${onFraction} and ${offFraction}`);
    if (!(windowS > 0)) throw new RangeError(`need windowS > 0, got ${windowS}`);
    const capacity = Math.ceil(windowS * WINDOW_POINTS_PER_S);
    const foot = (): FootState => ({ window: new TimeRing(capacity), inContact: false, pendingStartS: null, lastS: NaN, lastF: NaN });
    this.feet = { left: foot(), right: foot() };
    this.cadence = new LiveCadence(this.params.cadenceWindowS);
  }

  /** One point of a foot's total force (N) at device time `timeS`; returns the events it completes. */
  push(side: FootSide, timeS: number, forceN: number): LiveGaitEvent[] {
    const p = this.params;
    const st = this.feet[side];
    const order = livePointOrder(st.lastS, timeS, forceN, p.maxGapS);
    if (order === 'skip') return [];
    if (order === 'after-gap') {
      // Whatever happened in the hole is unknown: no crossing is interpolated across it, no stride spans it.
      st.window.clear();
      st.inContact = false;
      st.pendingStartS = null;
      st.lastF = NaN;
      this.cadence.clear();
    }
    st.window.push(timeS, forceN);
    st.window.trim(timeS - p.windowS);
    const out: LiveGaitEvent[] = [];
    const { min, max } = st.window.range();
    const range = max - min;
    const warm = timeS - st.window.oldestS() >= p.warmupS && range >= p.minRangeN;
    if (warm) {
      const on = min + p.onFraction * range;
      const off = min + p.offFraction * range;
      // Crossing times interpolated between the two points, as InsoleEvents interpolates between samples.
      const cross = (level: number) => st.lastS + ((level - st.lastF) / (forceN - st.lastF)) * (timeS - st.lastS);
      if (!st.inContact && forceN > on) {
        st.inContact = true;
        // A contact already under way when the detector warms up (or resumes after a hole) has no known start:
        // it gives its final contact, not an initial one.
        st.pendingStartS = st.lastF <= on ? cross(on) : null;
      } else if (st.inContact && forceN < off) {
        st.inContact = false;
        const endS = st.lastF >= off ? cross(off) : timeS;
        if (st.pendingStartS === null) out.push({ label: 'final_contact', side, timeS: endS });
        st.pendingStartS = null;
      }
      if (st.inContact && st.pendingStartS !== null && timeS - st.pendingStartS >= p.minContactS) {
        out.push({ label: 'initial_contact', side, timeS: st.pendingStartS });
        this.cadence.add(st.pendingStartS, side);
        st.pendingStartS = null;
      }
    }
    st.lastS = timeS;
    st.lastF = forceN;
    return out;
  }

  /** Steps per minute from the initial contacts of both feet in the last cadenceWindowS; null with fewer than 3. */
  cadenceStepsPerMin(): number | null {
    return this.cadence.stepsPerMin();
  }
}
