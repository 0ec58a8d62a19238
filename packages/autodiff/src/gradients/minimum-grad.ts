import * as tf from '@tensorflow/tfjs';
import { nonDifferentiable, unbroadcast } from './grad-util';
import { defineGradient } from './gradient-spec';

/** d minimum(a, b): dy to `a` where a <= b, to `b` where a > b; summed back over broadcast axes. */
export const minimumGrad = defineGradient({
  kernelName: 'Minimum',
  inputsToSave: ['a', 'b'],
  why: 'tfjs masks with lessEqual/greater (no gradients: order >= 2 throws) and ignores broadcasting',
  gradFunc: (dy, saved) => {
    const [a, b] = saved;
    const mask = () => nonDifferentiable((p, q) => tf.lessEqual(p, q), [a, b]);
    return {
      a: () => unbroadcast(tf.mul(dy as tf.Tensor, mask()), a.shape),
      b: () => unbroadcast(tf.mul(dy as tf.Tensor, tf.sub(1, mask())), b.shape),
    };
  },
});
