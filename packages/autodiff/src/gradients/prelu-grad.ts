import * as tf from '@tensorflow/tfjs';
import { maskOf, unbroadcast } from './grad-util';
import { defineGradient } from './gradient-spec';

/** prelu(x, alpha) = x for x > 0, alpha x otherwise: dx = dy (m + alpha (1 - m)), dalpha = sum dy x (1 - m). */
export const preluGrad = defineGradient({
  kernelName: 'Prelu',
  inputsToSave: ['x', 'alpha'],
  why: 'tfjs masks with greater() (no gradient): order >= 2 throws',
  gradFunc: (dy, saved) => {
    const [x, alpha] = saved;
    const positive = () => maskOf(x, (t) => tf.greater(t, 0));
    return {
      x: () => {
        const m = positive();
        return unbroadcast(tf.mul(dy as tf.Tensor, tf.add(m, tf.mul(tf.sub(1, m), alpha))), x.shape);
      },
      alpha: () => unbroadcast(tf.mul(tf.mul(dy as tf.Tensor, x), tf.sub(1, positive())), alpha.shape),
    };
  },
});
