import * as tf from '@tensorflow/tfjs';
import { defineUnaryTaylorRule } from '../taylor-rule';

/** (x²)' = 2x, (x²)'' = 2, higher derivatives are exactly zero. */
export const squareTaylor = defineUnaryTaylorRule({
  kernelName: 'Square',
  derivatives: (x0, _y0, count) =>
    Array.from({ length: count }, (_, i) => (i === 0 ? tf.mul(x0, 2) : i === 1 ? tf.scalar(2) : null)),
});
