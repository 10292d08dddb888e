// Which gait-event detector fits a trial, read from its channels: a recipe names the channels a detector
// needs, builds the detector's input from them, and says which channel each side's cycles are drawn from.
import {
  FootImuEvents, ForceThresholdEvents, InsoleEvents, ShankGyroEvents,
  type FootSide, type GaitEvent, type PerSide,
} from '../../src-shared/signal/events';

/** A decoded channel of a trial. */
export interface TrialChannel {
  name: string;
  unit: string;
  rateHz: number | null;
  domain: string;
  side: string | null;
  values: Float32Array;
}

export interface RecipeRun {
  events: GaitEvent[];
  /** The detector's parameters as it ran (defaults filled in). */
  params: Record<string, unknown>;
}

export interface Recipe {
  /** The detector's name, stored as the events' source. */
  name: string;
  /** What the recipe needs, for messages. */
  needs: string;
  matches(channels: Map<string, TrialChannel>): boolean;
  run(channels: Map<string, TrialChannel>, params: Record<string, number | string | boolean>): RecipeRun;
  /** The detector's parameters with their defaults: the names a request may set. */
  defaults(): Record<string, unknown>;
  /** Per side, the channel whose cycles and stances are time-normalised. */
  curves(channels: Map<string, TrialChannel>): PerSide<TrialChannel>;
}

const rateOf = (c: TrialChannel) => c.rateHz ?? NaN;

function pick(channels: Map<string, TrialChannel>, names: PerSide<string>): PerSide<TrialChannel> {
  const out: PerSide<TrialChannel> = {};
  for (const side of ['left', 'right'] as FootSide[]) {
    const name = names[side];
    const c = name ? channels.get(name) : undefined;
    if (c) out[side] = c;
  }
  return out;
}

/** gaitpdb insoles: each foot's total vertical force. */
const insole: Recipe = {
  name: InsoleEvents.source,
  needs: 'L_total and R_total (insole total force, N)',
  matches: (ch) => ch.get('L_total')?.unit === 'N' && ch.get('R_total')?.unit === 'N',
  curves: (ch) => pick(ch, { left: 'L_total', right: 'R_total' }),
  defaults: () => ({ ...new InsoleEvents().params }),
  run(ch, params) {
    const curves = pick(ch, { left: 'L_total', right: 'R_total' });
    const detector = new InsoleEvents(params);
    return { events: detector.run({ rateHz: rateOf(curves.left!), left: curves.left!.values, right: curves.right!.values }), params: { ...detector.params } };
  },
};

/**
 * Force plates: the vertical force of each plate. Which foot stood on a plate is not in the force data, so
 * plate events carry the side of the file's own events when they name one (see sideFromFileEvents), else none.
 */
const forcePlates: Recipe = {
  name: ForceThresholdEvents.source,
  needs: 'FPn_Fz (force-plate vertical force, N)',
  matches: (ch) => [...ch.values()].some((c) => /^FP\d+_Fz$/.test(c.name) && c.unit === 'N' && c.domain === 'time'),
  run(ch, params) {
    const detector = new ForceThresholdEvents(params);
    const events: GaitEvent[] = [];
    for (const c of [...ch.values()].filter((x) => /^FP\d+_Fz$/.test(x.name) && x.unit === 'N')) {
      // The detector works per foot; a plate is run as one "foot" and its events are labelled with the plate.
      const fz = Float32Array.from(c.values, (v) => Math.abs(v));
      for (const e of detector.run({ rateHz: rateOf(c), left: fz })) events.push({ ...e, params: { ...e.params, plate: c.name.split('_')[0] } });
    }
    return { events, params: { ...detector.params } };
  },
  // Stances on plates are drawn from the plate under the foot; which plate that is needs the events' plate.
  curves: () => ({}),
  defaults: () => ({ ...new ForceThresholdEvents().params }),
};

