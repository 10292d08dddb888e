// readC3d: bytes → the raw C3D model. Order of work: the processor type (parameter section byte 4) decides
// how every number is read, so it comes first; then header, parameters, the reconciled layout, and data.
import { InputError } from '../../../src-shared/domain/errors';
import { BLOCK_BYTES, C3dBytes, printable, processorFromByte } from './binary';
import { readPointData, readAnalogData } from './data';
import { describeAnalogs, describeEvents, describePoints } from './describe';
import { readHeader } from './header';
import { resolveLayout } from './layout';
import type { C3dFile } from './model';
import { parameterAreaEnd, readParameterSection, type C3dParameterSection } from './parameters';

/** Byte 2 of every C3D file (header word 1, high byte). */
export const C3D_KEY_BYTE = 0x50;

/**
 * Reads a C3D file. Throws InputError (naming `file` and the field) for anything that is not a readable
 * C3D file; oddities that still leave an unambiguous reading become `warnings`.
 */
export function readC3d(bytes: Uint8Array, file: string): C3dFile {
  if (bytes.length < BLOCK_BYTES) {
    throw new InputError(file, null, 'header', `the file is ${bytes.length} bytes; a C3D file has at least a 512-byte header`);
  }
  if (bytes[1] !== C3D_KEY_BYTE) {
    throw new InputError(file, null, 'header', `byte 2 is 0x${bytes[1].toString(16).padStart(2, '0')} where a C3D file has 0x50; not a C3D file`);
  }
  const parameterBlock = bytes[0];
  if (parameterBlock < 2) throw new InputError(file, null, 'header word 1', `the parameter section is said to start at block ${parameterBlock}; it cannot start before block 2`);
  const sectionStart = (parameterBlock - 1) * BLOCK_BYTES;
  if (sectionStart + 4 > bytes.length) throw new InputError(file, null, 'header word 1', `the parameter section (block ${parameterBlock}) points past the end of the file`);
  const processorByte = bytes[sectionStart + 3];
  const processor = processorFromByte(processorByte);
  if (!processor) {
    throw new InputError(file, null, 'parameter section byte 4', `processor type ${processorByte} is not 84 (Intel), 85 (DEC) or 86 (MIPS/SGI)`);
  }
  const b = new C3dBytes(bytes, processor, file);
  const warnings: string[] = [];
  const header = readHeader(b, warnings);

  const areaEnd = parameterAreaEnd(sectionStart, bytes[sectionStart + 2], header.dataStartBlock, bytes.length);
  const section: C3dParameterSection = readParameterSection(b, sectionStart, areaEnd, warnings);
  const params = section.parameters;

  const layout = resolveLayout(b, header, params, parameterBlock, warnings);
  if (layout.storage === 'int16' && !(Math.abs(layout.pointScale) * 32768 <= 3.4e38)) b.fail('POINT:SCALE', `${layout.pointScale} is too large for int16 coordinates`);

  const pointInfo = describePoints(params, layout.pointCount);
  const pointData = readPointData(b, layout);
  if (pointData.nonFinite > 0) warnings.push(`${pointData.nonFinite} point samples have non-finite coordinates; they are marked invalid`);

  const { info: analogInfo, scaling } = describeAnalogs(b, params, layout.analogCount, warnings);
  const analog = readAnalogData(b, layout, scaling);
  if (analog.bad) {
    const { channel, sample } = analog.bad;
    b.fail(`ANALOG ${printable(analogInfo[channel].label) || `channel ${channel + 1}`}`, `sample ${sample + 1} is not a finite number (C3D has no missing analog value)`);
  }

  return {
    file,
    processor,
    header,
    groups: section.groups,
    parameters: params,
    layout,
    points: { info: pointInfo, frameCount: layout.frameCount, coordinates: pointData.coordinates, residuals: pointData.residuals, cameraMasks: pointData.cameraMasks },
    analogs: { info: analogInfo, rateHz: layout.analogRateHz, samples: analog.samples, unsigned: scaling.unsigned },
    events: describeEvents(b, params, warnings),
    warnings,
  };
}
