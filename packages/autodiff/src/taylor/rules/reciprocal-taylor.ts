import { defineUnaryTaylorRule } from '../taylor-rule';
import { fallingPowers } from './power-series';

/** (1/x)^(n) = (-1)^n n! / x^(n+1) = falling factorial of -1 times y / x^n. */
export const reciprocalTaylor = defineUnaryTaylorRule({
  kernelName: 'Reciprocal',
  derivatives: (_x0, y0, count) => fallingPowers({ scale: y0, r: y0 }, -1, count),
});
