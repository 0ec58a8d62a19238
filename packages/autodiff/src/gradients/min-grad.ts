import * as tf from '@tensorflow/tfjs';
import { keepDimsShape, maskOf, parseAxes } from './grad-util';
import { defineGradient } from './gradient-spec';

/** d min(x, axes): dy routed to the entries equal to the minimum (all of them on ties, as in tfjs). */
export const minGrad = defineGradient({
  kernelName: 'Min',
  inputsToSave: ['x'],
  why: 'tfjs compares x with the saved output via equal(); Equal has no gradient and the output copy is detached: order >= 2 throws',
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const axes = parseAxes((attrs as { axis?: unknown }).axis, x.rank);
    return {
      x: () => {
        const mask = maskOf(x, (t) => tf.equal(t, tf.min(t, axes, true)));
        return tf.mul(tf.reshape(dy as tf.Tensor, keepDimsShape(x.shape, axes)), mask);
      },
    };
  },
});
