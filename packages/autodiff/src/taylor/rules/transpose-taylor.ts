import * as tf from '@tensorflow/tfjs';
import { composeLinear } from '../jet';
import { defineTaylorRule } from '../taylor-rule';

/** y = transpose(x, perm): the same permutation behind the leading direction axis. */
export const transposeTaylor = defineTaylorRule({
  kernelName: 'Transpose',
  propagate: ({ inputs, attrs, outputs, layout }) => {
    const perm = attrs.perm as number[];
    return composeLinear(layout, { inputs: [inputs.x], primals: outputs }, ([c]) =>
      tf.transpose(c as tf.Tensor, [0, ...perm.map((p) => p + 1)]),
    );
  },
});
