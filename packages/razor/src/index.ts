// Importing @noether/autodiff (through these modules) installs its order-safe gradients.
export { RazorError, type RazorErrorCode } from './errors';
export { networkValue, networkInputGradient, eluAlpha, type NetworkWeights } from './observable-network';
export {
  createMatrixNormal,
  sampleMatrixNormal,
  matrixNormalKl,
  optimalPriorPrecision,
  type MatrixNormalPosterior,
  type MatrixNormalInit,
} from './matrix-normal';
export {
  quadraticGenerators,
  sampleFlowCoefficients,
  sampleFlows,
  identityFlows,
  symmetrisedHamiltonian,
  symmetrisedGradient,
  eulerPredict,
  type Flows,
  type SymmetrisedNetwork,
} from './symmetrised-hamiltonian';
export {
  createRazorModel,
  razorLoss,
  type RazorModel,
  type RazorModelOptions,
  type RazorVariant,
  type RazorLossOptions,
  type TransitionBatch,
} from './create-razor-model';
export { svd64, type Svd64 } from './svd64';
export {
  symmetryDiagnostics,
  orthonormalBasis,
  type SymmetryDiagnostics,
  type SymmetryDiagnosticsOptions,
} from './symmetry-diagnostics';
export {
  readableLaws,
  monomialNames,
  generatorToMonomials,
  type ReadableLaw,
  type ReadableLawsOptions,
} from './readable-laws';
export { transitionPairs, type TrajectorySet } from './transition-pairs';
