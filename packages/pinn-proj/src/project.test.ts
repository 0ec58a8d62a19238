import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeak } from '@noether/test-utils';
import type { Constraint } from './constraint';
import { PinnProjError } from './errors';
import { project, projectJoint, projectLinear, projectQuadratic } from './project';
import { integrals64, project64, projectJoint64, conservationError64 } from './project64';
import { quadrature, productQuadrature } from './quadrature';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Deterministic pseudo-random values (LCG) for test inputs. */
function values(count: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.3;
  }
  return out;
}

/** Independent generic solver: Newton on the KKT system of min Σ w (v - u)² s.t. g(v) = c. */
function kktNewton(u: Float64Array, w: Float64Array, constraint: Constraint): Float64Array {
  const n = u.length;
  const lin = constraint.type !== 'quadratic';
  const quad = constraint.type !== 'linear';
  const m = (lin ? 1 : 0) + (quad ? 1 : 0);
  const dim = n + m;
  const z = new Float64Array(dim);
  z.set(u);
  for (let iter = 0; iter < 100; iter++) {
    // F = [2w(v-u) + λ1 w + 2 λ2 w v ; Σ w v - c1 ; Σ w v² - c2]
    const F = new Float64Array(dim);
    const J = Array.from({ length: dim }, () => new Float64Array(dim));
    let r = n;
    const l1 = lin ? z[n] : 0;
    const l2 = quad ? z[n + (lin ? 1 : 0)] : 0;
    for (let j = 0; j < n; j++) {
      F[j] = 2 * w[j] * (z[j] - u[j]) + l1 * w[j] + 2 * l2 * w[j] * z[j];
      J[j][j] = 2 * w[j] + 2 * l2 * w[j];
    }
    if (lin) {
      const c1 = (constraint as { c1: number }).c1;
      F[r] = -c1;
      for (let j = 0; j < n; j++) {
        F[r] += w[j] * z[j];
        J[r][j] = w[j];
        J[j][r] = w[j];
      }
      r++;
    }
    if (quad) {
      const c2 = (constraint as { c2: number }).c2;
      F[r] = -c2;
      for (let j = 0; j < n; j++) {
        F[r] += w[j] * z[j] * z[j];
        J[r][j] = 2 * w[j] * z[j];
        J[j][r] = 2 * w[j] * z[j];
      }
    }
    // Gaussian elimination with partial pivoting: J dz = -F
    const A = J.map((row, i) => [...row, -F[i]]);
    for (let c = 0; c < dim; c++) {
      let p = c;
      for (let i = c + 1; i < dim; i++) if (Math.abs(A[i][c]) > Math.abs(A[p][c])) p = i;
      [A[c], A[p]] = [A[p], A[c]];
      for (let i = c + 1; i < dim; i++) {
        const f = A[i][c] / A[c][c];
        for (let k = c; k <= dim; k++) A[i][k] -= f * A[c][k];
      }
    }
    const dz = new Float64Array(dim);
    for (let i = dim - 1; i >= 0; i--) {
      let s = A[i][dim];
      for (let k = i + 1; k < dim; k++) s -= A[i][k] * dz[k];
      dz[i] = s / A[i][i];
    }
    let norm = 0;
    for (let i = 0; i < dim; i++) {
      z[i] += dz[i];
      norm = Math.max(norm, Math.abs(dz[i]));
    }
    if (norm < 1e-15) break;
  }
  return z.slice(0, n);
}

const rules = [
  ['uniform', quadrature('uniform', [0, 2], 64)],
  ['trapezoid', quadrature('trapezoid', [0, 2], 65)],
  ['simpson', quadrature('simpson', [0, 2], 65)],
  ['gauss-legendre', quadrature('gauss-legendre', [0, 2], 40)],
  ['2D product', productQuadrature(quadrature('uniform', [0, 2], 8), quadrature('uniform', [0, 2], 8))],
] as const;

const constraints: Constraint[] = [
  { type: 'linear', c1: 0.9 },
  { type: 'quadratic', c2: 0.6 },
  { type: 'joint', c1: 0.4, c2: 0.5 },
];

