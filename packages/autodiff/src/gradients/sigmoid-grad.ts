import * as tf from '@tensorflow/tfjs';
import { defineGradient } from './gradient-spec';

/** d sigmoid(x) = sigmoid(x) sigmoid(-x) dx (= s (1 - s) without the cancellation in 1 - s). */
export const sigmoidGrad = defineGradient({
  kernelName: 'Sigmoid',
  inputsToSave: ['x'],
  why: 'tfjs saves the output; order >= 2 throws or drops terms (also breaks softplus at order 3, silu, logSigmoid)',
  gradFunc: (dy, saved) => {
    const [x] = saved;
    return { x: () => tf.mul(dy as tf.Tensor, tf.mul(tf.sigmoid(x), tf.sigmoid(tf.neg(x)))) };
  },
});
