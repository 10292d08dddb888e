// The paper's code transformed whole Gutenberg CSV rows, the 4 ID columns included (methods-spec §2.2(3)):
// GaitLab transforms the 101 curve values only. The diagnostic `includeIdColumns` rebuilds the paper's 105-value
// signal (141 coefficients) solely to explain differences from the paper; such coefficients are marked
// "not for interpretation" and no analysis may present them as gait features.
import { wavedecFlat } from '../wavelets/db5';
import { CURVE_POINTS } from './coefficient-layout';

export interface ReplicationCoefficients {
  coefficients: Float64Array;
  forInterpretation: boolean;
}

/** db5 level-4 coefficients of one PRO row: 135 from the curve, or 141 from IDs + curve when asked to. */
export function replicationRowCoefficients(ids: readonly number[], curve: ArrayLike<number>, includeIdColumns = false): ReplicationCoefficients {
  if (curve.length !== CURVE_POINTS) throw new RangeError(`a PRO row has ${CURVE_POINTS} curve values, this one ${curve.length}`);
  if (!includeIdColumns) return { coefficients: wavedecFlat(Float64Array.from(curve)), forInterpretation: true };
  if (ids.length !== 4) throw new RangeError(`includeIdColumns needs the 4 ID columns (DATASET_ID, SUBJECT_ID, SESSION_ID, TRIAL_ID), got ${ids.length}`);
  return { coefficients: wavedecFlat(Float64Array.from([...ids, ...Array.from(curve)])), forInterpretation: false };
}