describe('quadrature', () => {
  it('integrates polynomials exactly up to each rule’s degree', () => {
    const f = (x: number, p: number) => x ** p;
    const exact = (p: number) => (2 ** (p + 1) - 0) / (p + 1);
    const cases: Array<[ReturnType<typeof quadrature>, number]> = [
      [quadrature('trapezoid', [0, 2], 11), 1],
      [quadrature('simpson', [0, 2], 11), 3],
      [quadrature('gauss-legendre', [0, 2], 6), 11],
      [quadrature('uniform', [0, 2], 10), 1],
    ];
    for (const [q, degree] of cases) {
      for (let p = 0; p <= degree; p++) {
        let s = 0;
        for (let j = 0; j < q.n; j++) s += q.weights[j] * f(q.nodes[j], p);
        expect(Math.abs(s - exact(p))).toBeLessThan(1e-12 * exact(p));
      }
      let s = 0;
      for (let j = 0; j < q.n; j++) s += q.weights[j] * f(q.nodes[j], degree + 1);
      expect(Math.abs(s - exact(degree + 1))).toBeGreaterThan(1e-9);
    }
  });

  it('places uniform nodes where asked and gives the paper’s 1/128 weights', () => {
    const q = quadrature('uniform', [0, 2], { n: 256, nodes: 'left' });
    expect(q.weights.every((w) => w === 1 / 128)).toBe(true);
    expect(q.nodes[0]).toBe(0);
    expect(q.nodes[255]).toBeCloseTo(2 - 1 / 128, 14);
    expect(quadrature('uniform', [0, 2], 4).nodes[0]).toBe(0.25);
  });

  it('rejects an unknown rule, a bad domain and an even Simpson node count, naming the argument', () => {
    expect(() => quadrature('midpoint' as never, [0, 1], 4)).toThrow(
      /quadrature\(\): argument 'rule' must be one of/,
    );
    expect(() => quadrature('uniform', [1, 0], 4)).toThrow(/argument 'domain'/);
    expect(() => quadrature('simpson', [0, 1], 4)).toThrow(/argument 'n' must be odd/);
  });
});

describe('float64 projections', () => {
  it('satisfy their constraints to 1e-12 relative for every quadrature rule', () => {
    for (const [, q] of rules) {
      const u = values(3 * q.n, 7);
      for (const constraint of constraints) {
        const r = project64(u, q, { constraint });
        expect(r.status).toBe('ok');
        const { I1, I2 } = integrals64(r.values, q);
        for (let s = 0; s < 3; s++) {
          if (constraint.type !== 'quadratic')
            expect(
              Math.abs(I1[s] - (constraint.c1 as number)) / Math.abs(constraint.c1 as number),
            ).toBeLessThan(1e-12);
          if (constraint.type !== 'linear')
            expect(Math.abs(I2[s] - (constraint.c2 as number)) / (constraint.c2 as number)).toBeLessThan(
              1e-12,
            );
        }
      }
    }
  });

  it('agree with a generic KKT Newton solver on small grids to 1e-10', () => {
    for (const n of [3, 5, 8]) {
      const q = quadrature('gauss-legendre', [0, 2], n);
      const u = values(n, 11 + n);
      for (const constraint of constraints) {
        const closed = project64(u, q, { constraint }).values;
        const newton = kktNewton(u, q.weights, constraint);
        for (let j = 0; j < n; j++) expect(Math.abs(closed[j] - newton[j])).toBeLessThan(1e-10);
      }
    }
  });

  it('match the paper’s formulas written out directly (independent float64 code) to 1e-12', () => {
    const q = quadrature('trapezoid', [0, 2], 9);
    const u = values(9, 31);
    const w = q.weights;
    const W = w.reduce((a, b) => a + b, 0);
    const I1 = u.reduce((a, v, j) => a + w[j] * v, 0);
    const I2 = u.reduce((a, v, j) => a + w[j] * v * v, 0);
    const m = I1 / W;
    const S = u.reduce((a, v, j) => a + w[j] * (v - m) ** 2, 0);
    const [c1, c2] = [0.4, 0.5];
    const direct: Record<string, number[]> = {
      linear: Array.from(u, (v) => v + (c1 - I1) / W),
      quadratic: Array.from(u, (v) => v * Math.sqrt(c2 / I2)),
      joint: Array.from(u, (v) => c1 / W + (v - m) * Math.sqrt((c2 - (c1 * c1) / W) / S)),
    };
    const cs: Record<string, Constraint> = {
      linear: { type: 'linear', c1 },
      quadratic: { type: 'quadratic', c2 },
      joint: { type: 'joint', c1, c2 },
    };
    for (const [name, expected] of Object.entries(direct)) {
      const got = project64(u, q, { constraint: cs[name] }).values;
      expected.forEach((v, j) => expect(Math.abs(got[j] - v)).toBeLessThan(1e-12));
    }
  });

  it('are idempotent to 1e-12', () => {
    const q = quadrature('simpson', [0, 2], 33);
    const u = values(4 * 33, 3);
    for (const constraint of constraints) {
      const once = project64(u, q, { constraint }).values;
      const twice = project64(once, q, { constraint }).values;
      for (let i = 0; i < once.length; i++) expect(Math.abs(twice[i] - once[i])).toBeLessThan(1e-12);
    }
  });

  it('evaluate a target callback at each slice’s time', () => {
    const q = quadrature('uniform', [0, 2], 32);
    const times = [0, 0.5, 1];
    const r = project64(values(96, 5), q, {
      constraint: { type: 'linear', c1: (t) => Math.exp(0.5 * t) },
      times,
    });
    const { I1 } = integrals64(r.values, q);
    times.forEach((t, s) => expect(I1[s]).toBeCloseTo(Math.exp(0.5 * t), 12));
    expect(
      conservationError64(r.values, q, {
        constraint: { type: 'linear', c1: (t) => Math.exp(0.5 * t) },
        times,
      }).total,
    ).toBeLessThan(1e-13);
  });

  it('report a constant slice as degenerate for the joint projection and infeasible targets when clamping', () => {
    const q = quadrature('uniform', [0, 1], 4);
    const flat = new Float64Array([1, 1, 1, 1]);
    expect(projectJoint64(flat, q, { c1: 1, c2: 2 }).status).toBe('degenerate');
    const clamped = projectJoint64(values(4, 1), q, { c1: 1, c2: 0.5, onInfeasible: 'clamp' });
    expect(clamped.status).toBe('infeasible');
    expect(Array.from(clamped.values).every((v) => Math.abs(v - 1) < 1e-15)).toBe(true);
    expect(
      project64(new Float64Array([NaN, 0, 1, 2]), q, { constraint: { type: 'linear', c1: 1 } }).status,
    ).toBe('non-finite');
  });
});

