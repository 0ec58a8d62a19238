import * as tf from '@tensorflow/tfjs';
import { defineGradient } from './gradient-spec';

/** d sigmoid(x) = s (1 - s) dx with s = sigmoid(x) recomputed from the saved input. */
export const sigmoidGrad = defineGradient({
  kernelName: 'Sigmoid',
  inputsToSave: ['x'],
  why: 'tfjs saves the output; order >= 2 throws or drops terms (also breaks softplus at order 3, silu, logSigmoid)',
  gradFunc: (dy, saved) => {
    const [x] = saved;
    return {
      x: () => {
        const s = tf.sigmoid(x);
        return tf.mul(dy as tf.Tensor, tf.mul(s, tf.sub(1, s)));
      },
    };
  },
});
