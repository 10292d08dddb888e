// Event lists of a synthetic walk with exactly known timing, for the cycle and parameter tests.
import type { FootSide, GaitEvent, GaitEventLabel } from '../../src-shared/signal/events';

export const ev = (label: GaitEventLabel, side: FootSide, timeS: number): GaitEvent =>
  ({ label, side, timeS, source: 'test', confidence: 1, params: {} });

/**
 * Both feet: left ICs at t0 + k·stride, right ICs half a stride later, each foot's FC at IC + stance·stride.
 * With stance 0.6 the double support is 2 × 0.1 of the stride.
 */
export function symmetricWalk(strides: number, strideS = 1.1, stance = 0.6, t0 = 1): GaitEvent[] {
  const out: GaitEvent[] = [];
  for (let k = 0; k < strides; k++) {
    for (const [side, offset] of [['left', 0], ['right', 0.5]] as const) {
      const ic = t0 + (k + offset) * strideS;
      out.push(ev('initial_contact', side, ic), ev('final_contact', side, ic + stance * strideS));
    }
  }
  return out.sort((a, b) => a.timeS - b.timeS);
}
