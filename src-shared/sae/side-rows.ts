// Curve trials whose channels come in left/right pairs (GaitRec / Gutenberg PRO files: `F_V_PRO_left`,
// `F_V_PRO_right`, …) as the sparse autoencoders take them (methods-spec §5.2.3): ONE sample per (trial, side),
// the side-neutral channels in the trial's order (`F_V_PRO`, …), the side kept as a tag of the row. And the
// medio-lateral mirror of §5.2.3 (`mirrorML: "auto"`): where the two sides' mean F_ML over the training samples
// have opposite signs, the left side's F_ML and COP_ML are multiplied by −1.

/** The rows of a dataset of time-normalised curves (src-main's CurveDataset extends it). */
export interface CurveRows {
  x: Float32Array;
  rows: number;
  features: number;
  labels: string[];
  subjects: string[];
  channels: string[];
  points: number;
}

export type Side = 'left' | 'right';

const SIDED = /^(.+)_(left|right)$/i;
/** §5.2.3's fixed channel order of a stacked GaitRec / Gutenberg sample. */
export const COMPONENT_ORDER = ['F_V', 'F_AP', 'F_ML', 'COP_AP', 'COP_ML'] as const;

/** The side-neutral pairs when EVERY channel is `<name>_left` or `<name>_right` and has its partner; else null. */
export function sidedChannelPairs(channels: readonly string[]): { name: string; left: number; right: number }[] | null {
  const pairs = new Map<string, { left: number; right: number }>();
  for (const [i, c] of channels.entries()) {
    const m = SIDED.exec(c);
    if (!m) return null;
    const p = pairs.get(m[1]) ?? pairs.set(m[1], { left: -1, right: -1 }).get(m[1])!;
    p[m[2].toLowerCase() as Side] = i;
  }
  // GaitRec / Gutenberg components in the spec's fixed order (F_V, F_AP, F_ML, COP_AP, COP_ML), whatever order the
  // trial's channels were stored in; any other channel after them, in its own order.
  const rank = (name: string, i: number) => {
    const c = COMPONENT_ORDER.findIndex((p) => new RegExp(`^${p}(_|$)`, 'i').test(name));
    return c >= 0 ? c : COMPONENT_ORDER.length + i;
  };
  const out = [...pairs].map(([name, p], i) => ({ name, ...p, rank: rank(name, i) })).sort((a, b) => a.rank - b.rank).map(({ rank: _rank, ...p }) => p);
  return out.length > 0 && out.every((p) => p.left >= 0 && p.right >= 0) ? out : null;
}

/**
 * One row per (trial, side): left then right for each trial row, channels side-neutral (GaitRec components in
 * §5.2.3's order). `sourceRow` is each new row's row in `data`. Null when the channels are not complete left/right pairs.
 */
export function oneRowPerSide<T extends CurveRows>(data: T): { data: T & { sides: Side[] }; sourceRow: number[] } | null {
  const pairs = sidedChannelPairs(data.channels);
  if (!pairs) return null;
  const P = data.points;
  const features = pairs.length * P;
  const x = new Float32Array(data.rows * 2 * features);
  const sides: Side[] = [];
  const sourceRow: number[] = [];
  for (let r = 0; r < data.rows; r++) {
    for (const side of ['left', 'right'] as const) {
      const out = sides.length;
      pairs.forEach((p, c) => x.set(data.x.subarray(r * data.features + p[side] * P, r * data.features + (p[side] + 1) * P), out * features + c * P));
      sides.push(side);
      sourceRow.push(r);
    }
  }
  return {
    data: { ...data, x, rows: sides.length, features, channels: pairs.map((p) => p.name), labels: sourceRow.map((r) => data.labels[r]), subjects: sourceRow.map((r) => data.subjects[r]), sides },
    sourceRow,
  };
}

/** Medio-lateral channels: F_ML (ground reaction force) and COP_ML, by the GaitRec / Gutenberg names. */
export const isForceMl = (name: string) => /(^|[^a-z])F_ML([^a-z]|$)/i.test(name);
export const isCopMl = (name: string) => /(^|[^a-z])COP_ML([^a-z]|$)/i.test(name);

/**
 * §5.2.3 `mirrorML: "auto"`: the mean over all training samples and points of the F_ML curves of each side; true
 * when the two means have opposite signs (then the left side's F_ML and COP_ML are mirrored). False without F_ML,
 * without samples of both sides, or when a mean is exactly 0 (no sign to compare).
 */
export function leftMlNeedsMirror(data: CurveRows & { sides?: readonly (Side | null)[] }, trainRows: readonly number[]): { mirror: boolean; meanLeft: number; meanRight: number } {
  const ml = data.channels.findIndex(isForceMl);
  const sum = { left: 0, right: 0 };
  const n = { left: 0, right: 0 };
  if (ml >= 0 && data.sides) {
    for (const r of trainRows) {
      const side = data.sides[r];
      if (side !== 'left' && side !== 'right') continue;
      const off = r * data.features + ml * data.points;
      for (let t = 0; t < data.points; t++) {
        const v = data.x[off + t];
        if (Number.isFinite(v)) { sum[side] += v; n[side]++; }
      }
    }
  }
  const meanLeft = n.left ? sum.left / n.left : NaN;
  const meanRight = n.right ? sum.right / n.right : NaN;
  return { mirror: meanLeft * meanRight < 0, meanLeft, meanRight };
}
