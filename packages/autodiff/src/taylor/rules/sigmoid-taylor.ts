import { defineUnaryTaylorRule, polynomialDerivatives } from '../taylor-rule';

/** σ' = σ - σ², so every derivative is a polynomial in y = σ(x). */
export const sigmoidTaylor = defineUnaryTaylorRule({
  kernelName: 'Sigmoid',
  derivatives: (_x0, y0, count) => polynomialDerivatives(y0, [0, 1, -1], { count, normalized: true }),
  normalized: true,
});
