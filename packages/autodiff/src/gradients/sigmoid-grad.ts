import * as tf from '@tensorflow/tfjs';
import { fastPaths } from '../fast-paths';
import { defineGradient } from './gradient-spec';

/**
 * sigmoid'(x) = sigmoid(x) sigmoid(-x) (= s (1 - s) without the cancellation in 1 - s). On wasm with one
 * Sigmoid instead of two: u = sigmoid(-|x|) <= 1/2, sigmoid(x) sigmoid(-x) = u (1 - u).
 */
function slope(x: tf.Tensor): tf.Tensor {
  if (tf.getBackend() !== 'wasm' || !fastPaths.oneSigmoid)
    return tf.mul(tf.sigmoid(x), tf.sigmoid(tf.neg(x)));
  const u = tf.sigmoid(tf.neg(tf.abs(x)));
  return tf.mul(u, tf.sub(1, u));
}

/**
 * `dy sigmoid'(x)` as ONE tape node with its closed-form gradient (d/d dy = sigmoid'(x), d/dx =
 * sigmoid''(x) dy = -sigmoid'(x) tanh(x/2) dy, since 1 - 2 sigmoid(x) = -tanh(x/2)), order-safe ops only.
 */
const sigmoidSlopeTimes = tf.customGrad((...args: unknown[]) => {
  const [x, dy, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([x, dy]);
  return {
    value: tf.mul(dy, slope(x)),
    gradFunc: (ddg: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sdy] = saved;
      if (tf.getBackend() === 'wasm' && fastPaths.oneSigmoid) {
        // wasm's Tanh is a ~20-kernel composite: with u = sigmoid(-|x|), -tanh(x/2) = sign(x) (2u - 1); sign as
        // step(x, -1) (wasm's Sign is a slow scalar loop; at x = 0, 2u - 1 = 0 exactly).
        const u = tf.sigmoid(tf.neg(tf.abs(sx)));
        const gDy = tf.mul(ddg, tf.mul(u, tf.sub(1, u)));
        return [tf.mul(tf.mul(gDy, sdy), tf.mul(tf.step(sx, -1), tf.sub(tf.mul(u, 2), 1))), gDy];
      }
      const gDy = tf.mul(ddg, slope(sx));
      return [tf.mul(tf.mul(gDy, sdy), tf.tanh(tf.mul(sx, -0.5))), gDy];
    },
  };
});

/** d sigmoid(x) = sigmoid(x) sigmoid(-x) dx, recomputed from the saved input. */
export const sigmoidGrad = defineGradient({
  kernelName: 'Sigmoid',
  inputsToSave: ['x'],
  why: 'tfjs saves the output; order >= 2 throws or drops terms (also breaks softplus at order 3, silu, logSigmoid)',
  gradFunc: (dy, saved) => {
    const [x] = saved;
    const g = dy as tf.Tensor;
    return { x: () => (fastPaths.fusedActivationGrads ? sigmoidSlopeTimes(x, g) : tf.mul(g, slope(x))) };
  },
});
