import * as tf from '@tensorflow/tfjs';
import { composeLinear } from '../jet';
import { defineTaylorRule } from '../taylor-rule';
import { axesOf } from './linear-util';

/** ys = unstack(x; axis): coefficients unstacked on axis + 1. */
export const unpackTaylor = defineTaylorRule({
  kernelName: 'Unpack',
  propagate: ({ inputs, attrs, outputs, layout }) => {
    const [axis] = axesOf(attrs.axis, inputs.value.primal.rank);
    return composeLinear(layout, { inputs: [inputs.value], primals: outputs }, ([c]) =>
      tf.unstack(c as tf.Tensor, axis + 1),
    );
  },
});
