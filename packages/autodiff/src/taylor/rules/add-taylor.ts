import * as tf from '@tensorflow/tfjs';
import { composeLinear } from '../jet';
import { defineTaylorRule } from '../taylor-rule';
import { fullCoef } from './linear-util';

/** y = a + b (broadcasting): y_k = a_k + b_k, broadcast to the output shape. */
export const addTaylor = defineTaylorRule({
  kernelName: 'Add',
  propagate: ({ inputs, outputs, layout }) =>
    composeLinear(layout, { inputs: [inputs.a, inputs.b], primals: outputs }, ([a, b], k) => {
      const shape = outputs[0].shape;
      if (a === null || b === null) return fullCoef({ layout, k }, a ?? b, shape);
      return fullCoef({ layout, k }, tf.add(fullCoef({ layout, k }, a, shape), b), shape);
    }),
});
