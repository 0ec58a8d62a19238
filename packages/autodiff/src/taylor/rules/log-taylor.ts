import * as tf from '@tensorflow/tfjs';
import { defineUnaryTaylorRule } from '../taylor-rule';
import { fallingPowers } from './power-series';

/** log^(n)(x) = (-1)^(n-1) (n-1)! / x^n: the falling powers of x^(-1), shifted by one. */
export const logTaylor = defineUnaryTaylorRule({
  kernelName: 'Log',
  derivatives: (x0, _y0, count) => {
    const r = tf.reciprocal(x0);
    return [r, ...fallingPowers({ scale: r, r: r }, -1, count - 1)];
  },
});
