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
