import * as tf from '@tensorflow/tfjs';
import { AutodiffError } from '../../errors';
import { composeLinear, isConstant } from '../jet';
import { defineTaylorRule } from '../taylor-rule';
import { axesOf } from './linear-util';

/** y = gather(x, indices; axis): coefficients gathered on axis + 1 (the integer indices carry no derivative). */
export const gatherV2Taylor = defineTaylorRule({
  kernelName: 'GatherV2',
  propagate: ({ inputs, attrs, outputs, layout }) => {
    if ((attrs.batchDims as number | undefined) || !isConstant(inputs.indices)) {
      throw new AutodiffError(
        'UNSUPPORTED',
        `taylor(): kernel 'GatherV2' with batchDims > 0 has no Taylor rule`,
      );
    }
    const [axis] = axesOf(attrs.axis, inputs.x.primal.rank);
    const indices = inputs.indices.primal;
    return composeLinear(layout, { inputs: [inputs.x], primals: outputs }, ([c]) =>
      tf.gather(c as tf.Tensor, indices, axis + 1),
    );
  },
});
