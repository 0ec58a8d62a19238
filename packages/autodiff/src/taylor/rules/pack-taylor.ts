import * as tf from '@tensorflow/tfjs';
import { composeLinear } from '../jet';
import { defineTaylorRule } from '../taylor-rule';
import { axesOf, fullCoef, listInputs } from './linear-util';

/** y = stack(x_0, x_1, ...; axis): coefficients stacked on axis + 1 (zeros for constant inputs). */
export const packTaylor = defineTaylorRule({
  kernelName: 'Pack',
  propagate: ({ inputs, attrs, outputs, layout }) => {
    const jets = listInputs(inputs);
    const [axis] = axesOf(attrs.axis, outputs[0].rank);
    return composeLinear(layout, { inputs: jets, primals: outputs }, (cs, k) =>
      tf.stack(
        cs.map((c, i) => fullCoef({ layout, k }, c, jets[i].primal.shape)),
        axis + 1,
      ),
    );
  },
});
