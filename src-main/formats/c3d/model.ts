// The raw C3D model: what the file says, read faithfully and nothing derived (force-plate wrenches,
// centres of pressure … are computed from it by forceplates.ts, on demand, and never written back).
import type { C3dProcessor } from './binary';
import type { C3dHeader } from './header';
import type { C3dGroup, C3dParameter } from './parameters';

/** How the data section is laid out, after reconciling header and parameters. */
export interface C3dLayout {
  storage: 'int16' | 'float32';
  /** POINT:SCALE as used: |scale| multiplies int16 coordinates and residuals; its sign chose the storage. */
  pointScale: number;
  pointCount: number;
  analogCount: number;
  analogSamplesPerFrame: number;
  /** 1-based frame number of the first frame stored (header word 4, or TRIAL:ACTUAL_START_FIELD). */
  firstFrame: number;
  frameCount: number;
  pointRateHz: number;
  /** pointRateHz × analogSamplesPerFrame (ANALOG:RATE where present). */
  analogRateHz: number;
  dataStartBlock: number;
  /** Bytes of one frame: points × 4 words + analog channels × samples per frame words. */
  frameBytes: number;
  /** Which record the counts came from: the parameters (the master) or, where those do not fit the file, the header. */
  source: 'parameters' | 'header';
}

/** What a POINT holds: a marker, or a model output listed in POINT:ANGLES / FORCES / MOMENTS / POWERS. */
export type C3dPointKind = 'marker' | 'angle' | 'force' | 'moment' | 'power';

export interface C3dPointInfo {
  label: string;
  description: string;
  kind: C3dPointKind;
  /** As the file states it (POINT:UNITS for markers, POINT:ANGLE_UNITS … for model outputs). */
  unit: string;
}

export interface C3dPoints {
  info: C3dPointInfo[];
  frameCount: number;
  /** Point-major: coordinates[(p × frameCount + f) × 3 + axis], in the file's units, as stored (also for invalid samples). */
  coordinates: Float32Array;
  /** residuals[p × frameCount + f]: |scale| × low byte of the 4th word; −1 for an invalid sample. */
  residuals: Float32Array;
  /** High byte of the 4th word (bits 8–14): the cameras that saw the marker. */
  cameraMasks: Uint8Array;
}

export interface C3dAnalogInfo {
  label: string;
  description: string;
  unit: string;
  /** ANALOG:SCALE, ANALOG:OFFSET (read unsigned for ANALOG:FORMAT UNSIGNED) and ANALOG:GEN_SCALE as applied. */
  scale: number;
  offset: number;
  generalScale: number;
}

export interface C3dAnalogs {
  info: C3dAnalogInfo[];
  rateHz: number;
  /** One array per channel at the analog rate: (raw − offset) × scale × generalScale. */
  samples: Float32Array[];
  unsigned: boolean;
}

/** One EVENT group entry, as stored. */
export interface C3dEvent {
  label: string;
  context: string;
  /** EVENT:TIMES minutes × 60 + seconds (the float32 seconds read as their shortest decimal): from the start of capture, frame 1 at 0 s. */
  timeS: number;
  description: string;
  subject: string;
  iconId: number | null;
  genericFlag: number | null;
}

export interface C3dFile {
  file: string;
  processor: C3dProcessor;
  header: C3dHeader;
  groups: ReadonlyMap<string, C3dGroup>;
  /** Every parameter, keyed 'GROUP:NAME' (upper case). */
  parameters: ReadonlyMap<string, C3dParameter>;
  layout: C3dLayout;
  points: C3dPoints;
  analogs: C3dAnalogs;
  events: C3dEvent[];
  /** Whatever was odd but readable (header/parameter disagreements, skipped records …). */
  warnings: string[];
}
