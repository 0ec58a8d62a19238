import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeak } from '@noether/test-utils';
import { partials } from './partials';
import { evaluateOnGrid, integralPenalty, penaltyLoss } from './penalty';
import { integrals64 } from './project64';
import { quadrature } from './quadrature';
import { latinHypercube, sampleOnTimeLevels, timeGrid } from './samplers';
import { timeLevelsOf } from './with-projection';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('seeded sampling', () => {
  it('puts exactly one Latin-hypercube point in every stratum of every axis', () => {
    const n = 50;
    const pts = latinHypercube(
      n,
      [
        [0, 2],
        [-1, 1],
        [0, 0.99],
      ],
      { seed: 3 },
    );
    for (let k = 0; k < 3; k++) {
      const [a, b] = [
        [0, 2],
        [-1, 1],
        [0, 0.99],
      ][k];
      const strata = new Set<number>();
      for (let i = 0; i < n; i++) strata.add(Math.floor(((pts[i * 3 + k] - a) / (b - a)) * n));
      expect(strata.size).toBe(n);
    }
    expect(Array.from(latinHypercube(n, [[0, 1]], { seed: 3 }))).toEqual(
      Array.from(latinHypercube(n, [[0, 1]], { seed: 3 })),
    );
    expect(() => latinHypercube(n, [[0, 1]], {} as never)).toThrow(
      /argument 'options.seed' must be an integer seed/,
    );
  });

  it('samples on shared float32 time levels whose index matches the tensor’s t column', () => {
    const s = sampleOnTimeLevels({
      times: timeGrid(0, 0.99, 100),
      pointsPerLevel: 7,
      spatial: [[0, 2]],
      seed: 5,
    });
    expect(s.count).toBe(700);
    const xt = tf.tensor2d(s.xt, [s.count, s.width]);
    const fromTensor = timeLevelsOf(xt.slice([0, 1], [-1, 1]).dataSync());
    expect(Array.from(fromTensor.times)).toEqual(Array.from(s.levels.times));
    expect(Array.from(fromTensor.index)).toEqual(Array.from(s.levels.index));
    xt.dispose();
  });
});

describe('partials', () => {
  // u = tanh(z), z = a x + c y + b t: every derivative in closed form
  const [a, b, c] = [0.7, -1.3, 0.4];
  const pts = [0.1, 0.5, 0.9, 1.7, 0.3, 0.2, 1.2, 0.8, 0.6, 1.9, 0.05, 0.45];

  it('gives u_t, u_tt, u_x, u_xx, u_xxx and u_xt of a tanh network exactly', () => {
    const xt = tf.tensor2d(pts.slice(0, 8), [4, 2]);
    const u = (z: tf.Tensor2D) => tf.tanh(tf.matMul(z, tf.tensor2d([a, b], [2, 1])));
    const before = tf.memory().numTensors;
    const d = partials(u, xt, ['t', 'tt', 'x', 'xx', 'xxx', 'xt']);
    const T = d.u.dataSync();
    const T1 = Array.from(T, (v) => 1 - v * v);
    const T2 = Array.from(T, (v) => -2 * v * (1 - v * v));
    const T3 = Array.from(T, (v) => -2 * (1 - v * v) * (1 - 3 * v * v));
    const expected: Record<string, number[]> = {
      t: T1.map((v) => b * v),
      tt: T2.map((v) => b * b * v),
      x: T1.map((v) => a * v),
      xx: T2.map((v) => a * a * v),
      xxx: T3.map((v) => a ** 3 * v),
      xt: T2.map((v) => a * b * v),
    };
    for (const [name, values] of Object.entries(expected)) {
      const got = d[name].dataSync();
      values.forEach((v, i) => expect(Math.abs(got[i] - v)).toBeLessThan(2e-6));
    }
    tf.dispose(Object.values(d));
    expect(tf.memory().numTensors).toBe(before);
    xt.dispose();
  });

  it('handles 2D inputs (x, y, t) and rejects unknown axes', () => {
    const xyt = tf.tensor2d(pts, [4, 3]);
    const u = (z: tf.Tensor2D) => tf.tanh(tf.matMul(z, tf.tensor2d([a, c, b], [3, 1])));
    const d = partials(u, xyt, ['y', 'yy', 'x']);
    const T = d.u.dataSync();
    const got = d.y.dataSync();
    const got2 = d.yy.dataSync();
    T.forEach((v, i) => {
      expect(Math.abs(got[i] - c * (1 - v * v))).toBeLessThan(1e-6);
      expect(Math.abs(got2[i] - c * c * -2 * v * (1 - v * v))).toBeLessThan(1e-6);
    });
    expect(() => partials(u, xyt, ['z'])).toThrow(/derivative names made of the axis letters 'xyt', got "z"/);
    tf.dispose([xyt, ...Object.values(d)]);
  });
});

describe('soft-constraint penalty', () => {
  it('equals λ · mean(((I(t_k) - c)/|X|)²) computed in float64, summed over both integrals for joint', () => {
    const q = quadrature('uniform', [0, 2], 16);
    const U = tf.tensor2d(
      Float32Array.from({ length: 48 }, (_, i) => Math.sin(0.37 * i)),
      [3, 16],
    );
    const { I1, I2 } = integrals64(U.dataSync(), q);
    const W = 2;
    const c1 = 0.3;
    const c2 = 0.9;
    const mean = (f: (s: number) => number) => (f(0) + f(1) + f(2)) / 3;
    const expectLin = 10 * mean((s) => ((I1[s] - c1) / W) ** 2);
    const expectJoint = 10 * (mean((s) => ((I1[s] - c1) / W) ** 2) + mean((s) => ((I2[s] - c2) / W) ** 2));
    expectNoLeak(() => {
      const lin = integralPenalty(U, q, { constraint: { type: 'linear', c1 } });
      const joint = integralPenalty(U, q, { constraint: { type: 'joint', c1, c2 }, lambda: 10 });
      expect(Math.abs(lin.dataSync()[0] - expectLin)).toBeLessThan(1e-6 * expectLin);
      expect(Math.abs(joint.dataSync()[0] - expectJoint)).toBeLessThan(1e-6 * expectJoint);
      return [lin, joint];
    });
    U.dispose();
  });

  it('evaluates a network on the grid at the data times', () => {
    const q = quadrature('uniform', [0, 2], 8);
    const net = (xt: tf.Tensor2D) => tf.add(tf.slice(xt, [0, 0], [-1, 1]), tf.slice(xt, [0, 1], [-1, 1]));
    expectNoLeak(() => evaluateOnGrid(net, q, [0, 0.5]), 'evaluateOnGrid');
    expectNoLeak(
      () => penaltyLoss(net, { grid: q, constraint: { type: 'joint', c1: 2, c2: 3 }, times: [0, 1] }),
      'penaltyLoss',
    );
    const U = evaluateOnGrid(net, q, [0, 0.5]);
    expect(U.shape).toEqual([2, 8]);
    expect(U.dataSync()[8]).toBeCloseTo(q.nodes[0] + 0.5, 6);
    const p = penaltyLoss(net, { grid: q, constraint: { type: 'linear', c1: 2 }, times: [0], lambda: 1 });
    // ∫_0^2 x dx = 2, so the penalty is 0 at t = 0
    expect(p.dataSync()[0]).toBeLessThan(1e-12);
    tf.dispose([U, p]);
  });
});
