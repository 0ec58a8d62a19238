import * as tf from '@tensorflow/tfjs';
import { fastPaths } from '../fast-paths';

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
  return op(...inputs);
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

/** True when two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * A new tensor handle on the values of `x` (gradients must not return their `dy`: tfjs disposes accumulated
 * gradients, and `dy` may be the caller's seed). The cheapest aliasing kernel per backend: Reshape on wasm,
 * Identity (a reference-count increment) elsewhere; both differentiable with gradient `dy`.
 */
export function alias(x: tf.Tensor): tf.Tensor {
  return tf.getBackend() === 'wasm' ? tf.reshape(x, x.shape) : tf.clone(x);
}

/**
 * Sums a broadcast gradient `dx` back to the shape of the input it flowed into. When nothing was broadcast, `dx`
 * itself is returned (no kernel; pass a tensor the gradient created, or wrap `dy` in {@link alias}); the reshape
 * is skipped when the sum already has the shape.
 */
export function unbroadcast(dx: tf.Tensor, shape: readonly number[]): tf.Tensor {
  if (sameShape(dx.shape, shape)) return dx;
  const axes = reductionAxes(shape, dx.shape);
  const summed = axes.length > 0 ? sumLeadingOrAxes(dx, axes) : dx;
  return sameShape(summed.shape, shape) ? summed : tf.reshape(summed, [...shape]);
}

/** {@link unbroadcast} of a gradient's own `dy`: a new handle (an {@link alias}) when nothing was broadcast. */
export function unbroadcastDy(dy: tf.Tensor, shape: readonly number[]): tf.Tensor {
  return sameShape(dy.shape, shape) ? alias(dy) : unbroadcast(dy, shape);
}

/**
 * `sum(dx, axes)`. On wasm, a sum over the leading axes (a bias gradient) is `ones^T dx` with the transposeA
 * flag: wasm's own loop there reads each row once with no packing, ~2.5x faster than its Sum kernel over
 * leading axes ([512, 200]: 71 vs 182 us). The same sums of the same terms; the order may differ.
 */
function sumLeadingOrAxes(dx: tf.Tensor, axes: readonly number[]): tf.Tensor {
  // Rank 2 only: a reshaped alias of dx must never reach a matMul (wasm caches packed operands by buffer id).
  if (dx.rank !== 2 || axes.length !== 1 || axes[0] !== 0 || !fastPaths.reductionsAsMatMul) {
    return tf.sum(dx, [...axes]);
  }
  if (tf.getBackend() !== 'wasm') return tf.sum(dx, [...axes]);
  const [rows, cols] = dx.shape as [number, number];
  return tf.reshape(tf.matMul(tf.ones([rows, 1]), dx as tf.Tensor2D, true, false), [cols]);
}

/**
 * True while tfjs records ops on a gradient tape (inside a function being differentiated, outside a kernel):
 * then anything a gradient computes must stay connected to its inputs. Inside the forward function of a
 * `tf.customGrad` op (which tfjs runs as one kernel) pass `true`: it tells whether that op is being recorded.
 */
export function isRecording(insideCustomGrad = false): boolean {
  const state = (tf.engine() as unknown as { state: { gradientDepth: number; kernelDepth: number } }).state;
  return state.gradientDepth > 0 && state.kernelDepth === (insideCustomGrad ? 1 : 0);
}

/** Key under which the tape patch (`tape-order-fix.ts`) hands a node's input shapes to its gradient. */
export const INPUT_SHAPES = Symbol.for('@noether/autodiff/input-shapes');

/** Marker on a gradient spec: its gradient reads only the inputs' shapes, which the tape patch passes in `attrs`. */
export const SHAPES_ONLY = Symbol.for('@noether/autodiff/shapes-only');

/**
 * The shape of input `name` of the node being differentiated, from the attrs the tape patch filled in (for
 * gradients that save no tensors because they need only shapes).
 */
export function inputShape(attrs: unknown, name: string | number): number[] {
  const shape = inputShapes(attrs)[String(name)];
  if (shape === undefined) throw new Error(`@noether/autodiff: no input '${name}' in a shapes-only gradient`);
  return shape;
}

/** All input shapes of the node being differentiated, by input name (see {@link inputShape}). */
export function inputShapes(attrs: unknown): Record<string, number[]> {
  const shapes = (attrs as { [INPUT_SHAPES]?: Record<string, number[]> } | undefined)?.[INPUT_SHAPES];
  if (shapes === undefined) {
    throw new Error(
      `@noether/autodiff: input shapes missing for a shapes-only gradient (tape patch not installed)`,
    );
  }
  return shapes;
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
