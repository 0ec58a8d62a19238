import * as tf from '@tensorflow/tfjs';
import { AutodiffError, describeValue } from './errors';
import { assertTensor } from './validate';

/** Options for {@link expm}. */
export interface ExpmOptions {
  /**
   * Largest 1-norm of the scaled matrix `Z / 2^s` the Taylor polynomial is evaluated on (default 0.5: the
   * degree-10 truncation error is below 3e-10, far under float32 round-off).
   */
  scaledNormMax?: number;
  /** Degree of the Taylor polynomial (default 10). */
  degree?: number;
}

/**
 * Batched, differentiable matrix exponential `expm(Z)` of square matrices `[..., m, m]` by scaling and
 * squaring: `expm(Z) = T_d(Z / 2^s)^(2^s)`, with `T_d` the degree-`d` Taylor polynomial evaluated by Horner's
 * rule, and one `s` for the whole batch chosen from the largest 1-norm so that `‖Z‖₁ / 2^s ≤ scaledNormMax`.
 * Built only from `matMul` and `add`, so gradients of any order flow through it (tfjs has no `expm`).
 *
 * Accuracy (float32): round-off level relative to `‖expm(Z)‖` for `‖Z‖` up to 4π (tested against a float64
 * series); the squaring count `s` is read from the data (one synchronous read), and treated as a constant
 * when differentiating.
 *
 * @param z - `[..., m, m]` float32, borrowed.
 * @returns `[..., m, m]`, owned by the caller.
 * @throws {AutodiffError} `INVALID_ARGUMENT` for a non-tensor, non-square input or bad options; `NON_FINITE`
 *   when `z` contains NaN or Infinity.
 * @example
 * const r = expm(tf.tensor3d([[[0, Math.PI / 2], [-Math.PI / 2, 0]]])); // [[[0, 1], [-1, 0]]] (a rotation)
 * @see N. J. Higham, "The scaling and squaring method for the matrix exponential revisited", SIAM J. Matrix
 *   Anal. Appl. 26 (2005); C. Moler & C. Van Loan, "Nineteen dubious ways to compute the exponential of a
 *   matrix, twenty-five years later", SIAM Review 45 (2003).
 */
export function expm(z: tf.Tensor, options: ExpmOptions = {}): tf.Tensor {
  const fn = 'expm';
  assertTensor({ fn, name: 'z' }, z);
  const m = z.shape[z.rank - 1];
  if (z.rank < 2 || z.shape[z.rank - 2] !== m) {
    throw new AutodiffError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'z' must be a batch of square matrices [..., m, m], got ${describeValue(z)}`,
    );
  }
  const theta = options.scaledNormMax ?? 0.5;
  if (!Number.isFinite(theta) || theta <= 0) {
    throw new AutodiffError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'options.scaledNormMax' must be a finite positive number, got ${describeValue(theta)}`,
    );
  }
  const degree = options.degree ?? 10;
  if (!Number.isInteger(degree) || degree < 1 || degree > 30) {
    throw new AutodiffError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'options.degree' must be an integer in [1, 30], got ${describeValue(degree)}`,
    );
  }
  const norm = maxOneNorm(z);
  if (!Number.isFinite(norm)) {
    throw new AutodiffError('NON_FINITE', `${fn}(): argument 'z' contains NaN or Infinity`);
  }
  const squarings = norm > theta ? Math.ceil(Math.log2(norm / theta)) : 0;
  return tf.tidy(() => {
    const batchShape = z.shape.slice(0, -2);
    const x = z.reshape([-1, m, m]) as tf.Tensor3D;
    const scaled = squarings > 0 ? (tf.mul(x, 2 ** -squarings) as tf.Tensor3D) : x;
    const eye = tf.eye(m).expandDims(0) as tf.Tensor3D;
    // Horner: T = I + X (I + X/2 (I + X/3 (... (I + X/d)))).
    let t: tf.Tensor3D = tf.add(eye, tf.mul(scaled, 1 / degree));
    for (let k = degree - 1; k >= 1; k--) {
      t = tf.add(eye, tf.mul(tf.matMul(scaled, t), 1 / k));
    }
    for (let i = 0; i < squarings; i++) t = tf.matMul(t, t);
    return t.reshape([...batchShape, m, m]);
  });
}

/** Largest 1-norm (maximum absolute column sum) over the batch, read synchronously. */
function maxOneNorm(z: tf.Tensor): number {
  const m = z.shape[z.rank - 1];
  const data = z.dataSync();
  let max = 0;
  for (let base = 0; base < data.length; base += m * m) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += Math.abs(data[base + i * m + j]);
      if (Number.isNaN(s)) return NaN;
      if (s > max) max = s;
    }
  }
  return max;
}
