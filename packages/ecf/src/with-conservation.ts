import * as tf from '@tensorflow/tfjs';
import { rollout } from '@noether/operators';
import { integrate } from './conservation-encoder';
import type { ConservedIntegrals } from './conservation-encoder';
import { decodeWith } from './conservation-decoder';
import type { DecodeOptions } from './conservation-decoder';
import { fieldShape, resolveSpec } from './conservation-spec';
import type { ConservationSpec, ResolvedSpec } from './conservation-spec';
import { invalid } from './errors';

/** Anything that maps a tensor to a tensor: a function, a `tf.LayersModel`, a `NeuralOperator`. */
export type OperatorLike =
  | ((x: tf.Tensor) => tf.Tensor)
  | { apply(x: tf.Tensor): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] };

/**
 * An operator whose outputs conserve what its input (or a given target) conserves. Callable like the
 * operator: `wrapped(x)` returns the projected `operator(x)` with targets encoded from `x` (one-step mode).
 */
export interface ConservedOperator {
  (x: tf.Tensor): tf.Tensor;
  /** `operator(x)` projected onto given targets (e.g. those of the initial condition in a rollout). */
  applyWithTargets(x: tf.Tensor, targets: ConservedIntegrals): tf.Tensor;
  /** The encoder: the conserved integrals of a field (float64). */
  encode(u: tf.Tensor): ConservedIntegrals;
  /** The unwrapped operator as a function. */
  readonly operator: (x: tf.Tensor) => tf.Tensor;
  readonly spec: ResolvedSpec;
}

/** Options of {@link withConservation} beyond the fixed `{ weights, invariants }`. */
export interface WithConservationOptions extends ConservationSpec, DecodeOptions {}

/** Turns an {@link OperatorLike} into a function. */
function asFunction(operator: OperatorLike, fn: string): (x: tf.Tensor) => tf.Tensor {
  if (typeof operator === 'function') return operator;
  if (operator && typeof (operator as { apply?: unknown }).apply === 'function') {
    return (x) => {
      const y = operator.apply(x);
      if (!(y instanceof tf.Tensor)) invalid([fn, 'operator'], 'an operator returning one tensor', y);
      return y;
    };
  }
  return invalid([fn, 'operator'], 'a function of a tensor, a tf.LayersModel or a NeuralOperator', operator);
}

/**
 * Wraps any operator (a function, a `tf.LayersModel`, a `NeuralOperator`) so its predictions carry exactly
 * the conserved integrals of its input: the ECF encoder reads `Σ w u` and/or `Σ w u²` of the input per
 * sample and channel (float64), the operator predicts, the decoder projects the prediction onto those values
 * (`@noether/pinn-proj`'s projection; on a uniform grid with `['linear']` the paper's zero-mode replacement).
 * The result is differentiable in the operator's parameters, so it can be trained wrapped (integrated mode)
 * or wrapped after plain training (staged mode). Tensors: inputs borrowed, outputs owned by the caller.
 *
 * @param operator - maps `[batch, n, C]` (or `[batch, nx, ny, C]`) to the same shape.
 * @param spec - `{ weights, invariants }`: weights of length n (or nx·ny) or a `Quadrature`; invariants
 *   `['linear']`, `['quadratic']`, `['linear', 'quadratic']`, or an object per channel index; plus
 *   {@link DecodeOptions}.
 * @throws {EcfError} `INVALID_ARGUMENT` for a bad operator or spec; `SHAPE_MISMATCH` (when called) for a
 *   field that does not match the weights or an operator that changes the shape.
 * @example
 * const fno = createFno1d({ inChannels: 1, modes: 16, width: 64 });
 * const ecf = withConservation(fno, { weights: new Float64Array(256).fill(1 / 256), invariants: ['linear'] });
 * const next = ecf(u); // Σ w next = Σ w u per sample, to float32 rounding
 * @see Dong et al., arXiv 2511.16573 (2025).
 */
export function withConservation(operator: OperatorLike, spec: WithConservationOptions): ConservedOperator {
  const fn = 'withConservation';
  const f = asFunction(operator, fn);
  const resolved = resolveSpec(spec, fn);
  const decode: DecodeOptions = { precise: spec.precise, varianceFloor: spec.varianceFloor };
  const encode = (u: tf.Tensor) => integrate(u.dataSync(), fieldShape(u, resolved, [fn, 'x']), resolved);
  const applyWithTargets = (x: tf.Tensor, targets: ConservedIntegrals) =>
    tf.tidy(() => {
      const y = f(x);
      if (!(y instanceof tf.Tensor) || y.shape.join() !== x.shape.join())
        invalid([fn, 'operator'], `an operator that preserves the shape [${x.shape.join(', ')}]`, y);
      return decodeWith(resolved, y, { ...decode, targets });
    });
  const wrapped = ((x: tf.Tensor) => applyWithTargets(x, encode(x))) as ConservedOperator;
  return Object.assign(wrapped, { applyWithTargets, encode, operator: f, spec: resolved });
}

/**
 * Autoregressive rollout of a wrapped operator with the targets taken once from the initial condition
 * (`target: 'initial'`, default: the conserved integrals cannot drift, whatever the step errors) or
 * re-encoded from each step's input (`'input'`: one-step mode; round-off may accumulate).
 *
 * @returns `[steps, batch, ...]`, owned by the caller.
 * @example
 * const traj = conservedRollout(ecf, u0, { steps: 100 });
 */
export function conservedRollout(
  wrapped: ConservedOperator,
  u0: tf.Tensor,
  options: { steps: number; target?: 'initial' | 'input' },
): tf.Tensor {
  const fn = 'conservedRollout';
  if (typeof wrapped?.applyWithTargets !== 'function')
    invalid([fn, 'wrapped'], 'a ConservedOperator from withConservation', wrapped);
  const target = options?.target ?? 'initial';
  if (target !== 'initial' && target !== 'input')
    invalid([fn, 'options.target'], "'initial' or 'input'", target);
  if (target === 'input') return rollout(wrapped, u0, { steps: options.steps });
  const targets = wrapped.encode(u0);
  return rollout((u) => wrapped.applyWithTargets(u, targets), u0, { steps: options.steps });
}
