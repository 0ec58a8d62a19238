import * as tf from '@tensorflow/tfjs';
import { composeLinear } from '../jet';
import { defineTaylorRule } from '../taylor-rule';
import { fullCoef } from './linear-util';
import { bothRowInputs, soleRowInput, zipRows } from '../row-jet';

/** y = a + b (broadcasting): y_k = a_k + b_k, broadcast to the output shape. */
export const addTaylor = defineTaylorRule({
  kernelName: 'Add',
  propagate: ({ inputs, outputs, layout }) =>
    composeLinear(layout, { inputs: [inputs.a, inputs.b], primals: outputs }, ([a, b], k) => {
      const shape = outputs[0].shape;
      if (a === null || b === null) return fullCoef({ layout, k }, a ?? b, shape);
      return fullCoef({ layout, k }, tf.add(fullCoef({ layout, k }, a, shape), b), shape);
    }),
  propagateRows: ({ inputs: { a, b }, outputs }) => {
    const shape = outputs[0].shape;
    const sole = soleRowInput([a, b], shape);
    if (sole !== null) return [{ primal: outputs[0], rows: sole.jet.rows }];
    const both = bothRowInputs(a, b, shape);
    if (both === null) return null;
    const rows = zipRows(both[0], both[1], { both: (p, q) => tf.add(p, q), single: (t) => t });
    return [{ primal: outputs[0], rows }];
  },
});
