import { AutodiffError } from '../../errors';
import { composeLinear } from '../jet';
import { isRowJet } from '../row-jet';
import { defineTaylorRule } from '../taylor-rule';

/** A float32 -> float32 cast is the identity; a cast to another dtype has no derivative to carry. */
export const castTaylor = defineTaylorRule({
  kernelName: 'Cast',
  propagate: ({ inputs, attrs, outputs, layout }) => {
    if (attrs.dtype !== 'float32') {
      throw new AutodiffError(
        'UNSUPPORTED',
        `taylor(): kernel 'Cast' to ${String(attrs.dtype)} on a path that depends on x has no Taylor rule`,
      );
    }
    return composeLinear(
      layout,
      { inputs: [inputs.x], primals: outputs },
      ([c]) => c as NonNullable<typeof c>,
    );
  },
  propagateRows: ({ inputs, attrs, outputs }) => {
    const x = inputs.x;
    return attrs.dtype === 'float32' && isRowJet(x) ? [{ primal: outputs[0], rows: x.rows }] : null;
  },
});
