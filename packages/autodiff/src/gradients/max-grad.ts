import * as tf from '@tensorflow/tfjs';
import { keepDimsShape, maskOf, parseAxes } from './grad-util';
import { defineGradient } from './gradient-spec';

/** d max(x, axes): dy routed to the entries equal to the maximum (all of them on ties, as in tfjs). */
export const maxGrad = defineGradient({
  kernelName: 'Max',
  inputsToSave: ['x'],
  why: 'tfjs compares x with the saved output via equal(); Equal has no gradient and the output copy is detached: order >= 2 throws (also breaks logSumExp)',
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const axes = parseAxes((attrs as { reductionIndices?: unknown }).reductionIndices, x.rank);
    return {
      x: () => {
        const mask = maskOf(x, (t) => tf.equal(t, tf.max(t, axes, true)));
        return tf.mul(tf.reshape(dy as tf.Tensor, keepDimsShape(x.shape, axes)), mask);
      },
    };
  },
});
