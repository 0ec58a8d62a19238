import * as tf from '@tensorflow/tfjs';
import {
  alias,
  inputShape,
  inputShapes,
  keepDimsShape,
  parseAxes,
  sameShape,
  SHAPES_ONLY,
} from './grad-util';
import { defineGradient, type GradientSpec } from './gradient-spec';

const WHY =
  'speed only (tfjs 4.22 is exact here): saves no tensor for its shape, no same-shape Reshape or float32-to-float32 Cast';

/**
 * dy of a reduction over `axes` of an input of `shape`, shaped to broadcast back over it: as it is when the
 * reduced axes lead or dy kept them, else reshaped to the kept-dims shape.
 */
function alignedForBroadcast(g: tf.Tensor, shape: number[], axes: number[]): tf.Tensor {
  const kept = keepDimsShape(shape, axes);
  return axes.every((a, i) => a === i) || sameShape(g.shape, kept) ? g : tf.reshape(g, kept);
}

/**
 * d sum(x, axes) = dy broadcast back over the summed axes. The reshape to the kept-dims shape is skipped when
 * broadcasting already aligns (the summed axes lead, or `keepDims`).
 */
const sumGrad = defineGradient({
  kernelName: 'Sum',
  inputsToSave: [],
  [SHAPES_ONLY]: true,
  fastPath: 'leanGradients',
  why: WHY,
  gradFunc: (dy, _saved, attrs) => {
    const shape = inputShape(attrs, 'x');
    const axes = parseAxes((attrs as { axis?: unknown }).axis, shape.length);
    return {
      x: () => {
        const g = dy as tf.Tensor;
        if (sameShape(g.shape, shape)) return alias(g);
        return tf.mul(alignedForBroadcast(g, shape, axes), tf.ones(shape, 'float32')); // ones: a constant, no kernel
      },
    };
  },
});

/** d mean(x, axes) = dy / n broadcast back over the n averaged entries (one multiply by a constant 1/n). */
const meanGrad = defineGradient({
  kernelName: 'Mean',
  inputsToSave: [],
  [SHAPES_ONLY]: true,
  fastPath: 'leanGradients',
  why: WHY,
  gradFunc: (dy, _saved, attrs) => {
    const shape = inputShape(attrs, 'x');
    const axes = parseAxes((attrs as { axis?: unknown }).axis, shape.length);
    const n = axes.reduce((p, a) => p * shape[a], 1);
    return {
      x: () => {
        const g = dy as tf.Tensor;
        // A constant tensor (no Fill kernel): one Multiply, where tfjs spends Reshape, Multiply and RealDiv.
        const size = shape.reduce((p, d) => p * d, 1);
        const scale = tf.tensor(new Float32Array(size).fill(1 / n), shape, 'float32');
        return tf.mul(alignedForBroadcast(g, shape, axes), scale);
      },
    };
  },
});

/** d reshape(x) = reshape(dy, x.shape). */
const reshapeGrad = defineGradient({
  kernelName: 'Reshape',
  inputsToSave: [],
  [SHAPES_ONLY]: true,
  fastPath: 'leanGradients',
  why: WHY,
  gradFunc: (dy, _saved, attrs) => ({ x: () => tf.reshape(dy as tf.Tensor, inputShape(attrs, 'x')) }),
});

/** d concat(xs, axis) = split(dy) at the inputs' sizes along the axis. */
const concatGrad = defineGradient({
  kernelName: 'Concat',
  inputsToSave: [],
  [SHAPES_ONLY]: true,
  fastPath: 'leanGradients',
  why: WHY,
  gradFunc: (dy, _saved, attrs) => {
    const shapes = Object.values(inputShapes(attrs));
    const rank = shapes[0].length;
    const axis = parseAxes((attrs as { axis?: unknown }).axis, rank)[0];
    const parts = tf.split(
      dy as tf.Tensor,
      shapes.map((s) => s[axis]),
      axis,
    );
    return Object.fromEntries(parts.map((t, i) => [String(i), () => t]));
  },
});

/** d identity(x) = dy (tfjs casts it to float32, one kernel per clone). */
const identityGrad = defineGradient({
  kernelName: 'Identity',
  inputsToSave: [],
  fastPath: 'leanGradients',
  why: WHY,
  gradFunc: (dy) => ({ x: () => alias(dy as tf.Tensor) }),
});

/** Lean replacements of tfjs's shape-bookkeeping gradients. */
export const shapeGrads: readonly Readonly<GradientSpec>[] = Object.freeze([
  sumGrad,
  meanGrad,
  reshapeGrad,
  concatGrad,
  identityGrad,
]);
