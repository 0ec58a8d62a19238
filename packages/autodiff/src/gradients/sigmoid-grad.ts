import * as tf from '@tensorflow/tfjs';
import { fastPaths } from '../fast-paths';
import { defineGradient } from './gradient-spec';

/** d sigmoid(x) = sigmoid(x) sigmoid(-x) dx (= s (1 - s) without the cancellation in 1 - s). */
export const sigmoidGrad = defineGradient({
  kernelName: 'Sigmoid',
  inputsToSave: ['x'],
  why: 'tfjs saves the output; order >= 2 throws or drops terms (also breaks softplus at order 3, silu, logSigmoid)',
  gradFunc: (dy, saved) => {
    const [x] = saved;
    return {
      x: () => {
        if (tf.getBackend() !== 'wasm' || !fastPaths.oneSigmoid) {
          return tf.mul(dy as tf.Tensor, tf.mul(tf.sigmoid(x), tf.sigmoid(tf.neg(x))));
        }
        // One Sigmoid instead of two on wasm: u = sigmoid(-|x|) <= 1/2, sigma(x) sigma(-x) = u (1 - u).
        const u = tf.sigmoid(tf.neg(tf.abs(x)));
        return tf.mul(dy as tf.Tensor, tf.mul(u, tf.sub(1, u)));
      },
    };
  },
});
