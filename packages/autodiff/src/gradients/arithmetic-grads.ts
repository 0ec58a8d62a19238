import * as tf from '@tensorflow/tfjs';
import { inputShape, SHAPES_ONLY, unbroadcast, unbroadcastDy } from './grad-util';
import { defineGradient, type GradientSpec } from './gradient-spec';

const WHY =
  'speed only (tfjs 4.22 is exact here): no float32-to-float32 Cast, no same-shape Reshape, no tensors saved for their shapes';

/** d(a + b) = (dy, dy), summed over broadcast axes; saves nothing (shapes come from the tape patch). */
const addGrad = defineGradient({
  kernelName: 'Add',
  inputsToSave: [],
  [SHAPES_ONLY]: true,
  fastPath: 'leanGradients',
  why: WHY,
  gradFunc: (dy, _saved, attrs) => {
    const g = dy as tf.Tensor;
    return {
      a: () => unbroadcastDy(g, inputShape(attrs, 'a')),
      b: () => unbroadcastDy(g, inputShape(attrs, 'b')),
    };
  },
});

/** d(a - b) = (dy, -dy), summed over broadcast axes; saves nothing. */
const subGrad = defineGradient({
  kernelName: 'Sub',
  inputsToSave: [],
  [SHAPES_ONLY]: true,
  fastPath: 'leanGradients',
  why: WHY,
  gradFunc: (dy, _saved, attrs) => {
    const g = dy as tf.Tensor;
    return {
      a: () => unbroadcastDy(g, inputShape(attrs, 'a')),
      b: () => tf.neg(unbroadcast(g, inputShape(attrs, 'b'))),
    };
  },
});

/** d(a b) = (dy b, dy a), summed over broadcast axes. */
const multiplyGrad = defineGradient({
  kernelName: 'Multiply',
  inputsToSave: ['a', 'b'],
  fastPath: 'leanGradients',
  why: WHY,
  gradFunc: (dy, saved) => {
    const [a, b] = saved;
    const g = dy as tf.Tensor;
    return {
      a: () => unbroadcast(tf.mul(g, b), a.shape),
      b: () => unbroadcast(tf.mul(g, a), b.shape),
    };
  },
});

/** d(a / b) = (dy / b, -dy a / b^2), summed over broadcast axes. */
const realDivGrad = defineGradient({
  kernelName: 'RealDiv',
  inputsToSave: ['a', 'b'],
  fastPath: 'leanGradients',
  why: WHY,
  gradFunc: (dy, saved) => {
    const [a, b] = saved;
    const g = dy as tf.Tensor;
    return {
      a: () => unbroadcast(tf.div(g, b), a.shape),
      b: () => tf.neg(tf.div(unbroadcast(tf.mul(g, a), b.shape), tf.square(b))),
    };
  },
});

/** d x^2 = 2 x dy. */
const squareGrad = defineGradient({
  kernelName: 'Square',
  inputsToSave: ['x'],
  fastPath: 'leanGradients',
  why: WHY,
  gradFunc: (dy, saved) => {
    const [x] = saved;
    return { x: () => tf.mul(dy as tf.Tensor, tf.mul(x, 2)) };
  },
});

/** d|x| = step(x, -1) dy (sign, with -1 at 0 as tfjs). */
const absGrad = defineGradient({
  kernelName: 'Abs',
  inputsToSave: ['x'],
  fastPath: 'leanGradients',
  why: WHY,
  gradFunc: (dy, saved) => {
    const [x] = saved;
    return { x: () => tf.mul(dy as tf.Tensor, tf.step(x, -1)) };
  },
});

/** Lean replacements of tfjs's elementwise arithmetic gradients (same formulas, fewer kernels). */
export const arithmeticGrads: readonly Readonly<GradientSpec>[] = Object.freeze([
  addGrad,
  subGrad,
  multiplyGrad,
  realDivGrad,
  squareGrad,
  absGrad,
]);
