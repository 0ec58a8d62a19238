import * as tf from '@tensorflow/tfjs';
import { composeLinear } from '../jet';
import { defineTaylorRule } from '../taylor-rule';

/** y = slice(x, begin, size): the same window behind the leading direction axis. */
export const sliceTaylor = defineTaylorRule({
  kernelName: 'Slice',
  propagate: ({ inputs, attrs, outputs, layout }) => {
    const rank = inputs.x.primal.rank;
    const begin = Array.isArray(attrs.begin) ? (attrs.begin as number[]) : [attrs.begin as number];
    const given =
      attrs.size === undefined
        ? []
        : Array.isArray(attrs.size)
          ? (attrs.size as number[])
          : [attrs.size as number];
    const b = Array.from({ length: rank }, (_, i) => begin[i] ?? 0);
    const s = Array.from({ length: rank }, (_, i) => outputs[0].shape[i] ?? given[i] ?? -1);
    return composeLinear(layout, { inputs: [inputs.x], primals: outputs }, ([c]) =>
      tf.slice(c as tf.Tensor, [0, ...b], [-1, ...s]),
    );
  },
});
