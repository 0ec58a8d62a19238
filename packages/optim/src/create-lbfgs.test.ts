import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeak } from '@noether/test-utils';
import { createLbfgs } from './create-lbfgs';
import { minimize, minimize64, variablesObjective } from './minimize';
import { cubicMinimizer, strongWolfe } from './strong-wolfe';
import { float64Ops, tensorOps } from './vector-ops';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Seeded uniform [0, 1) generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Extended Rosenbrock: sum_i 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2, minimum 0 at (1, ..., 1). */
function rosenbrock(x: Float64Array) {
  const g = new Float64Array(x.length);
  let f = 0;
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    f += 100 * a * a + b * b;
    g[i] += -400 * x[i] * a - 2 * b;
    g[i + 1] += 200 * a;
  }
  return { loss: f, grad: g };
}

/** Random SPD matrix A = M^T M + n I / 10 and vector b, plus the float64 solution of A x = b by Cholesky. */
function quadraticProblem(n: number, seed: number) {
  const r = rng(seed);
  const M = Array.from({ length: n * n }, () => r() * 2 - 1);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? n / 10 : 0;
      for (let k = 0; k < n; k++) s += M[k * n + i] * M[k * n + j];
      A[i * n + j] = s;
    }
  const b = Float64Array.from({ length: n }, () => r() * 2 - 1);
  // Cholesky A = L L^T, then forward/back substitution.
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = i === j ? Math.sqrt(s) : s / L[j * n + j];
    }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * z[k];
    z[i] = s / L[i * n + i];
  }
  const xStar = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * xStar[k];
    xStar[i] = s / L[i * n + i];
  }
  const lossAndGrad = (x: Float64Array) => {
    const g = new Float64Array(n);
    let f = 0;
    for (let i = 0; i < n; i++) {
      let ax = 0;
      for (let j = 0; j < n; j++) ax += A[i * n + j] * x[j];
      g[i] = ax - b[i];
      f += 0.5 * x[i] * ax - b[i] * x[i];
    }
    return { loss: f, grad: g };
  };
  return { A, b, xStar, lossAndGrad };
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('L-BFGS in float64', () => {
  it('reaches the Rosenbrock minimum (1, 1) from (-1.2, 1) to 1e-8', () => {
    const r = minimize64(rosenbrock, new Float64Array([-1.2, 1]), {
      gradTol: 1e-10,
      changeTol: 0,
    });
    expect([r.status, r.reason]).toEqual(['ok', 'grad-tol']);
    expect(maxAbsDiff(r.x, [1, 1])).toBeLessThan(1e-8);
    expect(r.iterations).toBeLessThan(60);
  });

  it('reaches the 10-dimensional extended Rosenbrock minimum to 1e-7', () => {
    const x0 = Float64Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
    const r = minimize64(rosenbrock, x0, {
      historySize: 10,
      gradTol: 1e-9,
      changeTol: 0,
    });
    expect([r.status, r.reason]).toEqual(['ok', 'grad-tol']);
    expect(maxAbsDiff(r.x, new Float64Array(10).fill(1))).toBeLessThan(1e-7);
  });

  it('solves a 30-dimensional SPD quadratic to the Cholesky solution within 1e-9', () => {
    const q = quadraticProblem(30, 7);
    const r = minimize64(q.lossAndGrad, new Float64Array(30), {
      historySize: 50,
      gradTol: 1e-11,
      changeTol: 0,
    });
    expect([r.status, r.reason]).toEqual(['ok', 'grad-tol']);
    expect(maxAbsDiff(r.x, q.xStar)).toBeLessThan(1e-9);
  });

  it('keeps at most historySize correction pairs', () => {
    const lbfgs = createLbfgs(float64Ops, { historySize: 3 });
    let s = lbfgs.init(new Float64Array([-1.2, 1]), rosenbrock);
    for (let i = 0; i < 10 && s.status === 'running'; i++) {
      s = lbfgs.step(s, rosenbrock);
      expect(s.s.length).toBeLessThanOrEqual(3);
      expect(s.y.length).toBe(s.s.length);
    }
    expect(s.s.length).toBe(3);
  });

  it('decreases the loss monotonically and reports max-iterations when capped', () => {
    const r = minimize64(rosenbrock, new Float64Array([-1.2, 1]), { maxIterations: 5 });
    expect(r.status).toBe('max-iterations');
    expect(r.iterations).toBe(5);
    for (let i = 1; i < r.losses.length; i++) expect(r.losses[i]).toBeLessThan(r.losses[i - 1]);
  });

  it('backs off from a region where the loss is NaN and still converges', () => {
    // f = (x - 3)^2 but NaN for x > 3.5: the first trial steps overshoot into the NaN region.
    const f = (x: Float64Array) => ({
      loss: x[0] > 3.5 ? NaN : (x[0] - 3) ** 2,
      grad: new Float64Array([x[0] > 3.5 ? NaN : 2 * (x[0] - 3)]),
    });
    const r = minimize64(f, new Float64Array([-100]), { gradTol: 1e-8, learningRate: 1 });
    expect([r.status, r.reason]).toEqual(['ok', 'grad-tol']);
    expect(Math.abs(r.x[0] - 3)).toBeLessThan(1e-8);
  });

  it('reports a non-finite initial loss as a status, and throws only when asked', () => {
    const f = () => ({ loss: NaN, grad: new Float64Array([1]) });
    expect(minimize64(f, new Float64Array([0])).status).toBe('non-finite');
    expect(() => minimize64(f, new Float64Array([0]), { throwOnFailure: true })).toThrow(/non-finite/);
  });

  it('rejects bad options with an error naming the argument', () => {
    expect(() => createLbfgs(float64Ops, { historySize: 0 })).toThrow(
      /createLbfgs\(\): argument 'options.historySize' must be a finite integer >= 1, got 0/,
    );
    expect(() => createLbfgs(float64Ops, { lineSearch: { c1: 0.95, c2: 0.9 } })).toThrow(/0 < c1 < c2 < 1/);
    expect(() => minimize64(rosenbrock, [1, 2] as unknown as Float64Array)).toThrow(
      /'x0' must be a non-empty Float64Array/,
    );
  });
});

