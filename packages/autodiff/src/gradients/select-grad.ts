import * as tf from '@tensorflow/tfjs';
import { maskOf } from './grad-util';
import { defineGradient } from './gradient-spec';

/** d where(c, t, e): dy c to `t`, dy (1 - c) to `e`, zero to the condition. */
export const selectGrad = defineGradient({
  kernelName: 'Select',
  inputsToSave: ['condition'],
  why: 'tfjs casts the condition inside the gradient, so at order >= 2 the tape walks into the comparison that built it (no gradient: throws)',
  gradFunc: (dy, saved) => {
    const [condition] = saved;
    const mask = () => maskOf(condition, (c) => c);
    return {
      condition: () => tf.zeros(condition.shape, 'float32'),
      t: () => tf.mul(dy as tf.Tensor, mask()),
      e: () => tf.mul(dy as tf.Tensor, tf.sub(1, mask())),
    };
  },
});
