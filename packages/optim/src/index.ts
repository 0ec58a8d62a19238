export { OptimError, type OptimErrorCode } from './errors';
export { float64Ops, tensorOps, type VectorOps } from './vector-ops';
export {
  strongWolfe,
  cubicMinimizer,
  type LossAndGrad,
  type LossAndGradValue,
  type StrongWolfeOptions,
  type StrongWolfeResult,
} from './strong-wolfe';
export {
  createLbfgs,
  type Lbfgs,
  type LbfgsOptions,
  type LbfgsState,
  type LbfgsStatus,
} from './create-lbfgs';
export {
  minimize,
  minimizeFloat64,
  variablesObjective,
  type IterationInfo,
  type MinimizeOptions,
  type MinimizeResult,
} from './minimize';
export {
  memoryCheckpointStore,
  checkCheckpoint,
  encodeFloat32,
  decodeFloat32,
  type Checkpoint,
  type CheckpointStore,
  type StepRecord,
  type EncodedArray,
} from './checkpoint';
export { fileCheckpointStore } from './file-checkpoint-store';
export {
  adamOptimizer,
  lbfgsOptimizer,
  type TrainingOptimizer,
  type OptimizerStep,
  type LossTerms,
} from './optimizers';
export {
  createTrainer,
  train,
  type Trainer,
  type TrainerOptions,
  type TrainOptions,
  type TrainResult,
} from './trainer';
export {
  lanczos,
  spectralDensity,
  densityOnGrid,
  type SymmetricMatVec,
  type LanczosOptions,
  type LanczosResult,
  type SpectralDensity,
  type SpectralDensityOptions,
} from './lanczos';
