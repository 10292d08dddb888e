// The C3D header: the first 512-byte block. Word numbers below are the C3D manual's (1-based 16-bit words).
// Every count is read as an unsigned word: first/last frame and the data start block exceed 32767 in real files.
import { BLOCK_BYTES, C3dBytes, float32Decimal, trimC3dText } from './binary';

export interface C3dHeaderEvent {
  label: string;
  /** Seconds from the start of capture (frame 1 at 0 s); the float32 read as its shortest decimal. */
  timeS: number;
  /** The event's display flag byte as stored (the manual's 0 = on, 1 = off is not followed by every writer). */
  displayFlag: number;
}

export interface C3dHeader {
  /** Word 1, low byte: the 1-based block where the parameter section starts. */
  parameterBlock: number;
  /** Word 2. */
  pointCount: number;
  /** Word 3: analog channels × samples per frame. */
  analogValuesPerFrame: number;
  /** Word 4 (1-based frame number of the first frame in the file). */
  firstFrame: number;
  /** Word 5. */
  lastFrame: number;
  /** Word 6. */
  maxInterpolationGap: number;
  /** Words 7–8: POINT:SCALE; negative means float storage. */
  scale: number;
  /** Word 9: 1-based block where the data section starts. */
  dataStartBlock: number;
  /** Word 10. */
  analogSamplesPerFrame: number;
  /** Words 11–12, Hz. */
  frameRateHz: number;
  /** Word 150 = 12345: the writer supports 4-character event labels. */
  longEventLabels: boolean;
  /** Words 151–234 (at most 18). */
  events: C3dHeaderEvent[];
}

const MAX_HEADER_EVENTS = 18;

/** Reads the header block in the file's processor format (known from the parameter section). */
export function readHeader(b: C3dBytes, warnings: string[]): C3dHeader {
  b.need(0, BLOCK_BYTES, 'header', 'the 512-byte header');
  const eventCount = b.u16(300);
  if (eventCount > MAX_HEADER_EVENTS) warnings.push(`header word 151 declares ${eventCount} events (at most 18); header events ignored`);
  const events: C3dHeaderEvent[] = [];
  for (let i = 0; eventCount <= MAX_HEADER_EVENTS && i < eventCount; i++) {
    const timeS = b.f32(304 + 4 * i);
    if (!Number.isFinite(timeS)) {
      warnings.push(`header event ${i + 1} has a non-finite time; header events ignored`);
      events.length = 0;
      break;
    }
    events.push({ label: trimC3dText(b.latin1(396 + 4 * i, 4)), timeS: float32Decimal(timeS), displayFlag: b.u8(376 + i) });
  }
  return {
    parameterBlock: b.u8(0),
    pointCount: b.u16(2),
    analogValuesPerFrame: b.u16(4),
    firstFrame: b.u16(6),
    lastFrame: b.u16(8),
    maxInterpolationGap: b.u16(10),
    scale: b.f32(12),
    dataStartBlock: b.u16(16),
    analogSamplesPerFrame: b.u16(18),
    frameRateHz: b.f32(20),
    longEventLabels: b.u16(298) === 12345,
    events,
  };
}
