import * as tf from '@tensorflow/tfjs';
import { defineUnaryTaylorRule } from '../taylor-rule';

/** relu' = step(x) (0 at x = 0, as tfjs), higher derivatives zero away from the kink. */
export const reluTaylor = defineUnaryTaylorRule({
  kernelName: 'Relu',
  derivatives: (x0, _y0, count) =>
    Array.from({ length: count }, (_, i) => (i === 0 ? tf.cast(tf.greater(x0, 0), 'float32') : null)),
});
