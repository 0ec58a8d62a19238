export { OperatorsError, type OperatorsErrorCode } from './errors';
export { realDftTables, complexDftTables, type RealDftTables, type ComplexDftTables } from './dft-tables';
export {
  spectralConv1d,
  spectralConv2d,
  spectralTables1d,
  spectralTables2d,
  type SpectralTables1d,
  type SpectralTables2d,
} from './spectral-conv';
export {
  gelu,
  type NeuralOperator,
  type OperatorConfig,
  type FnoConfig,
  type UnetConfig,
} from './neural-operator';
export { createFno1d, createFno2d, type FnoOptions } from './create-fno';
export { createUnet1d, type Unet1dOptions } from './create-unet1d';
export { operatorArtifacts, saveOperator, loadOperator, operatorFiles } from './save-operator';
export { relativeL2, relativeL264 } from './relative-l2';
export { rollout, teacherForcingLoss, pushforwardLoss, detach, type StepFunction } from './rollout';
