import * as tf from '@tensorflow/tfjs';
import { composeLinear } from '../jet';
import { isRowJet, mapRows } from '../row-jet';
import { defineTaylorRule } from '../taylor-rule';

/** y = -x: y_k = -x_k. */
export const negTaylor = defineTaylorRule({
  kernelName: 'Neg',
  propagate: ({ inputs, outputs, layout }) =>
    composeLinear(layout, { inputs: [inputs.x], primals: outputs }, ([c]) => tf.neg(c as tf.Tensor)),
  propagateRows: ({ inputs, outputs }) => {
    const x = inputs.x;
    return isRowJet(x) ? [{ primal: outputs[0], rows: mapRows(x, (r) => tf.neg(r)) }] : null;
  },
});
