import type { FormatModule } from './format';
import { gaitpdbDemographics } from './gaitpdb-demographics';
import { gaitpdbWalk } from './gaitpdb-walk';
import { horstMat } from './horst-mat';
import { c3dFormat } from './c3d-format';
import { amtiAsc } from './amti-asc';
import { kistlerBiowareDat, kistlerBiowareText } from './kistler-bioware';
import { motionAnalysisAnc, motionAnalysisCal } from './motion-analysis-anc';
import { gaitrecGrfFormat } from './gaitrec-grf';
import { hugadb } from './hugadb';
import { daphnet } from './daphnet';
import { voisardEvents, xsensVoisardSignal } from './xsens-voisard';
import { apdmOpal } from './apdm-opal';
import { gaitrecMetadataFormat } from './gaitrec-metadata';
import { opensimTrc } from './opensim-trc';
import { opensimStorage } from './opensim-storage';
import { shimmer3Sd } from './shimmer3-sd';

/** Every format GaitLab imports. Detection is by content; the name only raises confidence. */
export const formats: FormatModule[] = [gaitpdbDemographics, gaitpdbWalk, horstMat, gaitrecMetadataFormat, gaitrecGrfFormat,
  amtiAsc, kistlerBiowareText, kistlerBiowareDat, motionAnalysisAnc, motionAnalysisCal,
  hugadb, daphnet, voisardEvents, xsensVoisardSignal, apdmOpal, c3dFormat, opensimTrc, opensimStorage, shimmer3Sd];

const MIN_CONFIDENCE = 0.5;

export function detectFormat(name: string, head: Buffer): FormatModule | null {
  let best: FormatModule | null = null;
  let bestScore = MIN_CONFIDENCE;
  for (const f of formats) {
    const score = f.detect(name, head);
    if (score >= bestScore && (best === null || score > bestScore)) {
      best = f;
      bestScore = score;
    }
  }
  return best;
}
