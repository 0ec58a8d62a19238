import * as tf from '@tensorflow/tfjs';
import { maskOf } from './grad-util';
import { defineGradient } from './gradient-spec';

/** leakyRelu'(x) = 1 for x > 0, alpha otherwise. */
export const leakyReluGrad = defineGradient({
  kernelName: 'LeakyRelu',
  inputsToSave: ['x'],
  why: 'tfjs masks with greater() (no gradient): order >= 2 throws',
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const alpha = (attrs as { alpha?: number }).alpha ?? 0.2;
    return {
      x: () => {
        const positive = maskOf(x, (t) => tf.greater(t, 0));
        return tf.mul(dy as tf.Tensor, tf.add(positive, tf.mul(tf.sub(1, positive), alpha)));
      },
    };
  },
});