describe('tensor projections (float32)', () => {
  it('satisfy their constraints to 1e-6 relative for every quadrature rule', () => {
    for (const [, q] of rules) {
      const u = values(3 * q.n, 9);
      for (const constraint of constraints) {
        const out = tf.tidy(() => project(tf.tensor2d(Float32Array.from(u), [3, q.n]), q, { constraint }));
        const { I1, I2 } = integrals64(out.dataSync(), q);
        out.dispose();
        for (let s = 0; s < 3; s++) {
          if (constraint.type !== 'quadratic')
            expect(
              Math.abs(I1[s] - (constraint.c1 as number)) / Math.abs(constraint.c1 as number),
            ).toBeLessThan(1e-6);
          if (constraint.type !== 'linear')
            expect(Math.abs(I2[s] - (constraint.c2 as number)) / (constraint.c2 as number)).toBeLessThan(
              1e-6,
            );
        }
      }
    }
  });

  it('match the float64 formulas to float32 precision and are idempotent', () => {
    const q = quadrature('trapezoid', [0, 2], 129);
    const u = values(5 * 129, 21);
    for (const constraint of constraints) {
      const ref = project64(u, q, { constraint }).values;
      const [once, twice] = tf.tidy(() => {
        const a = project(tf.tensor2d(Float32Array.from(u), [5, 129]), q, { constraint });
        return [a.dataSync(), project(a, q, { constraint }).dataSync()];
      });
      for (let i = 0; i < ref.length; i++) {
        expect(Math.abs(once[i] - ref[i])).toBeLessThan(2e-6);
        expect(Math.abs(twice[i] - once[i])).toBeLessThan(2e-6);
      }
    }
  });

  it('have gradients with respect to the values that match finite differences of the float64 formulas', () => {
    const q = quadrature('gauss-legendre', [0, 2], 6);
    const u = values(12, 4);
    const g = values(12, 99);
    for (const constraint of constraints) {
      const grad = tf.tidy(() =>
        tf
          .grad((x: tf.Tensor) =>
            tf.sum(
              tf.mul(project(x as tf.Tensor2D, q, { constraint }), tf.tensor2d(Float32Array.from(g), [2, 6])),
            ),
          )(tf.tensor2d(Float32Array.from(u), [2, 6]))
          .dataSync(),
      );
      const L = (v: Float64Array) =>
        project64(v, q, { constraint }).values.reduce((s, p, i) => s + p * g[i], 0);
      for (let i = 0; i < u.length; i++) {
        const h = 1e-6;
        const up = u.slice();
        const dn = u.slice();
        up[i] += h;
        dn[i] -= h;
        const fd = (L(up) - L(dn)) / (2 * h);
        expect(Math.abs(grad[i] - fd)).toBeLessThan(1e-4 * (1 + Math.abs(fd)));
      }
    }
  });

  it('accept per-slice targets from a callback of t', () => {
    const q = quadrature('uniform', [0, 2], 64);
    const times = [0, 0.25, 0.5];
    const out = projectLinear(tf.tensor2d(Float32Array.from(values(192, 2)), [3, 64]), q, {
      c1: (t) => 0.8 * Math.exp(0.5 * t),
      times,
    });
    const { I1 } = integrals64(out.dataSync(), q);
    out.dispose();
    times.forEach((t, s) => expect(Math.abs(I1[s] - 0.8 * Math.exp(0.5 * t))).toBeLessThan(1e-6));
  });

  it('clamp infeasible targets on request instead of throwing', () => {
    const u = tf.tensor2d([0.1, 0.5, 0.2, 0.9], [1, 4]);
    const p = projectJoint(u, [1, 1, 1, 1], { c1: 2, c2: 0.5, onInfeasible: 'clamp' });
    expect(Array.from(p.dataSync()).every((v) => Math.abs(v - 0.5) < 1e-7)).toBe(true);
    tf.dispose([u, p]);
  });

  it('leak no tensors', () => {
    const q = quadrature('uniform', [0, 2], 16);
    const u = tf.tensor2d(Float32Array.from(values(32, 8)), [2, 16]);
    for (const constraint of constraints) expectNoLeak(() => project(u, q, { constraint }), constraint.type);
    expectNoLeak(() => projectQuadratic(u, q, { c2: 1 }), 'projectQuadratic');
    expectNoLeak(() => projectJoint(u, q, { c1: 0.5, c2: 1 }), 'projectJoint');
    u.dispose();
  });

  it('reject mismatched weights, negative weights and infeasible targets with clear errors', () => {
    const u = tf.tensor2d(Float32Array.from(values(8, 8)), [2, 4]);
    const before = tf.memory().numTensors;
    expect(() => projectLinear(u, [1, 1, 1], { c1: 1 })).toThrow(
      /project\(\): argument 'weights' must have one weight per grid value \(values have n = 4\), got 3 weights/,
    );
    expect(() => projectLinear(u, [1, -1, 1, 1], { c1: 1 })).toThrow(
      /argument 'weights\[1\]' must be a finite non-negative number, got -1/,
    );
    expect(() => projectQuadratic(u, [1, 1, 1, 1], { c2: -1 })).toThrow(
      /quadratic target c2 must be > 0, got c2 = -1/,
    );
    expect(() => projectJoint(u, [1, 1, 1, 1], { c1: 2, c2: 0.5 })).toThrow(
      /c2 must be >= c1\^2\/W \(Cauchy-Schwarz\), got c2 = 0.5 < 1/,
    );
    expect(() => projectJoint(u, [1, 1, 1, 1], { c1: 2, c2: 0.5 })).toThrow(PinnProjError);
    try {
      projectJoint(u, [1, 1, 1, 1], { c1: 2, c2: 0.5 });
    } catch (e) {
      expect((e as PinnProjError).code).toBe('INFEASIBLE_TARGET');
    }
    expect(() => projectLinear(u, [1, 1, 1, 1], { c1: (t) => t })).toThrow(
      /argument 'options.times' must be one time per slice/,
    );
    expect(() => project(u, [1, 1, 1, 1], { constraint: { type: 'cubic' } as never })).toThrow(
      /argument 'options.constraint.type' must be one of linear, quadratic, joint/,
    );
    expect(tf.memory().numTensors).toBe(before);
    u.dispose();
  });
});
