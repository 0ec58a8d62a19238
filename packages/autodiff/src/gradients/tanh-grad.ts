import * as tf from '@tensorflow/tfjs';
import { defineGradient } from './gradient-spec';

/**
 * d tanh(x) = (1 - tanh(x)^2) dx, recomputed from the saved input.
 *
 * On wasm it is evaluated as 4 sigmoid(2x) sigmoid(-2x) dx: exact algebra (tanh x = 2 sigmoid(2x) - 1),
 * no cancellation in `1 - tanh^2`, and much cheaper there, since the wasm Tanh kernel costs about as much as
 * a 512x200x200 matMul while Sigmoid is ~30x faster. On other backends tanh is cheap and the shorter
 * `1 - tanh(x)^2` (fewer kernels) is used.
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
        const twoX = tf.mul(x, 2);
        const slope = tf.mul(tf.sigmoid(twoX), tf.sigmoid(tf.neg(twoX)));
        return tf.mul(tf.mul(dy as tf.Tensor, 4), slope);
      },
    };
  },
});
