import * as tf from '@tensorflow/tfjs';
import { defineGradient } from './gradient-spec';

/** softplus'(x) = sigmoid(x), itself order-safe through the replaced Sigmoid gradient. */
export const softplusGrad = defineGradient({
  kernelName: 'Softplus',
  inputsToSave: ['x'],
  why: 'tfjs uses sigmoid(x), whose own gradient saves its output: order 3 throws; re-registered so the fix does not depend on registration order',
  gradFunc: (dy, saved) => {
    const [x] = saved;
    return { x: () => tf.mul(dy as tf.Tensor, tf.sigmoid(x)) };
  },
});
