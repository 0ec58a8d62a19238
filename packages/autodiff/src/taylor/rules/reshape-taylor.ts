import * as tf from '@tensorflow/tfjs';
import { composeLinear } from '../jet';
import { defineTaylorRule } from '../taylor-rule';

/** y = reshape(x): each coefficient to `[width, ...y.shape]`. */
export const reshapeTaylor = defineTaylorRule({
  kernelName: 'Reshape',
  propagate: ({ inputs, outputs, layout }) =>
    composeLinear(layout, { inputs: [inputs.x], primals: outputs }, ([c]) => {
      const t = c as tf.Tensor;
      return tf.reshape(t, [t.shape[0], ...outputs[0].shape]);
    }),
});
