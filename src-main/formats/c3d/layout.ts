// Reconciles the header with the parameter section into one data layout. The parameters are the master
// record (they hold counts the header cannot: more than 65535 frames, analog rates that are not a whole
// multiple of a 16-bit word …). Where the two disagree, the parameters' layout is used if it fits the file;
// if it does not and the header's does (sample27/kyowadengyo.c3d: POINT:USED 12, header and labels 11),
// the header's is used. Either way the disagreement is reported as a warning. When neither fits, the
// file is truncated or corrupt, and the error names the parameter that cannot be satisfied.
import { BLOCK_BYTES, C3dBytes, unsigned16 } from './binary';
import type { C3dHeader } from './header';
import type { C3dLayout } from './model';
import { countOf, numberOf, numbersOf, type ParameterMap } from './parameters';

/** The counts one record (parameters or header) gives, before they are checked against the file. */
type Candidate = Pick<C3dLayout, 'pointCount' | 'analogCount' | 'analogSamplesPerFrame' | 'firstFrame' | 'frameCount' | 'pointRateHz' | 'analogRateHz' | 'dataStartBlock'> & {
  source: 'parameters' | 'header';
  /** Names used in messages for the fields this candidate took its values from. */
  fields: { frames: string; dataStart: string; pointRate: string };
};

/** Rates whose ratio is within this of a whole number are taken as that whole number of samples per frame. */
const SAMPLES_PER_FRAME_TOLERANCE = 1e-3;

export function resolveLayout(b: C3dBytes, header: C3dHeader, params: ParameterMap, parameterBlock: number, warnings: string[]): C3dLayout {
  const paramScale = numberOf(params, 'POINT:SCALE');
  const scale = paramScale ?? header.scale;
  const scaleField = paramScale !== null ? 'POINT:SCALE' : 'header words 7–8 (scale)';
  if (!Number.isFinite(scale)) b.fail(scaleField, `is ${scale}; a scale must be a finite number`);
  if (paramScale !== null && Number.isFinite(header.scale) && header.scale !== 0 && Math.sign(header.scale) !== Math.sign(paramScale)) {
    warnings.push(`header scale ${header.scale} and POINT:SCALE ${paramScale} disagree on the storage (int or float); POINT:SCALE is used`);
  }
  const storage = scale < 0 ? 'float32' : 'int16';
  const wordBytes = storage === 'float32' ? 4 : 2;

  const fromHeader = headerCandidate(header);
  if (!fromHeader && params.size > 0) warnings.push(`the header's layout is inconsistent (${headerProblem(header)}); the parameters are used`);
  const fromParams = params.size > 0 ? parameterCandidate(b, header, params) : null;
  if (!fromParams) warnings.push('the file has no parameters; the layout is taken from the header');

  const attempts = [fromParams, fromHeader].filter((c): c is Candidate => c !== null);
  const problems = attempts.map((c) => misfit(c, b.length, wordBytes, parameterBlock));
  if (attempts.length === 0) b.fail('header words 10–12', `describe no usable layout (frame rate ${header.frameRateHz} Hz, ${header.analogValuesPerFrame} analog values in frames of ${header.analogSamplesPerFrame} samples)`);
  const chosenIndex = problems.findIndex((p) => p === null);
  if (chosenIndex < 0) {
    const [field, reason] = problems[0]!;
    b.fail(field, reason);
  }
  const chosen = attempts[chosenIndex];
  if (fromParams && chosen === fromParams && fromHeader) reportDisagreements(fromParams, fromHeader, warnings);
  if (fromParams && chosen === fromHeader) {
    const [field, reason] = problems[0]!;
    warnings.push(`the parameters describe a layout that does not fit the file (${field} ${reason}); the header's layout fits and is used`);
    reportDisagreements(fromParams, fromHeader, warnings);
  }
  return {
    storage,
    pointScale: scale,
    pointCount: chosen.pointCount,
    analogCount: chosen.analogCount,
    analogSamplesPerFrame: chosen.analogSamplesPerFrame,
    firstFrame: chosen.firstFrame,
    frameCount: chosen.frameCount,
    pointRateHz: chosen.pointRateHz,
    analogRateHz: chosen.analogRateHz,
    dataStartBlock: chosen.dataStartBlock,
    frameBytes: frameBytes(chosen, wordBytes),
    source: chosen.source,
  };
}

