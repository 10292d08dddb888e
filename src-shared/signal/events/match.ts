// Agreement of detected events with reference annotations, as event-detection studies report it (e.g. Rampp et
// al. 2015; Voisard et al. 2024): each annotation takes the nearest detection not yet taken within a tolerance;
// the rest are misses (annotations) and false detections (detections).

export interface EventMatch {
  /** Detected − annotated, s, one per matched annotation, in the annotations' order. */
  errorsS: number[];
  /** Annotation times no detection matched, s. */
  missedS: number[];
  /** Detection times no annotation claimed, s. */
  unmatchedS: number[];
}

/** Greedy nearest matching in annotation order (the annotations of one foot are ≥ 0.4 s apart, so order does not matter). */
export function matchEvents(annotatedS: readonly number[], detectedS: readonly number[], toleranceS: number): EventMatch {
  const used = new Uint8Array(detectedS.length);
  const errorsS: number[] = [], missedS: number[] = [];
  for (const a of annotatedS) {
    let best = -1;
    for (let k = 0; k < detectedS.length; k++) {
      const d = Math.abs(detectedS[k] - a);
      if (!used[k] && d <= toleranceS && (best < 0 || d < Math.abs(detectedS[best] - a))) best = k;
    }
    if (best < 0) missedS.push(a);
    else {
      used[best] = 1;
      errorsS.push(detectedS[best] - a);
    }
  }
  return { errorsS, missedS, unmatchedS: detectedS.filter((_, k) => !used[k]) };
}
