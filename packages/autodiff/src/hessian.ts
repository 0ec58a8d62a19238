import * as tf from '@tensorflow/tfjs';
import { blockSelector, tileRows, untileRows } from './batch-tiling';
import { reversePass } from './core-gradients';
import { AutodiffError } from './errors';
import type { TensorFunction } from './grad';
import type { BatchOptions } from './jacobian';
import { taylorBatchedHessian } from './taylor/taylor-hessian';
import { assertFunction, assertTensor, checkRowScalarOutput, checkScalarOutput } from './validate';

/** Rows of the Hessian: `∇_x <∇f(x), selector>` for the given selector (one reverse-over-reverse pass). */
export function hessianRows(f: () => tf.Tensor, x: tf.Tensor, selector: tf.Tensor): tf.Tensor {
  return reversePass(() => tf.sum(tf.mul(reversePass(f, x).grad, selector)), x).grad;
}

function unbatchedHessian(f: TensorFunction, x: tf.Tensor): tf.Tensor {
  const n = x.size;
  const rows: tf.Tensor[] = [];
  for (let i = 0; i < n; i++) {
    const select = tf.oneHot(i, n).asType('float32').reshape(x.shape);
    rows.push(
      tf.reshape(
        hessianRows(() => checkScalarOutput('hessian', f(x)), x, select),
        [n],
      ),
    );
  }
  return tf.reshape(tf.stack(rows), [...x.shape, ...x.shape]);
}

/** `[batch, d] -> [batch, d, d]`: all per-row Hessians from one pass over d stacked copies of the batch. */
export function batchedHessianRows(fn: string, f: TensorFunction, x: tf.Tensor2D): tf.Tensor {
  const [batch, d] = x.shape;
  const xs = tileRows(x, d);
  return hessianRows(() => tf.sum(checkRowScalarOutput(fn, f(xs), batch * d)), xs, blockSelector(batch, d));
}

/**
 * The Hessian of a scalar function.
 *
 * - unbatched: `H = ∇²f(x)`, shape `[...x.shape, ...x.shape]`, one reverse-over-reverse pass per entry of x.
 * - `batched: true`: `x` is `[batch, d]`, `f(x)` is `[batch]` (or `[batch, 1]`) with row i depending only on
 *   x row i; result `[batch, d, d]`, H[b] = ∇²f_b(x_b). By Taylor mode: order-2 jets along the d(d+1)/2
 *   directions e_i and e_i + e_j for all rows in one forward pass (polarization). By one reverse-over-reverse
 *   pass over d stacked copies of the batch instead when a kernel has no Taylor rule.
 *
 * @param f - scalar function (unbatched) or row-wise scalar function (batched).
 * @returns `(x) => H`, owned by the caller; `x` borrowed.
 * @throws {AutodiffError} `INVALID_ARGUMENT` (non-function, non-tensor, batched x not rank 2); `NOT_SCALAR`.
 * @example
 * hessian((x) => tf.sum(tf.pow(x, 3)))(tf.tensor1d([1, 2])); // [[6, 0], [0, 12]]
 * hessian((x) => tf.sum(tf.pow(x, 3), 1), { batched: true })(tf.tensor2d([[1, 2], [3, 4]]));
 * // [[[6, 0], [0, 12]], [[18, 0], [0, 24]]]
 * @see Griewank & Walther (2008), ch. 8 (second derivatives).
 */
export function hessian(f: TensorFunction, options: BatchOptions = {}): (x: tf.Tensor) => tf.Tensor {
  assertFunction('hessian', 'f', f);
  const batched = options.batched ?? false;
  return (x: tf.Tensor) => {
    assertTensor({ fn: 'hessian', name: 'x' }, x, batched ? 2 : undefined);
    return tf.tidy(() => {
      if (!batched) return unbatchedHessian(f, x);
      try {
        return taylorBatchedHessian('hessian', f, x as tf.Tensor2D);
      } catch (error) {
        if (!(error instanceof AutodiffError) || error.code !== 'UNSUPPORTED') throw error;
      }
      const [batch, d] = x.shape as [number, number];
      return untileRows(batchedHessianRows('hessian', f, x as tf.Tensor2D), batch, d);
    });
  };
}
