import * as tf from '@tensorflow/tfjs';
import { defineGradient } from './gradient-spec';

/** d tanh(x) = (1 - tanh(x)^2) dx, recomputed from the saved input. */
export const tanhGrad = defineGradient({
  kernelName: 'Tanh',
  inputsToSave: ['x'],
  why: 'tfjs saves the output y; the saved copy is not connected to x on the tape, so order >= 2 throws or drops terms',
  gradFunc: (dy, saved) => {
    const [x] = saved;
    return { x: () => tf.mul(dy as tf.Tensor, tf.sub(1, tf.square(tf.tanh(x)))) };
  },
});
