// The data section: frame after frame of points (x, y, z, residual/camera word) followed by the analog
// samples of that frame (samples per frame × channels, channel fastest). The layout has already been
// checked to fit the file, so the loops below read within bounds; they run once per value and are
// written out per encoding so each stays monomorphic.
import { BLOCK_BYTES, C3dBytes, vaxFloat } from './binary';
import type { C3dLayout } from './model';

const FLOAT32_MAX = 3.4028234663852886e38;

export interface AnalogScaling {
  /** Per channel: ANALOG:SCALE × ANALOG:GEN_SCALE. */
  factor: Float64Array;
  /** Per channel: ANALOG:OFFSET (already read unsigned when the format is UNSIGNED). */
  offset: Float64Array;
  /** ANALOG:FORMAT UNSIGNED: int16 samples are read as 0…65535. */
  unsigned: boolean;
}

export interface PointData {
  coordinates: Float32Array;
  residuals: Float32Array;
  cameraMasks: Uint8Array;
  /** Samples whose stored coordinates were not finite numbers (marked invalid). */
  nonFinite: number;
}

export function readPointData(b: C3dBytes, layout: C3dLayout): PointData {
  const { pointCount: nP, frameCount: nF, frameBytes } = layout;
  const coordinates = new Float32Array(nP * nF * 3);
  const residuals = new Float32Array(nP * nF);
  const cameraMasks = new Uint8Array(nP * nF);
  const scale = Math.abs(layout.pointScale);
  const view = b.view;
  const le = b.littleEndian;
  const start = (layout.dataStartBlock - 1) * BLOCK_BYTES;
  let nonFinite = 0;
  for (let f = 0; f < nF; f++) {
    const frame = start + f * frameBytes;
    for (let p = 0; p < nP; p++) {
      const i = p * nF + f;
      const c = i * 3;
      let x: number, y: number, z: number, word: number;
      if (layout.storage === 'int16') {
        const o = frame + p * 8;
        x = view.getInt16(o, le) * scale;
        y = view.getInt16(o + 2, le) * scale;
        z = view.getInt16(o + 4, le) * scale;
        word = view.getInt16(o + 6, le);
      } else {
        const o = frame + p * 16;
        let w: number;
        if (b.processor === 'dec') {
          x = vaxFloat(view.getUint16(o, true), view.getUint16(o + 2, true));
          y = vaxFloat(view.getUint16(o + 4, true), view.getUint16(o + 6, true));
          z = vaxFloat(view.getUint16(o + 8, true), view.getUint16(o + 10, true));
          w = vaxFloat(view.getUint16(o + 12, true), view.getUint16(o + 14, true));
        } else {
          x = view.getFloat32(o, le);
          y = view.getFloat32(o + 4, le);
          z = view.getFloat32(o + 8, le);
          w = view.getFloat32(o + 12, le);
        }
        // The 4th float holds the same 16-bit word as int files: a value with the sign bit of that
        // word set (−1.0, or 65535.0 = 0xFFFF as Qualisys writes it) marks an invalid sample.
        word = w >= 0 && w < 65536 ? (Math.trunc(w) << 16) >> 16 : -1;
        if (!(Math.abs(x) <= FLOAT32_MAX && Math.abs(y) <= FLOAT32_MAX && Math.abs(z) <= FLOAT32_MAX)) {
          nonFinite++;
          x = y = z = 0;
          word = -1;
        }
      }
      coordinates[c] = x;
      coordinates[c + 1] = y;
      coordinates[c + 2] = z;
      if (word < 0) {
        residuals[i] = -1;
      } else {
        residuals[i] = (word & 0xff) * scale;
        cameraMasks[i] = (word >> 8) & 0x7f;
      }
    }
  }
  return { coordinates, residuals, cameraMasks, nonFinite };
}

/**
 * The analog channels, scaled: (raw − offset) × scale × GEN_SCALE. Returns the index of the first
 * channel and sample whose value is not a finite float32 (C3D has no "missing" analog value), or null.
 */
export function readAnalogData(b: C3dBytes, layout: C3dLayout, scaling: AnalogScaling): { samples: Float32Array[]; bad: { channel: number; sample: number } | null } {
  const { analogCount: nA, analogSamplesPerFrame: spf, frameCount: nF, frameBytes } = layout;
  const samples = Array.from({ length: nA }, () => new Float32Array(nF * spf));
  if (nA === 0 || spf === 0) return { samples, bad: null };
  const view = b.view;
  const le = b.littleEndian;
  const wordBytes = layout.storage === 'int16' ? 2 : 4;
  const start = (layout.dataStartBlock - 1) * BLOCK_BYTES + layout.pointCount * 4 * wordBytes;
  const { factor, offset, unsigned } = scaling;
  const dec = b.processor === 'dec';
  for (let f = 0; f < nF; f++) {
    let o = start + f * frameBytes;
    for (let s = 0; s < spf; s++) {
      const k = f * spf + s;
      for (let ch = 0; ch < nA; ch++) {
        let raw: number;
        if (wordBytes === 2) {
          raw = unsigned ? view.getUint16(o, le) : view.getInt16(o, le);
        } else {
          raw = dec ? vaxFloat(view.getUint16(o, true), view.getUint16(o + 2, true)) : view.getFloat32(o, le);
        }
        o += wordBytes;
        const v = (raw - offset[ch]) * factor[ch];
        if (!(Math.abs(v) <= FLOAT32_MAX)) return { samples, bad: { channel: ch, sample: k } };
        samples[ch][k] = v;
      }
    }
  }
  return { samples, bad: null };
}
