import * as tf from '@tensorflow/tfjs';
import { defineGradient } from './gradient-spec';

/** d softmax: dx = s dy - s sum(s dy) along `dim`, with s = softmax(logits) recomputed. */
export const softmaxGrad = defineGradient({
  kernelName: 'Softmax',
  inputsToSave: ['logits'],
  why: 'tfjs saves the output; order >= 2 throws',
  gradFunc: (dy, saved, attrs) => {
    const [logits] = saved;
    const dim = (attrs as { dim?: number }).dim ?? logits.rank - 1;
    return {
      logits: () => {
        const s = tf.softmax(logits, dim);
        const sDy = tf.mul(s, dy as tf.Tensor);
        return tf.sub(sDy, tf.mul(s, tf.sum(sDy, dim, true)));
      },
    };
  },
});
