import * as tf from '@tensorflow/tfjs';
import { maskOf } from './grad-util';
import { defineGradient } from './gradient-spec';

/** relu6'(x) = 1 for 0 < x <= 6, else 0 (the tfjs convention at the kinks). */
export const relu6Grad = defineGradient({
  kernelName: 'Relu6',
  inputsToSave: ['x'],
  why: 'tfjs masks with lessEqual() (no gradient): order >= 2 throws',
  gradFunc: (dy, saved) => {
    const [x] = saved;
    return {
      x: () =>
        tf.mul(
          dy as tf.Tensor,
          maskOf(x, (t) => tf.logicalAnd(tf.greater(t, 0), tf.lessEqual(t, 6))),
        ),
    };
  },
});
