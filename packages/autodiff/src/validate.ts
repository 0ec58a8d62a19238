import * as tf from '@tensorflow/tfjs';
import { AutodiffError, describeValue } from './errors';

/** Throws unless `f` is a function. */
export function assertFunction(fn: string, name: string, f: unknown): void {
  if (typeof f !== 'function') {
    throw new AutodiffError(
      'INVALID_ARGUMENT',
      `${fn}(): argument '${name}' must be a function, got ${describeValue(f)}`,
    );
  }
}

/** Where an argument is checked: the public function and the argument's name. */
export interface ArgumentSite {
  fn: string;
  name: string;
}

/** Throws unless `x` is a float32 tf.Tensor (of rank `rank` when given). */
export function assertTensor(at: ArgumentSite, x: unknown, rank?: number): asserts x is tf.Tensor {
  const { fn, name } = at;
  if (!(x instanceof tf.Tensor)) {
    throw new AutodiffError(
      'INVALID_ARGUMENT',
      `${fn}(): argument '${name}' must be a tf.Tensor, got ${describeValue(x)}`,
    );
  }
  if (x.isDisposed) {
    throw new AutodiffError(
      'INVALID_ARGUMENT',
      `${fn}(): argument '${name}' must be a live tensor, got a disposed tensor`,
    );
  }
  if (x.dtype !== 'float32') {
    throw new AutodiffError(
      'INVALID_ARGUMENT',
      `${fn}(): argument '${name}' must be a float32 tensor, got ${describeValue(x)}`,
    );
  }
  if (rank !== undefined && x.rank !== rank) {
    const expected = rank === 2 ? 'a rank-2 [batch, d] tensor' : `a rank-${rank} tensor`;
    throw new AutodiffError(
      'INVALID_ARGUMENT',
      `${fn}(): argument '${name}' must be ${expected}, got ${describeValue(x)}`,
    );
  }
}

/** Throws unless `b` has exactly the shape `shape`. */
export function assertShape(at: ArgumentSite, b: tf.Tensor, shape: readonly number[]): void {
  const { fn, name } = at;
  if (b.shape.length !== shape.length || b.shape.some((d, i) => d !== shape[i])) {
    throw new AutodiffError(
      'SHAPE_MISMATCH',
      `${fn}(): argument '${name}' must have shape [${shape.join(', ')}], got ${describeValue(b)}`,
    );
  }
}

/** Checks the value returned by the user's function `f`. */
export function checkOutput(fn: string, y: unknown): tf.Tensor {
  if (!(y instanceof tf.Tensor)) {
    throw new AutodiffError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'f' must return a tf.Tensor, got ${describeValue(y)}`,
    );
  }
  if (y.dtype !== 'float32') {
    throw new AutodiffError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'f' must return a float32 tensor, got ${describeValue(y)}`,
    );
  }
  return y;
}

/** Checks that `f` returned a scalar. */
export function checkScalarOutput(fn: string, y: unknown): tf.Scalar {
  const t = checkOutput(fn, y);
  if (t.rank !== 0) {
    throw new AutodiffError(
      'NOT_SCALAR',
      `${fn}(): argument 'f' must return a scalar tensor, got ${describeValue(t)}`,
    );
  }
  return t as tf.Scalar;
}

/** Checks that a batched `f` returned one row per input row: `[batch]` (or `[batch, 1]` when `allowColumn`). */
export function checkRowScalarOutput(fn: string, y: unknown, batch: number): tf.Tensor1D {
  const t = checkOutput(fn, y);
  if (t.rank === 1 && t.shape[0] === batch) return t as tf.Tensor1D;
  if (t.rank === 2 && t.shape[0] === batch && t.shape[1] === 1) return tf.reshape(t, [batch]);
  throw new AutodiffError(
    'NOT_SCALAR',
    `${fn}(): argument 'f' must return one scalar per row, shape [${batch}] or [${batch}, 1], got ${describeValue(t)}`,
  );
}
