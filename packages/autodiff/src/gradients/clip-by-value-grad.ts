import * as tf from '@tensorflow/tfjs';
import { maskOf } from './grad-util';
import { defineGradient } from './gradient-spec';

/** clip'(x) = 1 for min <= x <= max, else 0 (the tfjs convention at the bounds). */
export const clipByValueGrad = defineGradient({
  kernelName: 'ClipByValue',
  inputsToSave: ['x'],
  why: 'tfjs masks with lessEqual/logicalAnd (no gradients): order >= 2 throws',
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const { clipValueMin, clipValueMax } = attrs as { clipValueMin: number; clipValueMax: number };
    return {
      x: () =>
        tf.mul(
          dy as tf.Tensor,
          maskOf(x, (t) => tf.logicalAnd(tf.greaterEqual(t, clipValueMin), tf.lessEqual(t, clipValueMax))),
        ),
    };
  },
});