/** Foot-mounted IMUs (XSens on the dorsum: Gyr_Y is the medio-lateral axis). */
const footImu: Recipe = {
  name: FootImuEvents.source,
  needs: '<side>_foot_gyro_y and <side>_foot_acc_x/y/z (deg/s, m/s²)',
  matches: (ch) => ['left', 'right'].some((s) => ['gyro_y', 'acc_x', 'acc_y', 'acc_z'].every((k) => ch.has(`${s}_foot_${k}`))),
  run(ch, params) {
    const detector = new FootImuEvents(params);
    const input: Parameters<FootImuEvents['run']>[0] = { rateHz: NaN };
    for (const side of ['left', 'right'] as FootSide[]) {
      const g = ch.get(`${side}_foot_gyro_y`);
      const [x, y, z] = ['x', 'y', 'z'].map((a) => ch.get(`${side}_foot_acc_${a}`));
      if (!g || !x || !y || !z) continue;
      input.rateHz = rateOf(g);
      input[side] = { gyrMlDegS: g.values, accXMs2: x.values, accYMs2: y.values, accZMs2: z.values };
    }
    return { events: detector.run(input), params: { ...detector.params } };
  },
  curves: (ch) => pick(ch, { left: 'left_foot_gyro_y', right: 'right_foot_gyro_y' }),
  defaults: () => ({ ...new FootImuEvents().params }),
};

/**
 * Shank gyroscopes: sagittal angular velocity of each shank. In HuGaDB that is gyro y (its README: the dominant
 * flexion/extension axis; the sign is not documented and is taken as recorded).
 */
const SHANK_SAGITTAL: PerSide<string> = { left: 'left_shank_gyro_y', right: 'right_shank_gyro_y' };
const shankGyro: Recipe = {
  name: ShankGyroEvents.source,
  needs: '<side>_shank_gyro_y (sagittal shank angular velocity, deg/s)',
  matches: (ch) => ['left', 'right'].some((s) => ch.get(`${s}_shank_gyro_y`)?.unit === 'deg/s'),
  curves: (ch) => pick(ch, SHANK_SAGITTAL),
  defaults: () => ({ ...new ShankGyroEvents().params }),
  run(ch, params) {
    const curves = pick(ch, SHANK_SAGITTAL);
    const rate = rateOf((curves.left ?? curves.right)!);
    const input = { rateHz: rate, left: curves.left?.values, right: curves.right?.values };
    if (params.swingSign !== undefined) {
      const detector = new ShankGyroEvents(params);
      return { events: detector.run(input), params: { ...detector.params } };
    }
    // The sign of a shank gyroscope's sagittal axis depends on how the sensor was strapped on, and HuGaDB does
    // not document it: run both, keep the one whose strides have distinct contacts and a plausible stance.
    const runs = ([1, -1] as const).map((swingSign) => {
      const detector = new ShankGyroEvents({ ...params, swingSign });
      const events = detector.run(input);
      return { events, params: { ...detector.params, swingSignChosenBy: 'plausible stance (40–80 % of the stride)' }, score: plausibleStanceFraction(events) };
    });
    const best = runs[0].score >= runs[1].score ? runs[0] : runs[1];
    return { events: best.events, params: best.params };
  },
};

/** Share of strides (initial contact → next one, per side) with a final contact strictly inside at 40–80 %. */
function plausibleStanceFraction(events: GaitEvent[]): number {
  let strides = 0, plausible = 0;
  for (const side of ['left', 'right'] as FootSide[]) {
    const ic = events.filter((e) => e.side === side && e.label === 'initial_contact').map((e) => e.timeS);
    const fc = events.filter((e) => e.side === side && e.label === 'final_contact').map((e) => e.timeS);
    for (let k = 0; k + 1 < ic.length; k++) {
      strides++;
      const off = fc.find((t) => t > ic[k] && t < ic[k + 1]);
      if (off === undefined) continue;
      const stance = (100 * (off - ic[k])) / (ic[k + 1] - ic[k]);
      if (stance >= 40 && stance <= 80) plausible++;
    }
  }
  return strides ? plausible / strides : 0;
}

// Order matters where a trial fits several: HuGaDB has foot and shank IMUs, and its README recommends the shanks
// (FootImuEvents is tuned to XSens sensors on the dorsum).
export const recipes: Recipe[] = [insole, forcePlates, shankGyro, footImu];

export function recipeFor(channels: Map<string, TrialChannel>, name?: string): Recipe | null {
  if (name) return recipes.find((r) => r.name === name) ?? null;
  return recipes.find((r) => r.matches(channels)) ?? null;
}
