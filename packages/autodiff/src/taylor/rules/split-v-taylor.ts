import * as tf from '@tensorflow/tfjs';
import { composeLinear } from '../jet';
import { defineTaylorRule } from '../taylor-rule';
import { axesOf } from './linear-util';

/** ys = split(x, sizes; axis): coefficients split the same way on axis + 1. */
export const splitVTaylor = defineTaylorRule({
  kernelName: 'SplitV',
  propagate: ({ inputs, attrs, outputs, layout }) => {
    const [axis] = axesOf(attrs.axis, inputs.x.primal.rank);
    const sizes = outputs.map((o) => o.shape[axis]);
    return composeLinear(layout, { inputs: [inputs.x], primals: outputs }, ([c]) =>
      tf.split(c as tf.Tensor, sizes, axis + 1),
    );
  },
});
