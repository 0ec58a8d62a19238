import * as tf from '@tensorflow/tfjs';
import { maskOf } from './grad-util';
import { defineGradient } from './gradient-spec';

/**
 * elu'(x) = 1 for x > 0, exp(x) = elu(x) + 1 otherwise; written as `1 + (1 - [x > 0]) elu(x)`, which is
 * differentiable through Elu itself and never evaluates exp of a large positive number.
 */
export const eluGrad = defineGradient({
  kernelName: 'Elu',
  inputsToSave: ['x'],
  why: 'tfjs saves the output and calls the EluGrad kernel, which has no gradient: order >= 2 throws',
  gradFunc: (dy, saved) => {
    const [x] = saved;
    return {
      x: () => {
        const negative = tf.sub(
          1,
          maskOf(x, (t) => tf.greater(t, 0)),
        );
        return tf.mul(dy as tf.Tensor, tf.add(1, tf.mul(negative, tf.elu(x))));
      },
    };
  },
});
