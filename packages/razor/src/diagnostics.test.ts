import { createRng } from '@noether/autodiff';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  monomialNames,
  readableLaws,
  svd64,
  symmetryDiagnostics,
  RazorError,
  transitionPairs,
} from './index';
import { generatorOf, unitaryGenerators } from './test-fixtures';

/** Deterministic pseudo-random numbers in [-1, 1). */
function uniformPm1(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.uniformIn(-1, 1);
}

const combine = (basis: Float64Array[], coeffs: number[]) =>
  basis[0].map((_, i) => basis.reduce((a, b, k) => a + coeffs[k] * b[i], 0));

describe('svd64', () => {
  it('reconstructs a random matrix and gives orthonormal singular vectors, to double round-off', () => {
    const rand = uniformPm1(3);
    const rows = Array.from({ length: 7 }, () => Float64Array.from({ length: 11 }, rand));
    const { s, u, v } = svd64(rows);
    for (let i = 0; i < 7; i++)
      for (let j = 0; j < 11; j++) {
        const r = s.reduce((a, sk, k) => a + u[k][i] * sk * v[k][j], 0);
        expect(Math.abs(r - rows[i][j])).toBeLessThan(1e-13);
      }
    for (let a = 0; a < 7; a++)
      for (let b = 0; b < 7; b++) {
        const d = v[a].reduce((acc, x, i) => acc + x * v[b][i], 0);
        expect(Math.abs(d - (a === b ? 1 : 0))).toBeLessThan(1e-13);
      }
    for (let k = 1; k < 7; k++) expect(s[k]).toBeLessThanOrEqual(s[k - 1]);
  });

  it('finds the singular values of a diagonal matrix and the rank of a rank-deficient one', () => {
    expect(Array.from(svd64([Float64Array.of(3, 0), Float64Array.of(0, 4)]).s)).toEqual([4, 3]);
    const r = svd64([Float64Array.of(1, 2, 3), Float64Array.of(2, 4, 6), Float64Array.of(0, 1, 0)]).s;
    expect(r[2]).toBeLessThan(1e-14);
    expect(() => svd64([])).toThrow(RazorError);
  });
});

describe('symmetryDiagnostics', () => {
  it('counts a planted 4-dimensional u(2) span among 30 slots, with its gap and parallelness', () => {
    const truth = unitaryGenerators(2);
    const rand = uniformPm1(5);
    const learned = Array.from({ length: 30 }, () => {
      const g = combine(truth, [rand(), rand(), rand(), rand()]);
      // spurious directions: small noise (1e-3) outside the span
      return g.map((x) => x + 1e-3 * rand());
    });
    const d = symmetryDiagnostics(learned, { trueGenerators: truth });
    expect(d.trueDimension).toBe(4);
    expect(d.countRelative).toBe(4);
    expect(d.gap).toBeGreaterThan(100);
    d.parallelness.forEach((p) => expect(p).toBeGreaterThan(0.9999));
    d.principalAngles.forEach((a) => expect(a).toBeLessThan(1e-2));
  });

  it('reports a direction outside the true span as not parallel', () => {
    const truth = unitaryGenerators(1);
    const outside = generatorOf([1, 0, 0, -1], [0, 0], 2); // q² - p²: not conserved by the oscillator
    const d = symmetryDiagnostics([outside, outside.map((x) => 0.01 * x)], { trueGenerators: truth });
    expect(d.parallelness[0]).toBeLessThan(1e-12);
    expect(d.principalAngles[0]).toBeCloseTo(Math.PI / 2, 10);
    expect(d.count).toBe(1);
  });
});

describe('readableLaws', () => {
  it('prints the energy of one oscillator as q1² + p1² from any scaled generator', () => {
    const g = unitaryGenerators(1)[0].map((x) => -0.37 * x);
    const [law] = readableLaws([g], 2);
    expect(law.formula).toBe('q1² + p1²');
    expect(law.residual).toBeLessThan(1e-12);
  });

  it('recovers the u(2) formulas from a mixed and perturbed basis of the span', () => {
    const truth = unitaryGenerators(2);
    const rand = uniformPm1(9);
    const mixed = Array.from({ length: 4 }, () =>
      combine(truth, [rand(), rand(), rand(), rand()]).map((x) => x + 1e-3 * rand()),
    );
    const laws = readableLaws(mixed, 4);
    expect(laws.map((l) => l.formula)).toEqual(['q1² + p1²', 'q1 q2 + p1 p2', 'q1 p2 − q2 p1', 'q2² + p2²']);
    laws.forEach((l) => {
      expect(l.residual).toBeGreaterThan(0);
      expect(l.residual).toBeLessThan(0.02);
    });
  });

  it('prints linear laws and rounds coefficients to small fractions', () => {
    // two particles on a line: P = p1 + p2 (linear); 3 q1² + p1² (pivot scaled to 1: q1² + 1/3 p1²)
    const dim = 4;
    const P = generatorOf(new Float64Array(16), [0, 0, 1, 1], dim);
    const A = new Float64Array(16);
    A[0] = 6; // 3 q1²
    A[2 * 4 + 2] = 2; // p1²
    const Q = generatorOf(A, [0, 0, 0, 0], dim);
    const laws = readableLaws([P, Q], dim);
    expect(laws.map((l) => l.formula)).toEqual(['q1² + 1/3 p1²', 'p1 + p2']);
    // learned-span noise of 0.25 rounds to integers; an exact third stays a third
    const noisy = readableLaws([generatorOf([2, -0.25, -0.25, 2], [1 / 6, 0.2], 2)], 2)[0];
    expect(noisy.formula).toBe('q1² + p1²');
    expect(noisy.residual).toBeCloseTo(0.25, 10);
    expect(monomialNames(2)).toEqual(['q1²', 'q1 p1', 'p1²', 'q1', 'p1']);
  });

  it('rejects bad arguments', () => {
    expect(() => readableLaws([new Float64Array(3)], 2)).toThrow(
      /generators\[0\]' must be an array of length 9/,
    );
    expect(() => readableLaws([], 3)).toThrow(/argument 'dim' must be an even integer >= 2, got 3/);
  });
});

describe('transitionPairs', () => {
  it('pairs each state with the next one within every trajectory, never across trajectories', () => {
    // 2 trajectories x 3 states x dim 2; entry = 100 c + 10 k + i.
    const x = Float64Array.from({ length: 12 }, (_, j) => {
      const [c, k, i] = [Math.floor(j / 6), Math.floor(j / 2) % 3, j % 2];
      return 100 * c + 10 * k + i;
    });
    const before = tf.memory().numTensors;
    const pairs = transitionPairs({ x, shape: [2, 3, 2] });
    expect(pairs.x.shape).toEqual([4, 2]);
    expect(pairs.x.arraySync()).toEqual([
      [0, 1],
      [10, 11],
      [100, 101],
      [110, 111],
    ]);
    expect(pairs.y.arraySync()).toEqual([
      [10, 11],
      [20, 21],
      [110, 111],
      [120, 121],
    ]);
    tf.dispose([pairs.x, pairs.y]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => transitionPairs({ x, shape: [2, 1, 6] })).toThrow(
      /transitionPairs\(\): argument 'trajectories.shape' must be \[count, states >= 2, dim\]/,
    );
    expect(() => transitionPairs({ x, shape: [2, 3, 3] })).toThrow(
      /transitionPairs\(\): argument 'trajectories.x' must be a Float64Array of length 18/,
    );
  });
});
