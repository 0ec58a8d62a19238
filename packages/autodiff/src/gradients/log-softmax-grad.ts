import * as tf from '@tensorflow/tfjs';
import { defineGradient } from './gradient-spec';

/**
 * d logSoftmax: dx = dy - softmax(logits) sum(dy) along `axis`. tfjs 4.22's `tf.logSoftmax` does not call the
 * LogSoftmax kernel (it is a `customGrad` op, fixed by the tape-order fix); this spec covers backends or
 * converted graphs that do run the kernel.
 */
export const logSoftmaxGrad = defineGradient({
  kernelName: 'LogSoftmax',
  inputsToSave: ['logits'],
  why: 'tfjs saves the output; order >= 2 throws',
  gradFunc: (dy, saved, attrs) => {
    const [logits] = saved;
    const axis = (attrs as { axis?: number }).axis ?? logits.rank - 1;
    return {
      logits: () =>
        tf.sub(dy as tf.Tensor, tf.mul(tf.softmax(logits, axis), tf.sum(dy as tf.Tensor, axis, true))),
    };
  },
});
