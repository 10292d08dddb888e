// Kinetics on the gait graph are shown per kilogram of body mass (moments N·m/kg, powers W/kg), as clinical reports
// show them. Plug-in-Gait writes moments in N·mm (often already per kg, though the file's unit says N·mm); GaitLab
// trusts the stored unit: a value whose unit has no "/kg" is divided by the subject's mass when it is known.

export interface KineticsScale { factor: number; unit: string; note: string | null }

const MOMENT = /^N[·.]?(mm|m)(\/kg)?$/i;
const POWER = /^(mW|W)(\/kg)?$/i;

/** The factor that takes a stored kinetics unit to N·m/kg or W/kg; null for units that are not moments or powers. */
export function kineticsScale(unit: string, bodyMassKg: number | null): KineticsScale | null {
  const m = MOMENT.exec(unit.replace(/\s/g, ''));
  const p = POWER.exec(unit.replace(/\s/g, ''));
  if (!m && !p) return null;
  const [base, perKg] = m ? ['N·m', !!m[2]] : ['W', !!p![2]];
  const toSi = m ? (m[1].toLowerCase() === 'mm' ? 1e-3 : 1) : (p![1] === 'mW' ? 1e-3 : 1);
  if (perKg) return { factor: toSi, unit: `${base}/kg`, note: null };
  if (bodyMassKg !== null && bodyMassKg > 0) return { factor: toSi / bodyMassKg, unit: `${base}/kg`, note: `divided by body mass ${bodyMassKg} kg` };
  return { factor: toSi, unit: base, note: 'body mass unknown: not normalised' };
}
