export { OptimError, type OptimErrorCode } from './errors';
export { float64Ops, tensorOps, type VectorOps } from './vector-ops';
export {
  strongWolfe,
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
  type LbfgsReason,
} from './create-lbfgs';
export {
  minimize,
  minimize64,
  variablesObjective,
  type MinimizeProgress,
  type MinimizeOptions,
  type MinimizeResult,
} from './minimize';
export {
  memoryCheckpointStore,
  encodeFloat32,
  decodeFloat32,
  type Checkpoint,
  type CheckpointStore,
  type StepRecord,
  type EncodedArray,
} from './checkpoint';
export { fileCheckpointStore, type FileCheckpointStoreOptions } from './file-checkpoint-store';
export { canonicalJson, settingsHash } from './settings-hash';
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
  type TrainProgress,
} from './trainer';