function frameBytes(c: Candidate, wordBytes: number): number {
  return (c.pointCount * 4 + c.analogCount * c.analogSamplesPerFrame) * wordBytes;
}

function headerProblem(h: C3dHeader): string {
  if (!(Number.isFinite(h.frameRateHz) && h.frameRateHz > 0)) return `frame rate ${h.frameRateHz} Hz`;
  return `${h.analogValuesPerFrame} analog values per frame is not a multiple of ${h.analogSamplesPerFrame} samples per frame`;
}

function headerCandidate(h: C3dHeader): Candidate | null {
  const rate = h.frameRateHz;
  let spf = h.analogSamplesPerFrame;
  if (spf === 0 && h.analogValuesPerFrame > 0) spf = 1;
  if (spf > 0 && h.analogValuesPerFrame % spf !== 0) return null; // e.g. 16 values with 7 samples per frame
  const analogCount = spf > 0 ? h.analogValuesPerFrame / spf : 0;
  if (!(Number.isFinite(rate) && rate > 0)) return null;
  return {
    source: 'header',
    pointCount: h.pointCount,
    analogCount,
    analogSamplesPerFrame: spf,
    firstFrame: h.firstFrame,
    frameCount: h.lastFrame >= h.firstFrame ? h.lastFrame - h.firstFrame + 1 : 0,
    pointRateHz: rate,
    analogRateHz: rate * spf,
    dataStartBlock: h.dataStartBlock,
    fields: { frames: 'header words 4–5 (first/last frame)', dataStart: 'header word 9 (data start)', pointRate: 'header words 11–12 (frame rate)' },
  };
}

function parameterCandidate(b: C3dBytes, h: C3dHeader, params: ParameterMap): Candidate {
  const paramRate = numberOf(params, 'POINT:RATE');
  const pointRateHz = paramRate ?? h.frameRateHz;
  const rateField = paramRate !== null ? 'POINT:RATE' : 'header words 11–12 (frame rate)';
  if (!(Number.isFinite(pointRateHz) && pointRateHz > 0)) b.fail(rateField, `is ${pointRateHz} Hz; a frame rate must be a positive number`);

  const pointCount = countOf(params, 'POINT:USED') ?? h.pointCount;

  // Frames: Vicon stores counts above 65535 in TRIAL:ACTUAL_START_FIELD / ACTUAL_END_FIELD as two words each.
  let firstFrame = h.firstFrame;
  let frameCount = h.lastFrame >= h.firstFrame ? h.lastFrame - h.firstFrame + 1 : 0;
  let framesField = 'header words 4–5 (first/last frame)';
  const start = numbersOf(params, 'TRIAL:ACTUAL_START_FIELD');
  const end = numbersOf(params, 'TRIAL:ACTUAL_END_FIELD');
  const pointFrames = params.get('POINT:FRAMES');
  const trialFirst = start && start.length >= 2 ? unsigned16(start[0]) + 65536 * unsigned16(start[1]) : 0;
  const trialLast = end && end.length >= 2 ? unsigned16(end[0]) + 65536 * unsigned16(end[1]) : 0;
  if (trialFirst > 0 && trialLast >= trialFirst) {
    firstFrame = trialFirst;
    frameCount = trialLast - trialFirst + 1;
    framesField = 'TRIAL:ACTUAL_END_FIELD';
  } else if (pointFrames && pointFrames.type !== 'char' && pointFrames.values.length > 0) {
    const v = pointFrames.type === 'float32' ? pointFrames.values[0] : unsigned16(pointFrames.values[0]);
    if (!(Number.isInteger(v) && v >= 0)) b.fail('POINT:FRAMES', `is ${v}; a frame count must be a whole number ≥ 0`);
    frameCount = v;
    framesField = 'POINT:FRAMES';
  }

  // Analog: ANALOG:USED channels, ANALOG:RATE / POINT:RATE samples per frame.
  const analogUsed = countOf(params, 'ANALOG:USED');
  const analogRate = numberOf(params, 'ANALOG:RATE');
  let spf = h.analogSamplesPerFrame;
  if (analogRate !== null && analogRate !== 0) {
    if (!(Number.isFinite(analogRate) && analogRate > 0)) b.fail('ANALOG:RATE', `is ${analogRate} Hz; a rate must be a positive number`);
    const ratio = analogRate / pointRateHz;
    const whole = Math.round(ratio);
    if (whole < 1 || Math.abs(ratio - whole) > SAMPLES_PER_FRAME_TOLERANCE * whole) {
      b.fail('ANALOG:RATE', `${analogRate} Hz is not a whole multiple of the frame rate ${pointRateHz} Hz`);
    }
    spf = whole;
  } else if (spf === 0 && (analogUsed ?? 0) > 0) {
    spf = analogUsed! > 0 && h.analogValuesPerFrame % analogUsed! === 0 ? h.analogValuesPerFrame / analogUsed! : 1;
  }
  let analogCount: number;
  if (analogUsed !== null) analogCount = analogUsed;
  else analogCount = spf > 0 && h.analogValuesPerFrame % spf === 0 ? h.analogValuesPerFrame / spf : 0;

  const dataStartBlock = countOf(params, 'POINT:DATA_START') ?? h.dataStartBlock;
  return {
    source: 'parameters',
    pointCount,
    analogCount,
    analogSamplesPerFrame: spf,
    firstFrame,
    frameCount,
    pointRateHz,
    analogRateHz: pointRateHz * spf,
    dataStartBlock,
    fields: {
      frames: framesField,
      dataStart: params.has('POINT:DATA_START') ? 'POINT:DATA_START' : 'header word 9 (data start)',
      pointRate: rateField,
    },
  };
}

