import * as tf from '@tensorflow/tfjs';
import { defineGradient } from './gradient-spec';

/** d x^(-1/2) = -x^(-1/2) / (2 x) dx. */
export const rsqrtGrad = defineGradient({
  kernelName: 'Rsqrt',
  inputsToSave: ['x'],
  why: 'correct in tfjs 4.22 (via pow); re-registered so it does not depend on the Pow gradient',
  gradFunc: (dy, saved) => {
    const [x] = saved;
    return { x: () => tf.mul(dy as tf.Tensor, tf.div(tf.rsqrt(x), tf.mul(x, -2))) };
  },
});
