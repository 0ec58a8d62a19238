import * as tf from '@tensorflow/tfjs';
import { defineUnaryTaylorRule } from '../taylor-rule';

/** cos^(n) cycles through -sin, -cos, sin, cos. */
export const cosTaylor = defineUnaryTaylorRule({
  kernelName: 'Cos',
  derivatives: (x0, y0, count) => {
    const s = tf.sin(x0);
    const cycle = [tf.neg(s), tf.neg(y0), s, y0];
    return Array.from({ length: count }, (_, i) => cycle[i % 4]);
  },
});