describe('strong-Wolfe line search', () => {
  it('interpolates the exact minimiser of a cubic', () => {
    // p(t) = t^3 - 3t has its local minimum at t = 1; sample at 0 and 2.
    const p = (t: number) => t ** 3 - 3 * t;
    const dp = (t: number) => 3 * t * t - 3;
    expect(cubicMinimizer([0, p(0), dp(0)], [2, p(2), dp(2)], [0, 2])).toBeCloseTo(1, 12);
    expect(cubicMinimizer([2, p(2), dp(2)], [0, p(0), dp(0)], [0, 2])).toBeCloseTo(1, 12);
  });

  it('returns a step that satisfies both strong Wolfe conditions', () => {
    // phi(t) = f(x + t d) for f(x) = x^4 - 2x^2 + x at x = -0.2, d = -1 (a bracketing case).
    const f = (x: Float64Array) => ({
      loss: x[0] ** 4 - 2 * x[0] ** 2 + x[0],
      grad: new Float64Array([4 * x[0] ** 3 - 4 * x[0] + 1]),
    });
    const x = new Float64Array([-0.2]);
    const d = new Float64Array([-1]);
    const f0 = f(x);
    const gtd0 = f0.grad[0] * d[0];
    for (const t0 of [0.01, 1, 30]) {
      const r = strongWolfe(float64Ops, f, { x, d, f0: f0.loss, gtd0, t0, c1: 1e-4, c2: 0.5 });
      expect(r.wolfe).toBe(true);
      const at = f(new Float64Array([x[0] + r.t * d[0]]));
      expect(at.loss).toBeLessThanOrEqual(f0.loss + 1e-4 * r.t * gtd0);
      expect(Math.abs(at.grad[0] * d[0])).toBeLessThanOrEqual(0.5 * Math.abs(gtd0));
    }
  });
});

