import * as tf from '@tensorflow/tfjs';
import { maskOf, unbroadcast } from './grad-util';
import { defineGradient } from './gradient-spec';

/**
 * d a^b: da = b a^(b-1), db = a^b log(a) for a > 0 and 0 otherwise (the tfjs convention); `log` is taken
 * of `a m + (1 - m)` so no NaN appears for a <= 0 at any order.
 */
export const powGrad = defineGradient({
  kernelName: 'Pow',
  inputsToSave: ['a', 'b'],
  why: 'tfjs uses the saved output for the exponent derivative: d/db of pow(a, b) at order >= 2 throws or drops terms',
  gradFunc: (dy, saved) => {
    const [a0, b0] = saved;
    const a = tf.cast(a0, 'float32');
    const b = tf.cast(b0, 'float32');
    return {
      a: () => unbroadcast(tf.mul(dy as tf.Tensor, tf.mul(b, tf.pow(a, tf.sub(b, 1)))), a0.shape),
      b: () => {
        const m = maskOf(a, (t) => tf.greater(t, 0));
        const logA = tf.mul(tf.log(tf.add(tf.mul(a, m), tf.sub(1, m))), m);
        return unbroadcast(tf.mul(dy as tf.Tensor, tf.mul(tf.pow(a, b), logA)), b0.shape);
      },
    };
  },
});
