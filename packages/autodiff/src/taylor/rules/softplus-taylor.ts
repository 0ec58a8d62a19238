import * as tf from '@tensorflow/tfjs';
import { defineUnaryTaylorRule, polynomialDerivatives } from '../taylor-rule';

/** softplus' = σ, softplus^(n+1) = σ^(n): polynomials in s = σ(x). */
export const softplusTaylor = defineUnaryTaylorRule({
  kernelName: 'Softplus',
  derivatives: (x0, _y0, count) => {
    const s = tf.sigmoid(x0);
    return [s, ...polynomialDerivatives(s, [0, 1, -1], { count: count - 1 })];
  },
});
