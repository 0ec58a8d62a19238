import * as tf from '@tensorflow/tfjs';
import { composeBilinear, times } from '../jet';
import { mapRows, soleRowInput } from '../row-jet';
import { defineTaylorRule } from '../taylor-rule';

/** y = a b (broadcasting): the Cauchy product y_k = Σ_i a_i b_{k-i}. */
export const mulTaylor = defineTaylorRule({
  kernelName: 'Multiply',
  propagate: ({ inputs, outputs, layout }) => {
    const primal = outputs[0];
    return [
      composeBilinear(layout, { a: inputs.a, b: inputs.b, primal }, (p, q, lead) =>
        times(p, q, { rank: primal.rank, lead }),
      ),
    ];
  },
  propagateRows: ({ inputs: { a, b }, outputs }) => {
    const sole = soleRowInput([a, b], outputs[0].shape);
    if (sole === null) return null;
    const other = (sole.index === 0 ? b : a).primal;
    return [{ primal: outputs[0], rows: mapRows(sole.jet, (r) => tf.mul(r, other)) }];
  },
});
