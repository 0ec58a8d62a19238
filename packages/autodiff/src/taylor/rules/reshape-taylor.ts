import * as tf from '@tensorflow/tfjs';
import { composeLinear } from '../jet';
import { isRowJet, mapRows } from '../row-jet';
import { defineTaylorRule } from '../taylor-rule';

/** y = reshape(x): each coefficient to `[width, ...y.shape]`. */
export const reshapeTaylor = defineTaylorRule({
  kernelName: 'Reshape',
  propagate: ({ inputs, outputs, layout }) =>
    composeLinear(layout, { inputs: [inputs.x], primals: outputs }, ([c]) => {
      const t = c as tf.Tensor;
      return tf.reshape(t, [t.shape[0], ...outputs[0].shape]);
    }),
  propagateRows: ({ inputs, outputs }) => {
    const x = inputs.x;
    const shape = outputs[0].shape;
    return isRowJet(x) ? [{ primal: outputs[0], rows: mapRows(x, (r) => tf.reshape(r, shape)) }] : null;
  },
});
