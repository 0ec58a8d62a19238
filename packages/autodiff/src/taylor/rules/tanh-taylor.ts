import { defineUnaryTaylorRule, polynomialDerivatives } from '../taylor-rule';

/** tanh' = 1 - tanh², so every derivative is a polynomial in y = tanh(x) (no extra Tanh kernel). */
export const tanhTaylor = defineUnaryTaylorRule({
  kernelName: 'Tanh',
  derivatives: (_x0, y0, count) => polynomialDerivatives(y0, [1, 0, -1], { count, normalized: true }),
  normalized: true,
});
