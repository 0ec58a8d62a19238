import * as tf from '@tensorflow/tfjs';
import { composeLinear } from '../jet';
import { defineTaylorRule } from '../taylor-rule';
import { fullCoef } from './linear-util';
import { bothRowInputs, mapRows, soleRowInput, zipRows } from '../row-jet';

/** y = a - b (broadcasting): y_k = a_k - b_k, broadcast to the output shape. */
export const subTaylor = defineTaylorRule({
  kernelName: 'Sub',
  propagate: ({ inputs, outputs, layout }) =>
    composeLinear(layout, { inputs: [inputs.a, inputs.b], primals: outputs }, ([a, b], k) => {
      const shape = outputs[0].shape;
      if (b === null) return fullCoef({ layout, k }, a, shape);
      const negB = fullCoef({ layout, k }, tf.neg(b), shape);
      return a === null ? negB : tf.add(negB, fullCoef({ layout, k }, a, shape));
    }),
  propagateRows: ({ inputs: { a, b }, outputs }) => {
    const shape = outputs[0].shape;
    const sole = soleRowInput([a, b], shape);
    if (sole !== null) {
      const rows = sole.index === 0 ? sole.jet.rows : mapRows(sole.jet, (r) => tf.neg(r));
      return [{ primal: outputs[0], rows }];
    }
    const both = bothRowInputs(a, b, shape);
    if (both === null) return null;
    const rows = zipRows(both[0], both[1], {
      both: (p, q) => tf.sub(p, q),
      single: (t, side) => (side === 0 ? t : tf.neg(t)),
    });
    return [{ primal: outputs[0], rows }];
  },
});
