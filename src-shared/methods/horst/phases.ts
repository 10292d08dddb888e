// Names the most relevant moments of a relevance map in words ("terminal stance, affected vertical force"), as
// the UI asks (methods-spec §5.1.8). Phases from the curve's percentage, by the table below (Perry &
// Burnfield, Gait Analysis, 2nd ed. 2010: loading response 0–10 %, mid stance 10–30 %, terminal stance
// 30–50 %, pre-swing 50–60 % of the gait cycle, swing 60–100 %; for curves over stance, the same stance
// phases rescaled to 0–100 % of stance: 0–17, 17–50, 50–83, 83–100).

export type CurveSpan = 'stance' | 'gait_cycle';

export interface PhaseBand { name: string; fromPct: number; toPct: number }

/** Phase bands over 0–100 % of the curve's span, in order; a sample at pct falls in the band with fromPct ≤ pct < toPct (the last band includes 100). */
export const PHASES: Record<CurveSpan, readonly PhaseBand[]> = {
  stance: [
    { name: 'loading response', fromPct: 0, toPct: 17 },
    { name: 'mid stance', fromPct: 17, toPct: 50 },
    { name: 'terminal stance', fromPct: 50, toPct: 83 },
    { name: 'pre-swing', fromPct: 83, toPct: 100 },
  ],
  gait_cycle: [
    { name: 'loading response', fromPct: 0, toPct: 10 },
    { name: 'mid stance', fromPct: 10, toPct: 30 },
    { name: 'terminal stance', fromPct: 30, toPct: 50 },
    { name: 'pre-swing', fromPct: 50, toPct: 60 },
    { name: 'initial swing', fromPct: 60, toPct: 73 },
    { name: 'mid swing', fromPct: 73, toPct: 87 },
    { name: 'terminal swing', fromPct: 87, toPct: 100 },
  ],
};

export function phaseAt(span: CurveSpan, pct: number): PhaseBand {
  const bands = PHASES[span];
  return bands.find((b) => pct >= b.fromPct && pct < b.toPct) ?? bands[bands.length - 1];
}

/** A channel name in words: `affected_vertical` → "affected vertical force", `R3` stays "R3". */
export function channelInWords(name: string): string {
  const words = name.replace(/_/g, ' ').replace(/\bfore aft\b/, 'fore-aft').replace(/\bmedial lateral\b/, 'medial-lateral').trim();
  return /\b(vertical|fore-aft|medial-lateral|anterior-posterior)$/.test(words) ? `${words} force` : words;
}

export interface RelevantPhase {
  channel: string;
  phase: string;
  /** Sum of the relevance over the phase's samples of that channel. */
  relevance: number;
  /** "terminal stance, affected vertical force". */
  words: string;
}

/**
 * The `count` (channel, phase) cells with the largest summed positive relevance, largest first: the phases that
 * spoke most for the explained class. Relevance is channel × time, each row `samples` long over 0–100 %.
 */
export function mostRelevantPhases(relevance: readonly (readonly number[])[], channels: readonly string[], span: CurveSpan, count = 3): RelevantPhase[] {
  const cells: RelevantPhase[] = [];
  relevance.forEach((row, c) => {
    const sums = new Map<string, number>();
    row.forEach((r, t) => {
      const name = phaseAt(span, (t / (row.length - 1)) * 100).name;
      sums.set(name, (sums.get(name) ?? 0) + r);
    });
    for (const [phase, sum] of sums) cells.push({ channel: channels[c], phase, relevance: sum, words: `${phase}, ${channelInWords(channels[c])}` });
  });
  return cells.filter((x) => x.relevance > 0).sort((a, b) => b.relevance - a.relevance).slice(0, count);
}
