import * as tf from '@tensorflow/tfjs';
import { unbroadcast } from './grad-util';
import { defineGradient } from './gradient-spec';

/** d atan2(a, b) = (b da - a db) / (a^2 + b^2). */
export const atan2Grad = defineGradient({
  kernelName: 'Atan2',
  inputsToSave: ['a', 'b'],
  why: 'correct in tfjs 4.22; re-registered so every order-critical gradient is input-saving and pinned by tests',
  gradFunc: (dy, saved) => {
    const [a, b] = saved;
    const r2 = () => tf.add(tf.square(a), tf.square(b));
    return {
      a: () => unbroadcast(tf.mul(dy as tf.Tensor, tf.div(b, r2())), a.shape),
      b: () => unbroadcast(tf.mul(dy as tf.Tensor, tf.div(tf.neg(a), r2())), b.shape),
    };
  },
});
