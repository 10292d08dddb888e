// Synthetic GaitRec curve files of realistic size and form, for npm run bench:gaitrec and the reader's
// equivalence test. GaitRec holds 75,732 trials per side (Horsak et al. 2020): its PRO files have one row per
// trial of 101 samples (≈ 70–80 MB each), its RAW files rows of each trial's own length, padded with NaN to the
// longest. Values are written as the releases write them (plain decimals, up to 6 places for PRO, 2 for RAW
// newtons), with a few in exponent notation and negative zeros, so the slow path is exercised too.
// Deterministic (a fixed linear congruential generator): the same arguments give the same bytes.

export type CurveKind = 'PRO' | 'RAW';

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** `GRF_F_V_<kind>_left.csv` bytes with `rows` trials; `lineEnding` '\r\n' as in the Gutenberg files. */
export function generateCurveFile(kind: CurveKind, rows: number, options: { seed?: number; lineEnding?: string; rawColumns?: number } = {}): Buffer {
  const random = lcg(options.seed ?? 20);
  const eol = options.lineEnding ?? '\n';
  const columns = kind === 'PRO' ? 101 : options.rawColumns ?? 400;
  const header = ['SUBJECT_ID', 'SESSION_ID', 'TRIAL_ID', ...Array.from({ length: columns }, (_, i) => `F_V_${kind}_${i + 1}`)];
  const lines: string[] = [header.join(',')];
  let subject = 1, session = 1000, trial = 0;
  for (let r = 0; r < rows; r++) {
    // About 33 trials per session and 2.5 sessions per subject, as in GaitRec.
    trial++;
    if (trial > 33 || random() < 0.03) { trial = 1; session++; if (random() < 0.4) subject++; }
    const bodyWeightN = 500 + 400 * random();
    const length = kind === 'PRO' ? columns : Math.max(2, Math.round(columns * (0.5 + 0.5 * random())));
    const fields: string[] = [String(subject), String(session), String(trial)];
    for (let i = 0; i < columns; i++) {
      if (i >= length) { fields.push('NaN'); continue; }
      const x = i / (length - 1);
      // Two-humped vertical force: the shape matters little, the digits do.
      const shape = Math.sin(Math.PI * x) * (1 + 0.25 * Math.sin(3 * Math.PI * x)) + 0.01 * (random() - 0.5);
      const value = kind === 'PRO' ? shape : shape * bodyWeightN;
      const roll = random();
      if (roll < 0.002) fields.push(value.toExponential(6));
      else if (roll < 0.003) fields.push('-0');
      else fields.push(kind === 'PRO' ? String(Number(value.toFixed(6))) : value.toFixed(2));
    }
    lines.push(fields.join(','));
  }
  return Buffer.from(lines.join(eol) + eol, 'latin1');
}
