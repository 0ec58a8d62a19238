export { ParamSymmetryError, type ParamSymmetryErrorCode } from './errors';
export {
  defineDenseChain,
  denseChainFromModel,
  readWeights64,
  toTensors,
  flatten64,
  unflatten64,
  type Activation,
  type Normalization,
  type DenseLayer,
  type DenseChain,
  type DenseChainSpec,
  type Weights64,
} from './dense-chain';
export {
  lossAndGrad64,
  predict64,
  chainLoss,
  type LossKind,
  type Data64,
  type TensorData,
  type LossAndGrad64,
} from './mlp64';
export {
  noetherCharges,
  type Charge,
  type ChargeGroup,
  type ChargeSet,
  type DiscreteSymmetry,
} from './noether-charges';
export {
  evaluateCharges,
  expectedCharges,
  chargeResidual,
  createChargeMonitor,
  type ChargeValue,
  type GdLawOptions,
  type ChargeMonitor,
  type ChargeMonitorOptions,
  type ChargeMonitorState,
  type ChargeStepRecord,
  type ChargeWarning,
} from './expected-charges';
export {
  rescaleNeurons,
  transformLinear,
  permuteNeurons,
  flipSigns,
  checkInvariance,
  balance,
  initWeights64,
  canonicalize,
  type LayerRef,
  type InvarianceCheck,
  type BalanceOptions,
  type BalanceResult,
  type InitOptions,
} from './symmetry-actions';
export { regressionData, classificationData } from './synthetic-data';
export {
  gradientFlow,
  type GradientFlowOptions,
  type GradientFlowResult,
  type GradientFlowProgress,
} from './gradient-flow';
export { sharpness, type SharpnessOptions, type SharpnessResult } from './sharpness';
export {
  teleport,
  train64,
  type TeleportOptions,
  type TeleportResult,
  type Train64Options,
  type Train64Result,
  type Train64Progress,
} from './teleport';
export { hungarian } from './hungarian';
export { weightMatch, type WeightMatchOptions, type WeightMatchResult } from './weight-match';
export { lossBarrier, type LossBarrierResult } from './loss-barrier';
export { fit64, type Fit64Result } from './fit64';
