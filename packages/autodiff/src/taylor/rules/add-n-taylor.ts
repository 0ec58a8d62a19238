import * as tf from '@tensorflow/tfjs';
import { composeLinear } from '../jet';
import { defineTaylorRule } from '../taylor-rule';
import { listInputs } from './linear-util';

/** y = Σ_i x_i (same shapes): y_k = Σ_i x_{i,k}. */
export const addNTaylor = defineTaylorRule({
  kernelName: 'AddN',
  propagate: ({ inputs, outputs, layout }) =>
    composeLinear(layout, { inputs: listInputs(inputs), primals: outputs }, (cs) => {
      const live = cs.filter((c): c is tf.Tensor => c !== null);
      return live.length === 1 ? live[0] : tf.addN(live);
    }),
});
