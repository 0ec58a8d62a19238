import * as tf from '@tensorflow/tfjs';
import { AutodiffError, describeValue } from '../errors';
import type { TensorFunction } from '../grad';
import { assertFunction, assertShape, assertTensor } from '../validate';
import { coefficientRows, factorial, runJets } from './run-jets';

/** Options of {@link taylor}. */
export interface TaylorOptions {
  /** The direction v, same shape as x (borrowed). */
  direction: tf.Tensor;
  /** The highest derivative order K (an integer from 1 to 8). Default 2. */
  order?: number;
}

/** The value and the directional derivatives of orders 1..K. */
export interface TaylorResult {
  /** f(x). */
  value: tf.Tensor;
  /** `derivatives[k - 1] = d^k/dt^k f(x + t v) at t = 0`, shape of f(x). */
  derivatives: tf.Tensor[];
}

/** One direction of {@link directionalDerivatives}. */
export interface DirectionRequest {
  /** The direction v, same shape as x (borrowed). */
  direction: tf.Tensor;
  /** The highest derivative order along v (1 to 8). */
  order: number;
}

const MAX_ORDER = 8;

function checkOrder(fn: string, name: string, order: unknown): number {
  if (typeof order !== 'number' || !Number.isInteger(order) || order < 1 || order > MAX_ORDER) {
    throw new AutodiffError(
      'INVALID_ARGUMENT',
      `${fn}(): argument '${name}' must be an integer from 1 to ${MAX_ORDER}, got ${describeValue(order)}`,
    );
  }
  return order;
}

/**
 * Directional derivatives of several orders along several directions from ONE forward pass of truncated
 * Taylor series (jets). Each direction carries its own order: a direction needing only the first derivative
 * (u_t) drops out of the higher coefficients of one needing the third (u_xxx).
 *
 * `f` is recorded once (its top-level tfjs kernels, any tfjs function or `LayersModel.apply`) and replayed
 * with the Taylor rules of `@noether/autodiff` (`taylor/rules/`, one per kernel). Every tensor the replay
 * makes is a differentiable tfjs op, so the results can be differentiated again by reverse mode (e.g. weight
 * gradients of a PINN loss through `tf.variableGrads`).
 *
 * @param f - any tensor function of x.
 * @param x - the point, borrowed.
 * @param requests - the directions and their orders.
 * @returns `{ value: f(x), derivatives }` with `derivatives[r][k - 1] = d^k/dt^k f(x + t v_r)|_0`, all owned
 *   by the caller.
 * @throws {AutodiffError} `INVALID_ARGUMENT` for bad arguments; `SHAPE_MISMATCH` when a direction does not
 *   have x's shape; `UNSUPPORTED` naming a kernel without a Taylor rule on a path from x to f(x).
 * @example
 * const { derivatives } = directionalDerivatives((x) => tf.sin(x), tf.tensor1d([0]), [
 *   { direction: tf.tensor1d([1]), order: 3 },
 * ]); // [[cos 0], [-sin 0], [-cos 0]] = [[1], [0], [-1]]
 * @see A. Griewank, A. Walther, Evaluating Derivatives, 2nd ed. (SIAM 2008), ch. 13 (Taylor propagation).
 */
export function directionalDerivatives(
  f: TensorFunction,
  x: tf.Tensor,
  requests: readonly DirectionRequest[],
): { value: tf.Tensor; derivatives: tf.Tensor[][] } {
  const fn = 'directionalDerivatives';
  assertFunction(fn, 'f', f);
  assertTensor({ fn, name: 'x' }, x);
  if (!Array.isArray(requests) || requests.length === 0) {
    throw new AutodiffError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'requests' must be a non-empty array of { direction, order }, got ${describeValue(requests)}`,
    );
  }
  requests.forEach((r, i) => {
    assertTensor({ fn, name: `requests[${i}].direction` }, r?.direction);
    assertShape({ fn, name: `requests[${i}].direction` }, r.direction, x.shape);
    checkOrder(fn, `requests[${i}].order`, r.order);
  });
  return derivativesAlong(fn, f, { x, requests });
}

export function derivativesAlong(
  fn: string,
  f: TensorFunction,
  at: { x: tf.Tensor; requests: readonly DirectionRequest[] },
): { value: tf.Tensor; derivatives: tf.Tensor[][] } {
  const { x, requests } = at;
  const byOrder = requests.map((r, i) => ({ ...r, i })).sort((p, q) => q.order - p.order);
  const order = byOrder[0].order;
  const widths = Array.from({ length: order }, (_, k) => byOrder.filter((r) => r.order >= k + 1).length);
  return tf.tidy(() => {
    const directions = byOrder.map((r) => r.direction);
    const { value, jet } = runJets(fn, f, { x, directions, layout: { order, widths, collapsed: false } });
    const derivatives: tf.Tensor[][] = requests.map(() => []);
    for (let k = 1; k <= order; k++) {
      const rows = coefficientRows(jet, k, widths[k - 1]);
      rows.forEach((row, s) => derivatives[byOrder[s].i].push(k === 1 ? row : tf.mul(row, factorial(k))));
    }
    return { value, derivatives };
  });
}

/**
 * Taylor mode: `f(x)` and its directional derivatives `d^k/dt^k f(x + t v)` at t = 0 for k = 1..K, from one
 * forward propagation of a truncated Taylor series instead of K nested reverse passes (each re-running f).
 * See {@link directionalDerivatives} for how f is recorded and replayed.
 *
 * @param f - any tensor function of x (a tfjs function or `(x) => model.apply(x)` of a LayersModel).
 * @param x - the point, borrowed.
 * @param options - `direction` (shape of x) and `order` (default 2).
 * @returns `{ value, derivatives }`, `derivatives[k - 1]` of f(x)'s shape; owned by the caller.
 * @throws {AutodiffError} `INVALID_ARGUMENT`; `SHAPE_MISMATCH`; `UNSUPPORTED` naming a kernel without a rule.
 * @example
 * const { derivatives } = taylor((x) => tf.tanh(x), tf.tensor1d([0.5]), { direction: tf.tensor1d([1]), order: 3 });
 * @see Griewank & Walther (2008), ch. 13; J. Bettencourt, M. Johnson, D. Duvenaud, "Taylor-mode automatic
 *   differentiation for higher-order derivatives in JAX" (2019).
 */
export function taylor(f: TensorFunction, x: tf.Tensor, options: TaylorOptions): TaylorResult {
  const fn = 'taylor';
  assertFunction(fn, 'f', f);
  assertTensor({ fn, name: 'x' }, x);
  if (options === null || typeof options !== 'object') {
    throw new AutodiffError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'options' must be an object { direction, order }, got ${describeValue(options)}`,
    );
  }
  assertTensor({ fn, name: 'options.direction' }, options.direction);
  assertShape({ fn, name: 'options.direction' }, options.direction, x.shape);
  const order = checkOrder(fn, 'options.order', options.order ?? 2);
  const { value, derivatives } = derivativesAlong(fn, f, {
    x,
    requests: [{ direction: options.direction, order }],
  });
  return { value, derivatives: derivatives[0] };
}
