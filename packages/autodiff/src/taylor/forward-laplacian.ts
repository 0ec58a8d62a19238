import * as tf from '@tensorflow/tfjs';
import { AutodiffError, describeValue } from '../errors';
import type { TensorFunction } from '../grad';
import type { BatchOptions } from '../jacobian';
import { assertFunction, assertTensor } from '../validate';
import { coefficientOrZeros, runJets } from './run-jets';

/** The value, gradient and Laplacian of {@link forwardLaplacian}. */
export type ForwardLaplacianResult = {
  /** f(x): a scalar (unbatched) or `[batch]` (batched). */
  value: tf.Tensor;
  /** ∇f(x): shape of x (unbatched) or `[batch, d]` (batched). */
  gradient: tf.Tensor;
  /** Δf(x) = Σ_i ∂²f/∂x_i²: a scalar (unbatched) or `[batch]` (batched). */
  laplacian: tf.Tensor;
};

/** The unit directions e_j, each of x's shape: n of them (unbatched), or d with e_j in every row (batched). */
function unitDirections(x: tf.Tensor, batched: boolean): tf.Tensor[] {
  const [rows, d] = batched ? (x.shape as [number, number]) : [1, x.size];
  return Array.from({ length: d }, (_, j) => {
    const values = new Float32Array(rows * d);
    for (let b = 0; b < rows; b++) values[b * d + j] = 1;
    return tf.tensor(values, x.shape, 'float32');
  });
}

/**
 * The forward Laplacian: value, gradient and Laplacian of a scalar function carried together through every
 * kernel in ONE forward pass (coefficient 1 holds one row per input dimension, coefficient 2 only their sum),
 * instead of one reverse-over-reverse pass per dimension. Same recording and rules as {@link taylor}; the
 * results are differentiable again (weight gradients of a Laplacian loss).
 *
 * - unbatched: `f(x)` a scalar.
 * - `batched: true`: x `[batch, d]`, `f(x)` `[batch]` or `[batch, 1]` with row b depending only on x row b.
 *
 * @param f - scalar (or row-wise scalar) tensor function.
 * @param x - the point(s), borrowed.
 * @param options - `batched` (default false).
 * @returns `{ value, gradient, laplacian }`, owned by the caller.
 * @throws {AutodiffError} `INVALID_ARGUMENT`; `NOT_SCALAR` when f's output is not a (row) scalar;
 *   `UNSUPPORTED` naming a kernel without a Taylor rule.
 * @example
 * const { laplacian } = forwardLaplacian((x) => tf.sum(tf.square(x), 1), tf.ones([4, 3]), { batched: true });
 * // [6, 6, 6, 6]
 * @see R. Li et al., "Forward Laplacian: a new computational framework for neural network-based variational
 *   Monte Carlo" (2023); F. Dangel, T. Siebert, M. Zeinhofer, A. Walther, "Collapsing Taylor mode automatic
 *   differentiation" (2024).
 */
export function forwardLaplacian(
  f: TensorFunction,
  x: tf.Tensor,
  options: BatchOptions = {},
): ForwardLaplacianResult {
  const fn = 'forwardLaplacian';
  assertFunction(fn, 'f', f);
  const batched = options.batched ?? false;
  assertTensor({ fn, name: 'x' }, x, batched ? 2 : undefined);
  return tf.tidy(() => forwardLaplacianOf(fn, f, { x, batched }));
}

/**
 * The forward Laplacian without argument checks, inside the caller's tidy; `fn` names the public function in
 * errors (so `laplacian` reports as itself).
 */
export function forwardLaplacianOf(
  fn: string,
  f: TensorFunction,
  at: { x: tf.Tensor; batched: boolean },
): ForwardLaplacianResult {
  const { x, batched } = at;
  const n = batched ? (x.shape[1] as number) : x.size;
  const layout = { order: 2, widths: [n, 1], collapsed: true };
  const batch = batched ? x.shape[0] : 1;
  const checkValue = (value: tf.Tensor) => {
    const okShape = batched
      ? (value.rank === 1 && value.shape[0] === batch) ||
        (value.rank === 2 && value.shape[0] === batch && value.shape[1] === 1)
      : value.rank === 0;
    if (!okShape) {
      throw new AutodiffError(
        'NOT_SCALAR',
        `${fn}(): argument 'f' must return ${batched ? `one scalar per row, shape [${batch}] or [${batch}, 1]` : 'a scalar tensor'}, got ${describeValue(value)}`,
      );
    }
  };
  const { value, jet } = runJets(fn, f, { x, directions: unitDirections(x, batched), layout, checkValue });
  const c1 = coefficientOrZeros(jet, 1, n);
  const c2 = coefficientOrZeros(jet, 2, 1);
  if (!batched) {
    return { value, gradient: tf.reshape(c1, x.shape), laplacian: tf.mul(tf.reshape(c2, []), 2) };
  }
  return {
    value: tf.reshape(value, [batch]),
    gradient: tf.transpose(tf.reshape(c1, [n, batch])),
    laplacian: tf.mul(tf.reshape(c2, [batch]), 2),
  };
}
