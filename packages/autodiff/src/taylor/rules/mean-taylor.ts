import * as tf from '@tensorflow/tfjs';
import { composeLinear } from '../jet';
import { defineTaylorRule } from '../taylor-rule';
import { axesOf } from './linear-util';

/** y = mean(x; axis, keepDims): coefficients averaged over axis + 1. */
export const meanTaylor = defineTaylorRule({
  kernelName: 'Mean',
  propagate: ({ inputs, attrs, outputs, layout }) => {
    const axes = axesOf(attrs.axis, inputs.x.primal.rank).map((a) => a + 1);
    const keepDims = attrs.keepDims === true;
    return composeLinear(layout, { inputs: [inputs.x], primals: outputs }, ([c]) =>
      tf.mean(c as tf.Tensor, axes, keepDims),
    );
  },
});
