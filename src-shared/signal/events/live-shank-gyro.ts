// The live estimate of gait events and cadence from a shank's sagittal angular velocity while an IMU records: the
// rule of ShankGyroEvents (Aminian et al. 2002; Salarian et al. 2004) run one point at a time on the display
// stream, with bounded memory. A mid-swing (MS) is the peak of a lobe above msMinDegS, reported when the lobe has
// fallen back below half that; the initial contact (IC) is the first minimum after it below icMaxDegS, reported once
// the signal has risen hysteresisDegS above it. Causal, so no zero-phase filter: the hysteresis stands in for the
// low-pass. The sign of forward swing is found from the data (the swing peak is the largest excursion of a walking
// shank), as ShankGyroEvents' 'auto' does. Labelled as the live estimate wherever it is shown; the stored trial gets
// its detector afterwards.
import { LiveCadence } from './live-cadence';
import { livePointOrder } from './live-point';
import type { LiveGaitEvent } from './live-insole';
import type { FootSide } from './types';

export interface LiveShankGyroParams {
  /** A mid-swing peak exceeds this, deg/s (Salarian et al. 2004: 50). */
  msMinDegS: number;
  /** Two mid-swing peaks of one leg are at least this far apart, s. */
  minStrideS: number;
  /** IC is searched within this time after MS, s (Salarian et al. 2004: 1.5). */
  searchWindowS: number;
  /** IC is a minimum below this, deg/s. */
  icMaxDegS: number;
  /** A minimum counts once the signal has risen this much above it, deg/s. */
  hysteresisDegS: number;
  /** Window over which the swing's sign is judged, s; no event before it holds warmupS. */
  windowS: number;
  warmupS: number;
  cadenceWindowS: number;
  /** A longer hole in the stream restarts the leg's detector and the cadence, s. */
  maxGapS: number;
}

export const LIVE_SHANK_GYRO_DEFAULTS: LiveShankGyroParams = {
  msMinDegS: 50, minStrideS: 0.5, searchWindowS: 1.5, icMaxDegS: 20, hysteresisDegS: 10, windowS: 4, warmupS: 1.5, cadenceWindowS: 10, maxGapS: 0.5,
};

type Phase = 'idle' | 'swing' | 'after-swing';

interface LegState {
  phase: Phase;
  /** Decaying areas of the excursions each way (the sign's evidence), deg, and the last point's time. */
  forwardArea: number; backwardArea: number; prevS: number;
  firstS: number;
  lastS: number;
  peakW: number; peakT: number;
  lastMsT: number;
  troughW: number; troughT: number;
  /** +1 or −1 once the evidence says which way is forward; 0 before. */
  sign: number;
}

const fresh = (): LegState => ({ phase: 'idle', forwardArea: 0, backwardArea: 0, prevS: NaN, firstS: NaN, lastS: NaN, peakW: -Infinity, peakT: NaN, lastMsT: -Infinity, troughW: Infinity, troughT: NaN, sign: 0 });

export class LiveShankGyroGait {
  readonly params: LiveShankGyroParams;
  private readonly legs: Record<FootSide, LegState> = { left: fresh(), right: fresh() };
  private readonly cadence: LiveCadence;

  constructor(params: Partial<LiveShankGyroParams> = {}) {
    this.params = { ...LIVE_SHANK_GYRO_DEFAULTS, ...params };
    if (!(this.params.msMinDegS > 0)) throw new RangeError(`need msMinDegS > 0, got ${this.params.msMinDegS}`);
    this.cadence = new LiveCadence(this.params.cadenceWindowS);
  }

  /** One point of a leg's sagittal shank angular velocity (deg/s) at device time `timeS`; returns the events it completes. */
  push(side: FootSide, timeS: number, degS: number): LiveGaitEvent[] {
    const p = this.params;
    let st = this.legs[side];
    const order = livePointOrder(st.lastS, timeS, degS, p.maxGapS);
    if (order === 'skip') return [];
    if (order === 'after-gap') {
      st = this.legs[side] = fresh();
      this.cadence.clear();
    }
    st.lastS = timeS;
    return this.step(st, side, timeS, degS);
  }

  private step(st: LegState, side: FootSide, timeS: number, degS: number): LiveGaitEvent[] {
    const p = this.params;
    if (Number.isNaN(st.firstS)) st.firstS = timeS;
    // The sign's evidence: the area of each direction's excursions beyond msMinDegS, averaged over ~windowS. A swing
    // lobe is long (~0.4 s); the backward spike at contact can be as high but is brief, so peaks alone flip the sign.
    const dt = Number.isNaN(st.prevS) ? 0 : timeS - st.prevS;
    st.prevS = timeS;
    const decay = Math.exp(-dt / p.windowS);
    st.forwardArea = st.forwardArea * decay + Math.max(degS - p.msMinDegS, 0) * dt;
    st.backwardArea = st.backwardArea * decay + Math.max(-degS - p.msMinDegS, 0) * dt;
    // Sticky: the sign changes only on clear evidence (half as much again), not on one odd stretch.
    if (st.sign === 0) { if (st.forwardArea + st.backwardArea > 0) st.sign = st.forwardArea >= st.backwardArea ? 1 : -1; }
    else if (st.sign === 1 && st.backwardArea > 1.5 * st.forwardArea) st.sign = -1;
    else if (st.sign === -1 && st.forwardArea > 1.5 * st.backwardArea) st.sign = 1;
    if (timeS - st.firstS < p.warmupS) return [];
    if (st.sign === 0) return [];
    const sign = st.sign;
    const w = sign * degS;
    const out: LiveGaitEvent[] = [];
    if (st.phase === 'after-swing') {
      if (w > p.msMinDegS || timeS - st.peakT > p.searchWindowS) st.phase = 'idle';
      else if (w < st.troughW) { st.troughW = w; st.troughT = timeS; }
      else if (st.troughW < p.icMaxDegS && w >= st.troughW + p.hysteresisDegS) {
        out.push({ label: 'initial_contact', side, timeS: st.troughT });
        this.cadence.add(st.troughT, side);
        st.phase = 'idle';
      }
    }
    if (st.phase === 'idle' && w > p.msMinDegS) {
      st.phase = 'swing';
      st.peakW = w;
      st.peakT = timeS;
    } else if (st.phase === 'swing') {
      if (w > st.peakW) { st.peakW = w; st.peakT = timeS; }
      else if (w < p.msMinDegS / 2) {
        // The lobe is over: its peak is a mid-swing unless it comes too soon after the last one (a second hump).
        if (st.peakT - st.lastMsT >= p.minStrideS) {
          st.lastMsT = st.peakT;
          st.phase = 'after-swing';
          st.troughW = w;
          st.troughT = timeS;
        } else st.phase = 'idle';
      }
    }
    return out;
  }

  /** Steps per minute from the initial contacts in the last cadenceWindowS (one leg: a stride is two steps); null with fewer than 3. */
  cadenceStepsPerMin(): number | null {
    return this.cadence.stepsPerMin();
  }
}

/**
 * The sagittal shank gyroscope channels among a device's channel names, by GaitLab's names (`left_shank_gyro_y`)
 * or HuGaDB's (`gyro_ls_y`, `gyro_rs_y`; y is its flexion/extension axis); −1 where a leg has none.
 */
export function shankGyroChannels(names: readonly string[]): { left: number; right: number } {
  const find = (side: 'l' | 'r') => names.findIndex((n) => new RegExp(`^(${side === 'l' ? 'left' : 'right'}_shank_gyro_y|gyro_${side}s_y)$`, 'i').test(n));
  return { left: find('l'), right: find('r') };
}
