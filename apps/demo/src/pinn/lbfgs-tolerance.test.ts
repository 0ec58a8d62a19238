import { minimize64 } from '@noether/optim';
import { describe, expect, it } from 'vitest';
import { lbfgsTolerances } from './train';

/** Rosenbrock's function scaled by 1e-3 (a small loss with a long curved valley), minimum at (1, 1). */
const rosenbrock = (x: Float64Array) => {
  const a = 1 - x[0];
  const b = x[1] - x[0] * x[0];
  return {
    loss: 1e-3 * (a * a + 100 * b * b),
    grad: new Float64Array([1e-3 * (-2 * a - 400 * x[0] * b), 1e-3 * 200 * b]),
  };
};

describe("the reproduction's L-BFGS tolerances", () => {
  it('keep a small loss training until the gradient tolerance, where a change tolerance of 1e-9 stops it early', () => {
    const start = new Float64Array([-1.2, 1]);
    const paper = minimize64(rosenbrock, start, { historySize: 50, maxIterations: 1000, ...lbfgsTolerances });
    const loose = minimize64(rosenbrock, start, {
      historySize: 50,
      maxIterations: 1000,
      ...lbfgsTolerances,
      changeTol: 1e-9,
    });
    expect(paper.reason).toBe('grad-tol');
    expect(Math.hypot(paper.x[0] - 1, paper.x[1] - 1)).toBeLessThan(1e-5);
    expect(loose.reason).toBe('change-tol');
    expect(Math.hypot(loose.x[0] - 1, loose.x[1] - 1)).toBeGreaterThan(1e-4);
  });
});
