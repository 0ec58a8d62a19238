export { IntegratorError, type IntegratorErrorCode } from './errors';
export { realOps, dualOps, gradient, type ScalarOps, type ScalarFunction, type Dual } from './scalar-ops';
export {
  defineSplittingScheme,
  composeWeights,
  compose,
  splittingOrder,
  type SplittingScheme,
  type SplittingSchemeSpec,
  type SplittingFlow,
} from './splitting-scheme';
export {
  defineButcherTableau,
  rungeKuttaOrder,
  type ButcherTableau,
  type ButcherTableauSpec,
} from './butcher-tableau';
export {
  methods,
  symplecticEulerA,
  symplecticEulerB,
  leapfrog,
  leapfrogDKD,
  leapfrogKDK,
  velocityVerlet,
  ruth3,
  forestRuth,
  mclachlan4,
  blanesMoan4,
  yoshida6,
  kahanLi6,
  kahanLi8,
  mclachlan8,
  implicitMidpoint,
  gaussLegendre4,
  gaussLegendre6,
  euler,
  midpoint,
  heun,
  rk4,
  dormandPrince54,
  type Method,
  type MethodName,
} from './methods';
export {
  separable,
  hamiltonian,
  firstOrder,
  type System,
  type SeparableSystem,
  type SeparableSpec,
  type HamiltonianSystem,
  type HamiltonianSpec,
  type FirstOrderSystem,
  type VectorFn,
  type EnergyFn,
  type FieldFn,
  type ArrayLike64,
} from './systems';
export {
  createStepper,
  type Stepper,
  type StepperState,
  type StepOutcome,
  type StepperOptions,
  type StepRange,
  type AdvanceOutcome,
} from './create-stepper';
export {
  integrate,
  type IntegrateOptions,
  type IntegrateProgress,
  type IntegrateResult,
  type IntegrateStatus,
} from './integrate';
export {
  energyError,
  reversibilityError,
  symplecticityError,
  type EnergyErrorResult,
  type FlowDiagnosticOptions,
  type SymplecticityResult,
} from './diagnostics';
