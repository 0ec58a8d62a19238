import * as tf from '@tensorflow/tfjs';
import { composeLinear } from '../jet';
import { defineTaylorRule } from '../taylor-rule';

/** y = tile(x, reps): coefficients tiled with reps [1, ...reps]. */
export const tileTaylor = defineTaylorRule({
  kernelName: 'Tile',
  propagate: ({ inputs, attrs, outputs, layout }) => {
    const reps = attrs.reps as number[];
    return composeLinear(layout, { inputs: [inputs.x], primals: outputs }, ([c]) =>
      tf.tile(c as tf.Tensor, [1, ...reps]),
    );
  },
});
