// A detector's parameters as words, so the user sees what produced the events: onN 120 → "on 120 N",
// baselineWindowS 4 → "baseline window 4 s" (the unit is the name's suffix, as the house style names them).
import { formatNumber } from '../../lib/format';

const UNIT_SUFFIXES: [RegExp, string][] = [
  [/DegS$/, '°/s'],
  [/Hz$/, 'Hz'],
  [/Ms$/, 'ms'],
  [/Mps$/, 'm/s'],
  [/Pct$/, '%'],
  [/Deg$/, '°'],
  [/N$/, 'N'],
  [/S$/, 's'],
  [/G$/, 'g'],
];

export function splitParamName(key: string): { words: string; unit: string } {
  for (const [pattern, unit] of UNIT_SUFFIXES) {
    // The suffix must follow a lower-case letter or digit: "minGapS", not a whole upper-case name.
    if (pattern.test(key) && /[a-z0-9]$/.test(key.replace(pattern, ''))) {
      return { words: camelToWords(key.replace(pattern, '')), unit };
    }
  }
  return { words: camelToWords(key), unit: '' };
}

/** Event abbreviations inside a name stay capitals: icMaxDegS → "IC max". */
const EVENT_WORDS = new Set(['ic', 'fc', 'ms', 'hs']);

function camelToWords(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim()
    .split(' ')
    .map((w) => (EVENT_WORDS.has(w) ? w.toUpperCase() : w))
    .join(' ');
}

export function formatParam(key: string, value: unknown): string {
  const { words, unit } = splitParamName(key);
  let text: string;
  if (typeof value === 'number') text = formatNumber(value);
  else if (typeof value === 'string' || typeof value === 'boolean') text = String(value);
  else text = JSON.stringify(value);
  return unit ? `${words} ${text} ${unit}` : `${words} ${text}`;
}

/** "InsoleEvents · on fraction 0.1 · off fraction 0.05 · baseline window 4 s" */
export function describeDetector(detector: { name: string; params: Record<string, unknown> }): string {
  return [detector.name, ...Object.entries(detector.params).map(([k, v]) => formatParam(k, v))].join(' · ');
}
