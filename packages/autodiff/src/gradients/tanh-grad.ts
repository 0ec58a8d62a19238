import * as tf from '@tensorflow/tfjs';
import { fastPaths } from '../fast-paths';
import { defineGradient } from './gradient-spec';

/**
 * d tanh(x) = (1 - tanh(x)^2) dx, recomputed from the saved input.
 *
 * On wasm it is evaluated as 4 u (1 - u) dx with u = sigmoid(-2|x|) <= 1/2: exact algebra
 * (sech^2 x = 4 sigmoid(2x) sigmoid(-2x), and sigmoid(2|x|) = 1 - u), no cancellation since 1 - u >= 1/2
 * rounds once, and one Sigmoid kernel, vectorised on wasm, instead of Tanh. On other backends tanh is cheap
 * and the shorter `1 - tanh(x)^2` (fewer kernels) is used.
 */
export const tanhGrad = defineGradient({
  kernelName: 'Tanh',
  inputsToSave: ['x'],
  why: 'tfjs saves the output y; the saved copy is not connected to x on the tape, so order >= 2 throws or drops terms',
  gradFunc: (dy, saved) => {
    const [x] = saved;
    return {
      x: () => {
        if (tf.getBackend() !== 'wasm') return tf.mul(dy as tf.Tensor, tf.sub(1, tf.square(tf.tanh(x))));
        if (fastPaths.oneSigmoid) {
          // u = sigmoid(-2|x|) <= 1/2, so 1 - u >= 1/2 rounds once: 4 u (1 - u) = sech^2 x, no cancellation.
          const u = tf.sigmoid(tf.mul(tf.abs(x), -2));
          return tf.mul(dy as tf.Tensor, tf.mul(tf.mul(u, tf.sub(1, u)), 4));
        }
        const twoX = tf.mul(x, 2);
        const slope = tf.mul(tf.sigmoid(twoX), tf.sigmoid(tf.neg(twoX)));
        return tf.mul(tf.mul(dy as tf.Tensor, 4), slope);
      },
    };
  },
});
