import * as tf from '@tensorflow/tfjs';
import { composeLinear } from '../jet';
import { defineTaylorRule } from '../taylor-rule';
import { axesOf } from './linear-util';

/** y = sum(x; axis, keepDims): coefficients summed over axis + 1. */
export const sumTaylor = defineTaylorRule({
  kernelName: 'Sum',
  propagate: ({ inputs, attrs, outputs, layout }) => {
    const axes = axesOf(attrs.axis, inputs.x.primal.rank).map((a) => a + 1);
    const keepDims = attrs.keepDims === true;
    return composeLinear(layout, { inputs: [inputs.x], primals: outputs }, ([c]) =>
      tf.sum(c as tf.Tensor, axes, keepDims),
    );
  },
});
