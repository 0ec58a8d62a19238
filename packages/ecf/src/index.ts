export { EcfError, type EcfErrorCode } from './errors';
export type { Invariant, InvariantSpec, ConservationSpec, ResolvedSpec } from './conservation-spec';
export {
  conservationEncoder,
  type ConservationEncoder,
  type ConservedIntegrals,
} from './conservation-encoder';
export { conservationDecoder, type ConservationDecoder, type DecodeOptions } from './conservation-decoder';
export {
  withConservation,
  conservedRollout,
  type ConservedOperator,
  type OperatorLike,
  type WithConservationOptions,
} from './with-conservation';
export { ConservationLayer, type ConservationLayerConfig } from './conservation-layer';
export { conservationErrors, type ConservationErrors } from './conservation-error';
export {
  trainOperator,
  type TrainOperatorOptions,
  type TrainOperatorProgress,
  type TrainOperatorResult,
} from './train-operator';
