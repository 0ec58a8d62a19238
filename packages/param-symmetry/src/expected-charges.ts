import * as tf from '@tensorflow/tfjs';
import { checkWeights64, readWeights64, type Weights64 } from './dense-chain';
import { checkNumber, invalid } from './errors';
import type { Charge, ChargeSet } from './noether-charges';

/** The value of one charge at one point (float64 arrays of the charge's shape). */
export interface ChargeValue {
  readonly charge: Charge;
  /** The charge. */
  readonly value: Float64Array;
  /** The scale of each component ({@link Charge.mass64}); relative errors divide by it. */
  readonly mass: Float64Array;
}

/** Step size and coupled weight decay of plain GD: `theta <- theta - lr (g + weightDecay theta)`. */
export interface GdLawOptions {
  /** Learning rate (step) `eta > 0`. */
  lr: number;
  /** Coupled weight decay `lambda >= 0`. Default 0. */
  weightDecay?: number;
}

function toWeights64(
  where: readonly [fn: string, arg: string],
  set: ChargeSet,
  weights: Weights64 | readonly tf.Tensor[],
): Weights64 {
  const [fn, arg] = where;
  if (Array.isArray(weights) && weights.length > 0 && weights[0] instanceof tf.Tensor)
    return checkWeights64([fn, arg], set.chain, readWeights64(weights as tf.Tensor[]));
  return checkWeights64([fn, arg], set.chain, weights);
}

/**
 * Evaluates every charge of `set` at `weights` (float64 arrays, or float32 tensors which are read and then
 * evaluated in float64, so the measurement adds no float32 round-off). Tensors are borrowed.
 *
 * @throws ParamSymmetryError `INVALID_ARGUMENT` / `SHAPE_MISMATCH` for a weight list of the wrong layout.
 * @example
 * ```ts
 * const q0 = evaluateCharges(set, weights);
 * ```
 */
export function evaluateCharges(set: ChargeSet, weights: Weights64 | readonly tf.Tensor[]): ChargeValue[] {
  const w = toWeights64(['evaluateCharges', 'weights'], set, weights);
  return set.charges.map((charge) => ({ charge, value: charge.evaluate64(w), mass: charge.mass64(w) }));
}

/**
 * The charges after one plain GD step, by the exact discrete law. For a quadratic charge
 * `Q(theta) = theta^T S theta` whose symmetry leaves the loss invariant (so `theta^T S g = 0`),
 * `theta' = (1 - eta lambda) theta - eta g` gives exactly
 * `Q(theta') = (1 - eta lambda)^2 Q(theta) + eta^2 Q(g)`; a linear charge gives
 * `(1 - eta lambda) Q(theta) - eta c^T g` (with `c^T g = 0`). `grads` is the gradient used at the step
 * (float64 arrays or tensors, borrowed). The returned masses are those of `values`.
 *
 * @throws ParamSymmetryError `INVALID_ARGUMENT` for a bad `lr` / `weightDecay` or gradient layout.
 * @example
 * ```ts
 * const predicted = expectedCharges(evaluateCharges(set, w), grads, { lr: 0.01 });
 * ```
 * @see D. Kunin et al., "Neural Mechanics", ICLR 2021 (modified conservation laws of discrete GD).
 */
export function expectedCharges(
  values: readonly ChargeValue[],
  grads: Weights64 | readonly tf.Tensor[],
  options: GdLawOptions,
): ChargeValue[] {
  const fn = 'expectedCharges';
  if (!Array.isArray(values)) invalid([fn, 'values'], 'the result of evaluateCharges()', values);
  if (!options || typeof options !== 'object') invalid([fn, 'options'], 'an object { lr }', options);
  const eta = checkNumber([fn, 'lr'], options.lr, { min: 0 });
  const lambda = checkNumber([fn, 'weightDecay'], options.weightDecay ?? 0, { min: 0, inclusive: true });
  if (!Array.isArray(grads)) invalid([fn, 'grads'], 'an array of Float64Array or tf.Tensor', grads);
  const g: Weights64 =
    grads.length > 0 && grads[0] instanceof tf.Tensor
      ? readWeights64(grads as tf.Tensor[])
      : (grads as Weights64);
  const shrink = 1 - eta * lambda;
  return values.map(({ charge, value, mass }) => {
    const qg = charge.evaluate64(g);
    const next =
      charge.degree === 2
        ? value.map((q: number, i: number) => shrink * shrink * q + eta * eta * qg[i])
        : value.map((q: number, i: number) => shrink * q - eta * qg[i]);
    return { charge, value: next, mass };
  });
}

/** Largest `|a - b| / mass` over every component of every charge (`mass` from `a`). */
export function chargeResidual(actual: readonly ChargeValue[], expected: readonly ChargeValue[]): number {
  let worst = 0;
  actual.forEach((a, c) => {
    const e = expected[c];
    for (let i = 0; i < a.value.length; i++)
      worst = Math.max(worst, Math.abs(a.value[i] - e.value[i]) / Math.max(a.mass[i], e.mass[i]));
  });
  return worst;
}

