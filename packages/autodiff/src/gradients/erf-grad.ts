import * as tf from '@tensorflow/tfjs';
import { defineGradient } from './gradient-spec';

/** d erf(x) = 2/sqrt(pi) exp(-x^2) dx. */
export const erfGrad = defineGradient({
  kernelName: 'Erf',
  inputsToSave: ['x'],
  why: 'uses exp, whose tfjs gradient is not order-safe; re-registered so the fix does not depend on registration order',
  gradFunc: (dy, saved) => {
    const [x] = saved;
    return { x: () => tf.mul(dy as tf.Tensor, tf.mul(tf.exp(tf.neg(tf.square(x))), 2 / Math.sqrt(Math.PI))) };
  },
});
