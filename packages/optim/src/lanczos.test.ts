import { describe, expect, it } from 'vitest';
import { densityOnGrid, lanczos, rademacher, spectralDensity, tridiagonalEigen } from './lanczos';

/** A = Q diag(lambda) Q^T with Q a product of seeded Householder reflections (dense, known spectrum). */
function quadratic(lambda: Float64Array, seed: number) {
  const n = lambda.length;
  const hs = [0, 1, 2].map((k) => {
    const v = rademacher(n, seed + k).map((x, i) => x * (1 + ((i * 7919) % 13) / 13));
    const s = Math.sqrt(v.reduce((a, x) => a + x * x, 0));
    return v.map((x) => x / s);
  });
  const reflect = (x: Float64Array, h: Float64Array) => {
    let d = 0;
    for (let i = 0; i < n; i++) d += h[i] * x[i];
    return x.map((xi, i) => xi - 2 * d * h[i]);
  };
  // A x = Q diag Q^T x, Q = H0 H1 H2 (each symmetric), so Q^T = H2 H1 H0
  return (x: Float64Array) => {
    let y = Float64Array.from(x);
    for (const h of hs) y = reflect(y, h);
    y = y.map((v, i) => v * lambda[i]);
    for (const h of [...hs].reverse()) y = reflect(y, h);
    return y;
  };
}

describe('Lanczos and stochastic Lanczos quadrature', () => {
  it('find the eigenvalues of a symmetric tridiagonal matrix (the 1D Laplacian, known in closed form)', () => {
    const n = 12;
    const { values, first } = tridiagonalEigen(new Float64Array(n).fill(2), new Float64Array(n - 1).fill(-1));
    const exact = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1))).sort(
      (a, b) => a - b,
    );
    const got = Array.from(values).sort((a, b) => a - b);
    got.forEach((v, i) => expect(v).toBeCloseTo(exact[i], 12));
    expect(first.reduce((a, v) => a + v * v, 0)).toBeCloseTo(1, 12);
  });

  it('give the top eigenvalues of a dense quadratic with a known spectrum to 1e-8', () => {
    const n = 300;
    const lambda = Float64Array.from({ length: n }, (_, i) => (i < 3 ? [5122.6, 3525.5, 1000][i] : i / n));
    const r = lanczos(quadratic(lambda, 3), n, { steps: 40, seed: 1 });
    expect(r.matvecs).toBe(40);
    expect(r.ritzValues[0]).toBeCloseTo(5122.6, 8);
    expect(r.ritzValues[1]).toBeCloseTo(3525.5, 8);
    expect(r.ritzValues[2]).toBeCloseTo(1000, 8);
    expect(r.weights.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 12);
  });

  it('reproduce the moments of the spectral measure from the start vector (Gauss quadrature exactness)', () => {
    const n = 200;
    const lambda = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 3 + (i % 5));
    const A = quadratic(lambda, 9);
    const q0 = rademacher(n, 4);
    const q = q0.map((v) => v / Math.sqrt(n));
    const r = lanczos(A, n, { steps: 10, start: q0 });
    // q^T A^k q for k <= 2m - 1 = 19: check k = 1..5 against direct products
    let v = Float64Array.from(q);
    for (let k = 1; k <= 5; k++) {
      v = A(v);
      const direct = v.reduce((a, x, i) => a + x * q[i], 0);
      const quad = r.ritzValues.reduce((a, t, i) => a + r.weights[i] * t ** k, 0);
      expect(Math.abs(quad - direct) / Math.max(1, Math.abs(direct))).toBeLessThan(1e-9);
    }
  });

  it('estimate the spectral density of a two-cluster spectrum: mass fractions and trace within sampling error', () => {
    const n = 400;
    // 75% of eigenvalues near 1, 25% near 10
    const lambda = Float64Array.from({ length: n }, (_, i) =>
      i % 4 === 0 ? 10 + (i % 7) * 0.01 : 1 + (i % 11) * 0.01,
    );
    const exactTrace = lambda.reduce((a, v) => a + v, 0);
    const d = spectralDensity(quadratic(lambda, 5), n, { probes: 8, steps: 25, seed: 2 });
    expect(d.matvecs).toBe(200);
    expect(d.weights.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 10);
    let high = 0;
    d.nodes.forEach((x, i) => {
      if (x > 5) high += d.weights[i];
    });
    expect(Math.abs(high - 0.25)).toBeLessThan(0.05); // Rademacher probes: std ~ 0.25 sqrt(2/(8 n)) ~ 0.01
    expect(Math.abs(d.trace / exactTrace - 1)).toBeLessThan(0.03);
    const grid = Float64Array.from({ length: 241 }, (_, i) => -1 + i * 0.05);
    const rho = densityOnGrid(d, grid, 0.2);
    const mass = rho.reduce((a, v) => a + v * 0.05, 0);
    expect(mass).toBeCloseTo(1, 3);
    expect(rho[Math.round((1 + 1) / 0.05)]).toBeGreaterThan(rho[Math.round((5 + 1) / 0.05)] * 100);
  });

  it('reject bad arguments with the function and argument named', () => {
    expect(() => lanczos((v) => v, 0)).toThrow(/lanczos\(\): argument 'n'/);
    expect(() => lanczos((v) => v, 3, { start: new Float64Array(2) })).toThrow(/argument 'start'/);
    expect(() => lanczos(() => new Float64Array([NaN, 0]), 2)).toThrow(/non-finite/);
  });
});
