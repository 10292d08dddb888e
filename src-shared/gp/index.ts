// The hierarchical heteroscedastic GP of gait cycles (methods-spec §4, §5.4): pure float64 numerics, no Node,
// no DOM. Fit with fitHierarchy on per-leaf cell statistics; read results with predict, pooledPredictive,
// the metrics and comparisons; record a fit with gpRunRecord.
export * from './cell-stats';
export * from './structure';
export { evaluateBound, factorKernels, JitterExhaustedError, type GpData, type GpModel, type BoundEvaluation } from './bound';
export * from './fit';
export * from './predict';
export * from './metrics';
export * from './comparison';
export * from './kl-asymmetry';
export * from './split';
export * from './run-record';
export * from './synthetic';
export { seededNormal, seededRandom } from '../random';
