import * as tf from '@tensorflow/tfjs';
import { maskOf } from './grad-util';
import { defineGradient } from './gradient-spec';

/** SELU constants (Klambauer et al. 2017), as in tfjs. */
export const SELU_SCALE = 1.0507009873554805;
export const SELU_SCALE_ALPHA = 1.7580993408473768;

/**
 * selu'(x) = scale for x > 0, scale alpha exp(x) = selu(x) + scale alpha otherwise; the second form is
 * differentiable through Selu itself.
 */
export const seluGrad = defineGradient({
  kernelName: 'Selu',
  inputsToSave: ['x'],
  why: 'tfjs masks with greater() inside the gradient; Greater has no gradient, so order >= 2 throws',
  gradFunc: (dy, saved) => {
    const [x] = saved;
    return {
      x: () => {
        const positive = maskOf(x, (t) => tf.greater(t, 0));
        const negativeBranch = tf.add(tf.selu(x), SELU_SCALE_ALPHA);
        const d = tf.add(tf.mul(positive, SELU_SCALE), tf.mul(tf.sub(1, positive), negativeBranch));
        return tf.mul(dy as tf.Tensor, d);
      },
    };
  },
});
