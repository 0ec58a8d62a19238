import * as tf from '@tensorflow/tfjs';
import { defineUnaryTaylorRule } from '../taylor-rule';

/** elu(x) = x for x > 0, exp(x) - 1 otherwise: derivatives 1, 0, 0, ... or exp(x) = y + 1 (one-sided at 0, as tfjs). */
export const eluTaylor = defineUnaryTaylorRule({
  kernelName: 'Elu',
  derivatives: (x0, y0, count) => {
    const positive = tf.greater(x0, 0);
    const e = tf.add(y0, 1);
    const first = tf.where(positive, tf.onesLike(x0), e);
    const higher = tf.where(positive, tf.zerosLike(x0), e);
    return Array.from({ length: count }, (_, i) => (i === 0 ? first : higher));
  },
});