describe('L-BFGS on tfjs variables (float32)', () => {
  it('solves an SPD quadratic to the float64 Cholesky solution within float32 accuracy', () => {
    const n = 20;
    const q = quadraticProblem(n, 11);
    const A = tf.tensor2d(Float32Array.from(q.A), [n, n]);
    const b = tf.tensor2d(Float32Array.from(q.b), [n, 1]);
    const x = tf.variable(tf.zeros([n, 1]));
    const loss = () =>
      tf.tidy(
        () => tf.sub(tf.mul(0.5, tf.sum(tf.mul(x, tf.matMul(A, x)))), tf.sum(tf.mul(b, x))) as tf.Scalar,
      );
    const r = minimize(loss, [x], {
      historySize: 50,
      gradTol: 1e-5,
      changeTol: 0,
      maxIterations: 200,
    });
    expect(['grad-tol', 'change-tol', 'line-search-failed']).toContain(r.reason);
    const scale = Math.max(...Array.from(q.xStar, Math.abs));
    expect(maxAbsDiff(x.dataSync(), q.xStar) / scale).toBeLessThan(1e-4);
    tf.dispose([A, b, x]);
  });

  it('reaches the Rosenbrock minimum with two separate variables to 1e-3', () => {
    const a = tf.variable(tf.scalar(-1.2));
    const c = tf.variable(tf.tensor1d([1]));
    const loss = () =>
      tf.tidy(
        () =>
          tf.add(
            tf.mul(100, tf.square(tf.sub(tf.sum(c), tf.square(a)))),
            tf.square(tf.sub(1, a)),
          ) as tf.Scalar,
      );
    const r = minimize(loss, [a, c], { historySize: 10, gradTol: 1e-6, maxIterations: 200 });
    expect(r.losses[r.losses.length - 1]).toBeLessThan(1e-6);
    expect(Math.abs(a.dataSync()[0] - 1)).toBeLessThan(1e-3);
    expect(Math.abs(c.dataSync()[0] - 1)).toBeLessThan(2e-3);
    tf.dispose([a, c]);
  });

  it('leaks no tensors in minimize or in an explicit init/step/dispose loop', () => {
    const w = tf.variable(tf.tensor1d([0.5, -0.3, 2]));
    const target = tf.tensor1d([1, 2, 3]);
    const loss = () => tf.tidy(() => tf.sum(tf.pow(tf.sub(w, target), 4)) as tf.Scalar);
    expectNoLeak(() => minimize(loss, [w], { historySize: 5, maxIterations: 20 }), 'minimize');
    expectNoLeak(() => {
      const obj = variablesObjective(loss, [w]);
      const lbfgs = createLbfgs(tensorOps, { historySize: 3 });
      const x0 = obj.read();
      let s = lbfgs.init(x0, obj.lossAndGrad);
      x0.dispose();
      for (let i = 0; i < 8; i++) s = lbfgs.step(s, obj.lossAndGrad);
      lbfgs.dispose(s);
    }, 'createLbfgs steps');
    tf.dispose([w, target]);
  });

  it('reports NaN losses as non-finite and leaves the variables finite', () => {
    const w = tf.variable(tf.tensor1d([1]));
    const loss = () => tf.tidy(() => tf.div(tf.sum(w), 0).mul(0) as tf.Scalar); // 0 * Inf = NaN
    expectNoLeak(() => {
      expect(minimize(loss, [w]).status).toBe('non-finite');
    });
    expect(() => minimize(loss, [w], { throwOnFailure: true })).toThrow(/non-finite/);
    w.dispose();
  });

  it('stops when onProgress returns false', () => {
    const w = tf.variable(tf.tensor1d([-1.2, 1]));
    const loss = () => tf.tidy(() => tf.sum(tf.pow(w, 4)) as tf.Scalar);
    const seen: number[] = [];
    const r = minimize(loss, [w], {
      maxIterations: 40,
      onProgress: (i) => (seen.push(i.step), expect(i.total).toBe(40), i.step < 3),
    });
    expect(r.status).toBe('stopped');
    expect(r.reason).toBeUndefined();
    expect(seen).toEqual([1, 2, 3]);
    w.dispose();
  });

  it('rejects an empty variable list', () => {
    expect(() => minimize(() => tf.scalar(0), [])).toThrow(/'vars' must be a non-empty array of tf.Variable/);
  });
});
