// What the parameters say about each point, analog channel and event: labels, units, kinds, scaling.
import { C3dBytes, float32Decimal, printable, unsigned16 } from './binary';
import type { AnalogScaling } from './data';
import type { C3dAnalogInfo, C3dEvent, C3dPointInfo, C3dPointKind } from './model';
import { countOf, numberOf, seriesNumbers, seriesStrings, stringOf, type ParameterMap } from './parameters';

/** Plug-in Gait and similar writers list model outputs stored as points; each list has its own unit parameter. */
const MODEL_OUTPUTS: { list: string; kind: C3dPointKind; unitParameter: string }[] = [
  { list: 'ANGLES', kind: 'angle', unitParameter: 'POINT:ANGLE_UNITS' },
  { list: 'FORCES', kind: 'force', unitParameter: 'POINT:FORCE_UNITS' },
  { list: 'MOMENTS', kind: 'moment', unitParameter: 'POINT:MOMENT_UNITS' },
  { list: 'POWERS', kind: 'power', unitParameter: 'POINT:POWER_UNITS' },
];

/** 'A22:LHipAngles' → 'LHipAngles': Vicon prefixes labels with the subject name in one list and not always in the other. */
function withoutSubjectPrefix(label: string): string {
  const k = label.lastIndexOf(':');
  return k >= 0 ? label.slice(k + 1) : label;
}

export function describePoints(params: ParameterMap, pointCount: number): C3dPointInfo[] {
  const labels = seriesStrings(params, 'POINT', 'LABELS');
  const descriptions = seriesStrings(params, 'POINT', 'DESCRIPTIONS');
  const markerUnit = stringOf(params, 'POINT:UNITS') ?? '';
  const kindOf = new Map<string, { kind: C3dPointKind; unit: string }>();
  const kindOfBare = new Map<string, { kind: C3dPointKind; unit: string }>();
  for (const m of MODEL_OUTPUTS) {
    const unit = stringOf(params, m.unitParameter) ?? '';
    for (const label of seriesStrings(params, 'POINT', m.list)) {
      if (!label) continue;
      kindOf.set(label, { kind: m.kind, unit });
      kindOfBare.set(withoutSubjectPrefix(label), { kind: m.kind, unit });
    }
  }
  const out: C3dPointInfo[] = [];
  for (let p = 0; p < pointCount; p++) {
    const label = labels[p] ?? '';
    const model = (label && (kindOf.get(label) ?? kindOfBare.get(withoutSubjectPrefix(label)))) || null;
    out.push({ label, description: descriptions[p] ?? '', kind: model?.kind ?? 'marker', unit: model ? model.unit : markerUnit });
  }
  return out;
}

export function describeAnalogs(b: C3dBytes, params: ParameterMap, analogCount: number, warnings: string[]): { info: C3dAnalogInfo[]; scaling: AnalogScaling } {
  const labels = seriesStrings(params, 'ANALOG', 'LABELS');
  const descriptions = seriesStrings(params, 'ANALOG', 'DESCRIPTIONS');
  const units = seriesStrings(params, 'ANALOG', 'UNITS');
  const scales = seriesNumbers(params, 'ANALOG', 'SCALE');
  const offsets = seriesNumbers(params, 'ANALOG', 'OFFSET');
  const offsetIsInt = params.get('ANALOG:OFFSET')?.type === 'int16';
  const unsigned = (stringOf(params, 'ANALOG:FORMAT') ?? '').toUpperCase() === 'UNSIGNED';
  const generalScale = numberOf(params, 'ANALOG:GEN_SCALE') ?? 1;
  if (!Number.isFinite(generalScale)) b.fail('ANALOG:GEN_SCALE', `is ${generalScale}; a scale must be a finite number`);
  if (analogCount > 0 && scales.length < analogCount) warnings.push(`ANALOG:SCALE has ${scales.length} values for ${analogCount} channels; the others are taken as 1`);
  if (analogCount > 0 && offsets.length < analogCount) warnings.push(`ANALOG:OFFSET has ${offsets.length} values for ${analogCount} channels; the others are taken as 0`);
  const factor = new Float64Array(analogCount);
  const offset = new Float64Array(analogCount);
  const info: C3dAnalogInfo[] = [];
  for (let ch = 0; ch < analogCount; ch++) {
    const scale = ch < scales.length ? scales[ch] : 1;
    // UNSIGNED: the ADC words run 0…65535 and OFFSET (stored as signed words) is around 32768.
    const off = ch < offsets.length ? (unsigned && offsetIsInt ? unsigned16(offsets[ch]) : offsets[ch]) : 0;
    if (!Number.isFinite(scale)) b.fail('ANALOG:SCALE', `channel ${ch + 1} scale is ${scale}; a scale must be a finite number`);
    if (!Number.isFinite(off)) b.fail('ANALOG:OFFSET', `channel ${ch + 1} offset is ${off}; an offset must be a finite number`);
    factor[ch] = scale * generalScale;
    offset[ch] = off;
    info.push({ label: labels[ch] ?? '', description: descriptions[ch] ?? '', unit: units[ch] ?? '', scale, offset: off, generalScale });
  }
  return { info, scaling: { factor, offset, unsigned } };
}

export function describeEvents(b: C3dBytes, params: ParameterMap, warnings: string[]): C3dEvent[] {
  if (!params.has('EVENT:USED') && !params.has('EVENT:LABELS')) return [];
  const labels = seriesStrings(params, 'EVENT', 'LABELS');
  const contexts = seriesStrings(params, 'EVENT', 'CONTEXTS');
  const descriptions = seriesStrings(params, 'EVENT', 'DESCRIPTIONS');
  const subjects = seriesStrings(params, 'EVENT', 'SUBJECTS');
  const times = seriesNumbers(params, 'EVENT', 'TIMES');
  const icons = seriesNumbers(params, 'EVENT', 'ICON_IDS');
  const flags = seriesNumbers(params, 'EVENT', 'GENERIC_FLAGS');
  const used = countOf(params, 'EVENT:USED') ?? labels.length;
  const n = Math.min(used, labels.length, Math.floor(times.length / 2));
  if (n < used) warnings.push(`EVENT:USED is ${used} but only ${n} events have a label and a time; ${n} read`);
  const events: C3dEvent[] = [];
  for (let i = 0; i < n; i++) {
    // TIMES is [2, n]: minutes, then seconds.
    const minutes = times[2 * i];
    const seconds = float32Decimal(times[2 * i + 1]);
    const timeS = minutes * 60 + seconds;
    if (!Number.isFinite(timeS)) b.fail('EVENT:TIMES', `event ${i + 1} (${printable(labels[i])}) has time ${minutes} min ${seconds} s; a time must be a finite number`);
    events.push({
      label: labels[i],
      context: contexts[i] ?? '',
      timeS,
      description: descriptions[i] ?? '',
      subject: subjects[i] ?? '',
      iconId: i < icons.length ? icons[i] : null,
      genericFlag: i < flags.length ? flags[i] : null,
    });
  }
  return events;
}
