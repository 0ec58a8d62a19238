import * as tf from '@tensorflow/tfjs';
import { defineUnaryTaylorRule } from '../taylor-rule';

/** sin^(n) cycles through cos, -sin, -cos, sin. */
export const sinTaylor = defineUnaryTaylorRule({
  kernelName: 'Sin',
  derivatives: (x0, y0, count) => {
    const c = tf.cos(x0);
    const cycle = [c, tf.neg(y0), tf.neg(c), y0];
    return Array.from({ length: count }, (_, i) => cycle[i % 4]);
  },
});
