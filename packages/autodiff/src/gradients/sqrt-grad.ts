import * as tf from '@tensorflow/tfjs';
import { defineGradient } from './gradient-spec';

/** d sqrt(x) = dx / (2 sqrt(x)). */
export const sqrtGrad = defineGradient({
  kernelName: 'Sqrt',
  inputsToSave: ['x'],
  why: 'correct in tfjs 4.22; re-registered so every order-critical gradient is input-saving and pinned by tests',
  gradFunc: (dy, saved) => {
    const [x] = saved;
    return { x: () => tf.div(dy as tf.Tensor, tf.mul(tf.sqrt(x), 2)) };
  },
});