/** What a {@link ChargeMonitor} records at one step. */
export interface ChargeStepRecord {
  step: number;
  /** Per charge: largest `|Q_actual - Q_law| / mass` over its components at this step. */
  residuals: number[];
  /** Largest of `residuals`. */
  maxResidual: number;
}

/** A warning of a {@link ChargeMonitor}: the optimiser broke a charge's conservation law by `size`. */
export interface ChargeWarning {
  step: number;
  charge: string;
  /** Relative size of the break (`|Q_actual - Q_law| / mass`). */
  size: number;
  message: string;
}

/** Options of {@link createChargeMonitor}. */
export interface ChargeMonitorOptions extends GdLawOptions {
  /** A relative residual above this is a break of the law. Default 1e-4 (float32 GD stays near 1e-7). */
  tol?: number;
  /** Called once per charge, the first time its law is broken. Default: `console.warn(message)`. */
  onWarning?: (warning: ChargeWarning) => void;
}

/** State of a {@link ChargeMonitor} (explicit state in, explicit state out). */
export interface ChargeMonitorState {
  readonly step: number;
  readonly values: readonly ChargeValue[];
  /** Per charge: largest residual so far. */
  readonly maxResiduals: readonly number[];
  /** Per charge: accumulated signed drift `sum_k (Q_{k+1} - law_k)` of its largest component, relative to the initial mass. */
  readonly drift: readonly number[];
  readonly warned: readonly boolean[];
  readonly last?: ChargeStepRecord;
}

/** A training monitor: `init(weights)`, then `step(state, grads, weightsAfter)` after each optimiser step. */
export interface ChargeMonitor {
  init(weights: Weights64 | readonly tf.Tensor[]): ChargeMonitorState;
  step(
    state: ChargeMonitorState,
    grads: Weights64 | readonly tf.Tensor[],
    weightsAfter: Weights64 | readonly tf.Tensor[],
  ): ChargeMonitorState;
}

/**
 * A training monitor that logs each charge's drift against the exact discrete law of plain GD
 * ({@link expectedCharges}) and warns when the optimiser breaks conservation, with the size of the break.
 * Plain GD/SGD stays at round-off (about 1e-7 relative in float32); momentum and Adam do not follow the
 * law, and their residual is the size of the break.
 *
 * @throws ParamSymmetryError `INVALID_ARGUMENT` for bad options or weight layouts.
 * @example
 * ```ts
 * const monitor = createChargeMonitor(set, { lr: 0.01 });
 * let s = monitor.init(model.getWeights());
 * // after each optimiser step, with the gradients it used:
 * s = monitor.step(s, grads, model.getWeights());
 * ```
 */
export function createChargeMonitor(set: ChargeSet, options: ChargeMonitorOptions): ChargeMonitor {
  const fn = 'createChargeMonitor';
  checkNumber([fn, 'lr'], options?.lr, { min: 0 });
  const tol = checkNumber([fn, 'tol'], options.tol ?? 1e-4, { min: 0 });
  const law = { lr: options.lr, weightDecay: options.weightDecay ?? 0 };
  const onWarning = options.onWarning ?? ((w: ChargeWarning) => console.warn(w.message));
  return {
    init(weights) {
      const values = evaluateCharges(set, weights);
      return {
        step: 0,
        values,
        maxResiduals: values.map(() => 0),
        drift: values.map(() => 0),
        warned: values.map(() => false),
      };
    },
    step(state, grads, weightsAfter) {
      const expected = expectedCharges(state.values, grads, law);
      const actual = evaluateCharges(set, toWeights64([fn, 'weightsAfter'], set, weightsAfter));
      const residuals = actual.map((a, c) => chargeResidual([a], [expected[c]]));
      const drift = state.drift.map((d, c) => {
        let k = 0;
        const v = actual[c].value;
        for (let i = 1; i < v.length; i++) if (Math.abs(v[i]) > Math.abs(v[k])) k = i;
        return d + (v[k] - expected[c].value[k]) / state.values[c].mass[k];
      });
      const warned = state.warned.slice();
      residuals.forEach((r, c) => {
        if (r > tol && !warned[c]) {
          warned[c] = true;
          const name = set.charges[c].name;
          onWarning({
            step: state.step + 1,
            charge: name,
            size: r,
            message: `charge monitor: step ${state.step + 1}: the optimiser breaks ${name} by ${r.toExponential(2)} relative (the plain-GD law holds to round-off; tol ${tol})`,
          });
        }
      });
      const last = { step: state.step + 1, residuals, maxResidual: Math.max(0, ...residuals) };
      return {
        step: state.step + 1,
        values: actual,
        maxResiduals: state.maxResiduals.map((m, c) => Math.max(m, residuals[c])),
        drift,
        warned,
        last,
      };
    },
  };
}
