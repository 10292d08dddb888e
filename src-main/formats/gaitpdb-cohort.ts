// What the gaitpdb file names and demographics codes mean (PhysioNet gaitpdb format.txt).

export const GAITPDB_COHORT = 'gaitpdb';

export function gaitpdbGroup(code: 'Co' | 'Pt' | string): string {
  return code === 'Pt' ? 'PD' : 'control';
}

const STUDIES: Record<string, string> = {
  Ga: 'Ga study: dual tasking (Yogev et al. 2005)',
  Ju: 'Ju study: rhythmic auditory stimulation (Hausdorff et al. 2007)',
  Si: 'Si study: treadmill walking (Frenkel-Toledo et al. 2005)',
};

export function gaitpdbStudy(code: string): { code: string; label: string } {
  return { code, label: STUDIES[code] ?? `${code} study` };
}
