import * as tf from '@tensorflow/tfjs';
import { defineGradient } from './gradient-spec';

/** d exp(x) = exp(x) dx, recomputed from the saved input. */
export const expGrad = defineGradient({
  kernelName: 'Exp',
  inputsToSave: ['x'],
  why: 'tfjs saves the output; order >= 2 throws (and breaks erf, expm1, logSumExp, pow(a, x) above order 1)',
  gradFunc: (dy, saved) => {
    const [x] = saved;
    return { x: () => tf.mul(dy as tf.Tensor, tf.exp(x)) };
  },
});
