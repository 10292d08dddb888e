// Units, in one place: the strings stored with every channel and attribute, and what they measure.

export const UNIT = {
  newton: 'N',
  /** Force as a multiple of body weight (GaitRec PRO, the clinical .mat sets). */
  bodyWeight: '×BW',
  newtonMillimetre: 'N·mm',
  metre: 'm',
  millimetre: 'mm',
  second: 's',
  hertz: 'Hz',
  degree: 'deg',
  degreePerSecond: 'deg/s',
  metrePerSecond: 'm/s',
  metrePerSecondSquared: 'm/s²',
  kilogram: 'kg',
  year: 'years',
} as const;

export type Unit = (typeof UNIT)[keyof typeof UNIT];

const QUANTITY_BY_UNIT: Record<string, string> = {
  N: 'Force',
  kN: 'Force',
  'N/kg': 'Force / body mass',
  BW: 'Force / body weight',
  '×BW': 'Force / body weight',
  xBW: 'Force / body weight',
  '%BW': 'Force / body weight',
  'N·m': 'Moment',
  'N·mm': 'Moment',
  'N m': 'Moment',
  Nm: 'Moment',
  'N·m/kg': 'Moment / body mass',
  m: 'Position',
  mm: 'Position',
  'm/s': 'Velocity',
  'm/s²': 'Acceleration',
  'm/s^2': 'Acceleration',
  g: 'Acceleration',
  'deg/s': 'Angular velocity',
  '°/s': 'Angular velocity',
  'rad/s': 'Angular velocity',
  deg: 'Angle',
  '°': 'Angle',
  rad: 'Angle',
  V: 'Voltage',
  mV: 'Voltage',
  µV: 'Voltage',
  uV: 'Voltage',
  kPa: 'Pressure',
  W: 'Power',
  'W/kg': 'Power / body mass',
};

/** What a unit measures ("Force" for N), or null for a unit we do not know. */
export function quantityOf(unit: string): string | null {
  return QUANTITY_BY_UNIT[unit] ?? null;
}
