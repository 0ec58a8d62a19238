import { composeLinear } from '../jet';
import { isRowJet } from '../row-jet';
import { defineTaylorRule } from '../taylor-rule';

/** y = x (tf.clone): every coefficient passes through. */
export const identityTaylor = defineTaylorRule({
  kernelName: 'Identity',
  propagate: ({ inputs, outputs, layout }) =>
    composeLinear(layout, { inputs: [inputs.x], primals: outputs }, ([c]) => c as NonNullable<typeof c>),
  propagateRows: ({ inputs, outputs }) => {
    const x = inputs.x;
    return isRowJet(x) ? [{ primal: outputs[0], rows: x.rows }] : null;
  },
});
