import { composeBilinear, times } from '../jet';
import { defineTaylorRule } from '../taylor-rule';

/** y = a b (broadcasting): the Cauchy product y_k = Σ_i a_i b_{k-i}. */
export const mulTaylor = defineTaylorRule({
  kernelName: 'Multiply',
  propagate: ({ inputs, outputs, layout }) => {
    const primal = outputs[0];
    return [
      composeBilinear(layout, { a: inputs.a, b: inputs.b, primal }, (p, q, lead) =>
        times(p, q, { rank: primal.rank, lead }),
      ),
    ];
  },
});