/** Why a candidate layout cannot be the file's ([field, reason]), or null when the data fit. */
function misfit(c: Candidate, fileLength: number, wordBytes: number, parameterBlock: number): [string, string] | null {
  if (c.dataStartBlock < 2 || c.dataStartBlock <= parameterBlock) {
    return [c.fields.dataStart, `is block ${c.dataStartBlock}, inside the header or parameter section (which starts at block ${parameterBlock})`];
  }
  const dataStart = (c.dataStartBlock - 1) * BLOCK_BYTES;
  const perFrame = frameBytes(c, wordBytes);
  if (dataStart > fileLength || (dataStart === fileLength && c.frameCount > 0 && perFrame > 0)) {
    return [c.fields.dataStart, `points past the end of the file (block ${c.dataStartBlock}, file of ${fileLength} bytes)`];
  }
  if (perFrame > 0 && c.frameCount * perFrame > fileLength - dataStart) {
    const whole = Math.floor((fileLength - dataStart) / perFrame);
    return [c.fields.frames, `declares ${c.frameCount} frames of ${perFrame} bytes but the data section holds only ${whole} (truncated file?)`];
  }
  return null;
}

function reportDisagreements(p: Candidate, h: Candidate, warnings: string[]): void {
  const say = (what: string, hv: number, pv: number, pname: string) => {
    if (hv !== pv) warnings.push(`header and parameters disagree on ${what}: header ${hv}, ${pname} ${pv}`);
  };
  say('the number of points', h.pointCount, p.pointCount, 'POINT:USED');
  if (p.analogCount > 0 || h.analogCount > 0) {
    say('the number of analog channels', h.analogCount, p.analogCount, 'ANALOG:USED');
    say('analog samples per frame', h.analogSamplesPerFrame, p.analogSamplesPerFrame, 'ANALOG:RATE / POINT:RATE');
  }
  say('the number of frames', h.frameCount, p.frameCount, p.fields.frames);
  say('the data start block', h.dataStartBlock, p.dataStartBlock, p.fields.dataStart);
  if (Math.abs(h.pointRateHz - p.pointRateHz) > 1e-3 * p.pointRateHz) warnings.push(`header and parameters disagree on the frame rate: header ${h.pointRateHz} Hz, ${p.fields.pointRate} ${p.pointRateHz} Hz`);
}
