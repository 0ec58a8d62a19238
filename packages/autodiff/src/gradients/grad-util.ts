import * as tf from '@tensorflow/tfjs';

/**
 * Evaluates `fn(...inputs)` as a float32 tensor whose derivative with respect to every input is exactly zero.
 * Used for masks inside gradients (`x > 0`, `a >= b`, `x == max(x)`): the comparison kernels it calls are run
 * inside a single custom-gradient node, so no tape ever needs their (non-existent) gradients.
 */
export function nonDifferentiable(fn: (...inputs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[]): tf.Tensor {
  const op = tf.customGrad((...args: unknown[]) => {
    const tensors = args.slice(0, inputs.length) as tf.Tensor[];
    const value = tf.cast(fn(...tensors), 'float32');
    return {
      value,
      gradFunc: () => tensors.map((t) => tf.zeros(t.shape, 'float32')),
    };
  });
  return (op as (...t: tf.Tensor[]) => tf.Tensor)(...inputs);
}

/** A float32 0/1 mask of `predicate(x)`, with zero derivative. */
export function maskOf(x: tf.Tensor, predicate: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
  return nonDifferentiable(predicate, [x]);
}

/** Axes of `outShape` that broadcasting expanded from `inShape` (numpy rules, right-aligned). */
function reductionAxes(inShape: readonly number[], outShape: readonly number[]): number[] {
  const axes: number[] = [];
  const offset = outShape.length - inShape.length;
  for (let i = 0; i < outShape.length; i++) {
    const inDim = i - offset >= 0 ? inShape[i - offset] : 1;
    if (inDim === 1 && outShape[i] !== 1) axes.push(i);
  }
  return axes;
}

/** Sums a broadcast gradient `dx` back to the shape of the input it flowed into. */
export function unbroadcast(dx: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const axes = reductionAxes(shape, dx.shape);
  const summed = axes.length > 0 ? tf.sum(dx, axes) : dx;
  return tf.reshape(summed, [...shape]);
}

/** Normalises a reduction-axis attribute (number, array or null) to a sorted array of non-negative axes. */
export function parseAxes(axis: unknown, rank: number): number[] {
  if (axis === null || axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = Array.isArray(axis) ? (axis as number[]) : [axis as number];
  return list.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
}

/** The shape `shape` with the reduced `axes` kept as size 1. */
export function keepDimsShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}
