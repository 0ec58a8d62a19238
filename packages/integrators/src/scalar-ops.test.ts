import { describe, expect, it } from 'vitest';
import { dualOps, gradient, realOps, type ScalarFunction } from './scalar-ops';

describe('forward-mode dual numbers', () => {
  const f: ScalarFunction = (x, s) =>
    s.add(
      s.mul(s.sin(x[0]), s.exp(x[1])),
      s.div(s.log(s.add(s.mul(x[0], x[0]), s.constant(2))), s.sqrt(s.pow(x[1], 2))),
    );

  it('give the exact gradient of a composite function', () => {
    const [a, b] = [0.7, 1.3];
    const g = gradient(f, [a, b], realOps);
    const r = a * a + 2;
    expect(g[0]).toBeCloseTo(Math.cos(a) * Math.exp(b) + (2 * a) / r / b, 14);
    expect(g[1]).toBeCloseTo(Math.sin(a) * Math.exp(b) - Math.log(r) / (b * b), 14);
  });

  it('nest to give exact second derivatives (Hessian of the Kepler potential)', () => {
    const V: ScalarFunction = (q, s) => s.neg(s.pow(s.add(s.mul(q[0], q[0]), s.mul(q[1], q[1])), -0.5));
    const D = dualOps(realOps, 2);
    const q = [D.variable(0.6, 0), D.variable(0.8, 1)];
    const g = gradient(V, q, D);
    // dV/dq = q / r^3, Hessian = I / r^3 - 3 q q^T / r^5 with r = 1
    expect(g[0].v).toBeCloseTo(0.6, 14);
    expect(g[0].d[0]).toBeCloseTo(1 - 3 * 0.36, 14);
    expect(g[0].d[1]).toBeCloseTo(-3 * 0.48, 14);
    expect(g[1].d[1]).toBeCloseTo(1 - 3 * 0.64, 14);
  });

  it('agree with central finite differences on cos and the scale/neg/sub operations', () => {
    const h: ScalarFunction = (x, s) => s.sub(s.scale(s.cos(x[0]), 3), s.neg(s.mul(x[0], x[1])));
    const x = [0.3, -1.1];
    const g = gradient(h, x, realOps);
    const eps = 1e-6;
    for (let i = 0; i < 2; i++) {
      const xp = x.slice();
      const xm = x.slice();
      xp[i] += eps;
      xm[i] -= eps;
      expect(g[i]).toBeCloseTo((h(xp, realOps) - h(xm, realOps)) / (2 * eps), 8);
    }
  });
});
