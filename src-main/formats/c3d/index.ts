// GaitLab's C3D reader (https://www.c3d.org/docs/C3D_User_Guide.pdf). Modules: binary.ts (processor
// formats, VAX floats), header.ts, parameters.ts (the parameter chain and typed access), layout.ts (header vs
// parameters), data.ts (points and analogs), describe.ts (labels, units, kinds, events), read.ts (readC3d),
// model.ts (the raw model's types); forceplate-parameters.ts (FORCE_PLATFORM → plates, the calibration rule)
// and forceplates.ts, which derive plate wrenches from the raw model without changing it.
export { readC3d, C3D_KEY_BYTE } from './read';
export { vaxFloat, processorFromByte, PROCESSOR_BYTE, BLOCK_BYTES, type C3dProcessor } from './binary';
export type { C3dHeader, C3dHeaderEvent } from './header';
export { countOf, numberOf, numbersOf, stringOf, stringsOf, seriesNumbers, seriesStrings, type C3dParameter, type C3dGroup, type C3dParameterType, type ParameterMap } from './parameters';
export * from './model';
