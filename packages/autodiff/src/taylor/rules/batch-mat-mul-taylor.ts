import { composeBilinear } from '../jet';

import { defineTaylorRule } from '../taylor-rule';
import { matMulTerm, rowMatMul } from './mat-mul-term';

/** y = a @ b (with transposeA/B): bilinear, y_k = Σ_i a_i @ b_{k-i}. */
export const batchMatMulTaylor = defineTaylorRule({
  kernelName: 'BatchMatMul',
  propagate: ({ inputs, attrs, outputs, layout }) => {
    const transpose = { a: attrs.transposeA === true, b: attrs.transposeB === true };
    return [
      composeBilinear(layout, { a: inputs.a, b: inputs.b, primal: outputs[0] }, (p, q) =>
        matMulTerm([p, q], transpose),
      ),
    ];
  },
  propagateRows: ({ inputs: { a, b }, attrs, outputs }) => {
    const transposeA = attrs.transposeA === true;
    const rows = rowMatMul({ a, b, transposeA, transposeB: attrs.transposeB === true });
    return rows === null ? null : [{ primal: outputs[0], rows }];
  },
});
