import * as tf from '@tensorflow/tfjs';
import { defineUnaryTaylorRule } from '../taylor-rule';
import { fallingPowers } from './power-series';

/** (x^(1/2))^(n) = (1/2)(1/2 - 1)...(1/2 - n + 1) y / x^n. */
export const sqrtTaylor = defineUnaryTaylorRule({
  kernelName: 'Sqrt',
  derivatives: (x0, y0, count) => fallingPowers({ scale: y0, r: tf.reciprocal(x0) }, 0.5, count),
});
