// Importing the package (any import) re-registers tfjs gradients so nested tf.grad is exact to any order.
import './register-gradients';

export { NoetherError, type NoetherErrorCode, type NoetherErrorOptions } from './noether-error';
export type { RunStatus, FailureStatus, CheckStatus, ProgressInfo, OnProgress } from './status';
export { AutodiffError, describeValue, type AutodiffErrorCode } from './errors';
export { createRng, type Rng, type RngState } from './rng';
export {
  initBackend,
  quietTfjsBanner,
  type BackendName,
  type BackendChoice,
  type InitBackendOptions,
} from './init-backend';
export { replacedGradients } from './register-gradients';
export { grad, valueAndGrad, type TensorFunction } from './grad';
export { disposeAbandonedTape } from './core-gradients';
export { vjp } from './vjp';
export { jvp } from './jvp';
export { hvp } from './hvp';
export { jacobian, type BatchOptions } from './jacobian';
export { hessian } from './hessian';
export { laplacian } from './laplacian';
export { divergence } from './divergence';
export { checkGrads, type CheckGradsOptions, type CheckGradsResult, type GradCheck } from './check-grads';
export { expm, type ExpmOptions } from './expm';
export {
  verifyOrderSafety,
  formatOrderSafetyTable,
  type VerifyOrderSafetyOptions,
  type OrderSafetyRow,
} from './verify-order-safety';
export type { OpCase } from './op-catalogue';
export {
  taylor,
  directionalDerivatives,
  type TaylorOptions,
  type TaylorResult,
  type DirectionRequest,
} from './taylor/taylor';
export { forwardLaplacian, type ForwardLaplacianResult } from './taylor/forward-laplacian';
export { partials, type PartialRequest, type PartialsOptions, type PartialsResult } from './taylor/partials';
export { TAYLOR_RULES } from './taylor/all-taylor-rules';
export type { RowRuleArgs, TaylorRule, TaylorRuleArgs } from './taylor/taylor-rule';
export type { Jet, JetLayout } from './taylor/jet';
export type { AnyJet, RowJet } from './taylor/row-jet';
