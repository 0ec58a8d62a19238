import * as tf from '@tensorflow/tfjs';
import { composeBilinear, composeLinear, composeUnary, isConstant, lift, times } from '../jet';
import { defineTaylorRule } from '../taylor-rule';
import { fallingPowers } from './power-series';

/**
 * y = a / b. A constant divisor is linear (y_k = a_k / b_0); otherwise y = a · (1/b), the reciprocal's jet
 * from its derivatives (-1)^n n! / b^(n+1) and then the Cauchy product.
 */
export const realDivTaylor = defineTaylorRule({
  kernelName: 'RealDiv',
  propagate: ({ inputs, outputs, layout }) => {
    const { a, b } = inputs;
    const primal = outputs[0];
    if (isConstant(b)) {
      return composeLinear(layout, { inputs: [a], primals: outputs }, ([c]) => {
        const q = tf.div(lift(c as tf.Tensor, primal.rank), b.primal);
        return q;
      });
    }
    const r0 = tf.reciprocal(b.primal);
    const r = composeUnary(layout, b, {
      primal: r0,
      derivatives: fallingPowers({ scale: r0, r: r0 }, -1, layout.order),
    });
    return [
      composeBilinear(layout, { a, b: r, primal }, (p, q, lead) => times(p, q, { rank: primal.rank, lead })),
    ];
  },
});
