// Spatiotemporal parameter names as a clinician reads them, in the order gait reports list them.

const LABELS: Record<string, string> = {
  stride_time: 'Stride time',
  step_time: 'Step time',
  cadence: 'Cadence',
  stance: 'Stance phase',
  stance_pct: 'Stance phase',
  stance_time: 'Stance time',
  swing: 'Swing phase',
  swing_pct: 'Swing phase',
  swing_time: 'Swing time',
  double_support: 'Double support',
  double_support_pct: 'Double support',
  single_support: 'Single support',
  single_support_pct: 'Single support',
  stride_length: 'Stride length',
  step_length: 'Step length',
  walking_speed: 'Walking speed',
  speed: 'Walking speed',
};

const ORDER = ['stride_time', 'step_time', 'cadence', 'stance_time', 'swing_time', 'stance', 'swing', 'double_support', 'single_support', 'stride_length', 'step_length', 'walking_speed'];

function baseName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
    .replace(/_(pct|percent|s|ms|time_s)$/, (m) => (m === '_time_s' ? '_time' : ''));
}

export function parameterLabel(name: string): string {
  const key = baseName(name);
  const known = LABELS[name] ?? LABELS[key];
  if (known) return known;
  const words = key.replace(/_+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : name;
}

/** Sort key: the usual report order first, then the server's order. */
export function parameterRank(name: string): number {
  const i = ORDER.indexOf(baseName(name).replace(/_pct$/, ''));
  return i < 0 ? ORDER.length : i;
}
