// A force plate's FORCE_PLATFORM entry kept with the trial as one attribute (`fpN_geometry`, JSON), so that
// a trial imported from C3D can be written back as C3D with the same plates (trial-to-c3d.ts): type, the
// names of its analog channels in the order the type defines, corners and origin in mm, the calibration
// matrix where one is applied, and the ZERO frames. Nothing here is derived; it is the file's own record.
import type { Attributes } from '../../../src-shared/domain/import-batch';
import type { ForcePlateWrench } from './forceplates';

export interface StoredPlateGeometry {
  device: string;
  type: 1 | 2 | 3 | 4;
  channelNames: string[];
  cornersMm: number[];
  originMm: number[];
  calMatrix: number[] | null;
  zeroFrames: [number, number] | null;
  /** Type 3: FPCOPPOLY's 12 coefficients as the file gave them (its length unit). */
  copPolynomial: number[] | null;
}

const KEY = /^(fp\d+)_geometry$/;

/** `analogNames[k]`: the channel name the import gave analog channel k (0-based). */
export function plateGeometryAttributes(plates: ForcePlateWrench[], analogNames: string[]): Attributes {
  const a: Attributes = {};
  for (const w of plates) {
    const p = w.plate;
    const g: Omit<StoredPlateGeometry, 'device'> = {
      type: p.type as StoredPlateGeometry['type'],
      channelNames: p.channels.map((ch) => analogNames[ch]),
      cornersMm: Array.from(p.cornersMm),
      originMm: [...p.originMm],
      calMatrix: p.calMatrix ? Array.from(p.calMatrix) : null,
      zeroFrames: p.zeroFrames,
      copPolynomial: p.copPolynomial ? Array.from(p.copPolynomial) : null,
    };
    a[`${p.device.toLowerCase()}_geometry`] = { value: JSON.stringify(g) };
  }
  return a;
}

function isNumbers(v: unknown, n: number): v is number[] {
  return Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number' && Number.isFinite(x));
}

/** The plates stored with a trial, in plate order; attributes that do not parse as a plate are ignored. */
export function plateGeometryOf(attributes: Attributes): StoredPlateGeometry[] {
  const out: StoredPlateGeometry[] = [];
  for (const [key, v] of Object.entries(attributes)) {
    const m = KEY.exec(key);
    if (!m || typeof v.value !== 'string') continue;
    let g: Record<string, unknown>;
    try {
      g = JSON.parse(v.value) as Record<string, unknown>;
    } catch {
      continue;
    }
    const type = g.type;
    if (type !== 1 && type !== 2 && type !== 3 && type !== 4) continue;
    const names = g.channelNames;
    if (!Array.isArray(names) || names.length !== (type === 3 ? 8 : 6) || !names.every((s) => typeof s === 'string')) continue;
    if (!isNumbers(g.cornersMm, 12) || !isNumbers(g.originMm, 3)) continue;
    const zero = isNumbers(g.zeroFrames, 2) ? (g.zeroFrames as [number, number]) : null;
    out.push({
      device: m[1].toUpperCase(),
      type,
      channelNames: names as string[],
      cornersMm: g.cornersMm,
      originMm: g.originMm,
      calMatrix: isNumbers(g.calMatrix, 36) ? g.calMatrix : null,
      zeroFrames: zero,
      copPolynomial: isNumbers(g.copPolynomial, 12) ? g.copPolynomial : null,
    });
  }
  return out.sort((a, b) => Number(a.device.slice(2)) - Number(b.device.slice(2)));
}
