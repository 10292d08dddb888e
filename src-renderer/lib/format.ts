// How values read on screen: numbers with their units, attribute names as words, file names, hashes.
import type { SubjectSummary } from '../../src-shared/api/schema';

type AttributeValue = SubjectSummary['attributes'][string];

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });
const integerFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export function formatNumber(value: number | null | undefined, fractionDigits?: number): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (fractionDigits !== undefined) {
    return value.toLocaleString(undefined, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits });
  }
  return numberFormat.format(value);
}

export function formatCount(value: number): string {
  return integerFormat.format(value);
}

/** `{ value: 1.85, unit: 'm' }` → "1.85 m"; a missing value → "—". */
export function formatAttribute(attribute: AttributeValue | undefined): string {
  if (!attribute || attribute.value === null || attribute.value === '') return '—';
  const value = typeof attribute.value === 'number' ? formatNumber(attribute.value) : attribute.value;
  if (value === '—') return value;
  return attribute.unit ? `${value} ${attribute.unit}` : value;
}

const KNOWN_LABELS: Record<string, string> = {
  age: 'Age',
  bmi: 'BMI',
  hoehnyahr: 'Hoehn & Yahr',
  hoehn_yahr: 'Hoehn & Yahr',
  updrs: 'UPDRS',
  updrsm: 'UPDRS motor',
  updrs_m: 'UPDRS motor',
  tuag: 'Timed Up and Go',
  tug: 'Timed Up and Go',
  subjnum: 'Subject number',
  shoesize: 'Shoe size',
  shoe_size: 'Shoe size',
};

const ACRONYMS = new Set(['id', 'bmi', 'grf', 'cop', 'emg', 'imu', 'updrs', 'fog', 'hy', 'mat', 'csv']);

/** `heightM` / `walking_speed` / `UPDRS` → "Height m" / "Walking speed" / "UPDRS". */
export function attributeLabel(key: string): string {
  const known = KNOWN_LABELS[key.toLowerCase()];
  if (known) return known;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .filter(Boolean)
    .map((word) => (ACRONYMS.has(word.toLowerCase()) ? word.toUpperCase() : word));
  if (words.length === 0) return key;
  const [first, ...rest] = words;
  const head = first === first.toUpperCase() ? first : first[0].toUpperCase() + first.slice(1);
  return [head, ...rest.map((w) => (w === w.toUpperCase() ? w : w.toLowerCase()))].join(' ');
}

/** Attribute `age` in any capitalisation, or undefined. */
export function findAttribute(attributes: Record<string, AttributeValue>, name: string): AttributeValue | undefined {
  if (attributes[name]) return attributes[name];
  const lower = name.toLowerCase();
  const key = Object.keys(attributes).find((k) => k.toLowerCase() === lower);
  return key ? attributes[key] : undefined;
}

export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

export function shortHash(sha256: string | null, length = 10): string {
  return sha256 ? sha256.slice(0, length) : '—';
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toLocaleString(undefined, { maximumFractionDigits: value < 10 ? 1 : 0 })} ${units[unit]}`;
}

export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '—';
  return `${formatNumber(seconds, seconds < 10 ? 2 : 1)} s`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** Decimals that suit a unit: ms-resolution times, cadence to a tenth, percentages to a tenth. */
const DECIMALS_BY_UNIT: Record<string, number> = {
  s: 3,
  ms: 0,
  '%': 1,
  'steps/min': 1,
  '1/min': 1,
  'strides/min': 1,
  '°': 1,
  deg: 1,
  m: 2,
  'm/s': 2,
  cm: 1,
  N: 1,
  'N/kg': 2,
  Hz: 1,
};

export function decimalsFor(unit: string, value: number): number {
  const known = DECIMALS_BY_UNIT[unit];
  if (known !== undefined) return known;
  // Three significant digits for a unit we do not know.
  const magnitude = value === 0 ? 0 : Math.floor(Math.log10(Math.abs(value)));
  return Math.max(0, Math.min(4, 2 - magnitude));
}

export interface Measured {
  value: number | null;
  unit: string;
}

/** `{ value: 1.2334, unit: 's' }` → "1.233 s"; a missing value → "—" (the unit is still named where it helps). */
export function formatMeasured(m: Measured, options: { signed?: boolean; decimals?: number } = {}): string {
  if (m.value === null || !Number.isFinite(m.value)) return '—';
  const decimals = options.decimals ?? decimalsFor(m.unit, m.value);
  const text = formatNumber(m.value, decimals);
  const signed = options.signed && m.value > 0 ? `+${text}` : text;
  return m.unit ? `${signed} ${m.unit}` : signed;
}

/** Mean ± SD with the unit once: "1.233 ± 0.040 s". */
export function formatMeanSd(mean: Measured, sd: Measured): string {
  if (mean.value === null || !Number.isFinite(mean.value)) return '—';
  const decimals = decimalsFor(mean.unit, mean.value);
  const head = formatNumber(mean.value, decimals);
  const spread = sd.value === null || !Number.isFinite(sd.value) ? '' : ` ± ${formatNumber(sd.value, decimals)}`;
  return mean.unit ? `${head}${spread} ${mean.unit}` : `${head}${spread}`;
}

/** Seconds on an event time scale: "3.214 s". */
export function formatTimeS(seconds: number): string {
  return `${formatNumber(seconds, 3)} s`;
}
