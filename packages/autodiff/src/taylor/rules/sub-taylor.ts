import * as tf from '@tensorflow/tfjs';
import { composeLinear } from '../jet';
import { defineTaylorRule } from '../taylor-rule';
import { fullCoef } from './linear-util';

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
});
