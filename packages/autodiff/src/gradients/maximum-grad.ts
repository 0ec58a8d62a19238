import * as tf from '@tensorflow/tfjs';
import { nonDifferentiable, unbroadcast } from './grad-util';
import { defineGradient } from './gradient-spec';

/** d maximum(a, b): dy to `a` where a >= b, to `b` where a < b; summed back over broadcast axes. */
export const maximumGrad = defineGradient({
  kernelName: 'Maximum',
  inputsToSave: ['a', 'b'],
  why: 'tfjs masks with greaterEqual/less (Less has no gradient: order >= 2 throws) and ignores broadcasting',
  gradFunc: (dy, saved) => {
    const [a, b] = saved;
    const mask = () => nonDifferentiable((p, q) => tf.greaterEqual(p, q), [a, b]);
    return {
      a: () => unbroadcast(tf.mul(dy as tf.Tensor, mask()), a.shape),
      b: () => unbroadcast(tf.mul(dy as tf.Tensor, tf.sub(1, mask())), b.shape),
    };
  },
});
