export { PinnProjError, type PinnProjErrorCode } from './errors';
export {
  quadrature,
  productQuadrature,
  resolveWeights,
  type Quadrature,
  type QuadratureRule,
  type QuadratureOptions,
  type WeightSpec,
} from './quadrature';
export {
  targetConstants,
  type Target,
  type Constraint,
  type ConstraintType,
  type InfeasiblePolicy,
  type SliceStatus,
  type TargetConstants,
} from './constraint';
export {
  project64,
  projectLinear64,
  projectQuadratic64,
  projectJoint64,
  integrals64,
  conservationError64,
  type Projection64,
  type ProjectOptions,
} from './project64';
export { project, projectLinear, projectQuadratic, projectJoint } from './project';
export {
  withProjection,
  projectPerPoint,
  timeLevelsOf,
  type NetLike,
  type ProjectedNet,
  type TimeLevels,
  type TimeDerivativeMode,
  type WithProjectionOptions,
} from './with-projection';
export { ProjectionLayer, type ProjectionLayerConfig } from './projection-layer';
export { latinHypercube, sampleOnTimeLevels, timeGrid, type Bounds, type LevelSample } from './samplers';
export { partials, type PartialsOptions } from './partials';
export { integralPenalty, penaltyLoss, evaluateOnGrid } from './penalty';
