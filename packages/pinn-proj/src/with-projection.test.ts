import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeak } from '@noether/test-utils';
import type { Constraint } from './constraint';
import { integrals64 } from './project64';
import { productQuadrature, quadrature } from './quadrature';
import { projectPerPoint, timeLevelsOf, withProjection } from './with-projection';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A small sin-activated MLP (sin has exact higher-order gradients in plain tfjs). */
function mlp(seed: number, inputs = 2): { net: (xt: tf.Tensor2D) => tf.Tensor2D; vars: tf.Variable[] } {
  const sizes = [inputs, 8, 8, 1];
  const vars: tf.Variable[] = [];
  for (let l = 0; l < sizes.length - 1; l++) {
    vars.push(tf.variable(tf.randomNormal([sizes[l], sizes[l + 1]], 0, 0.9, 'float32', seed + l)));
    vars.push(tf.variable(tf.randomNormal([sizes[l + 1]], 0, 0.3, 'float32', seed + 100 + l)));
  }
  const net = (xt: tf.Tensor2D) =>
    tf.tidy(() => {
      let h: tf.Tensor = xt;
      for (let l = 0; l < vars.length; l += 2) {
        h = tf.add(tf.matMul(h as tf.Tensor2D, vars[l] as tf.Variable<tf.Rank.R2>), vars[l + 1]);
        if (l < vars.length - 2) h = tf.sin(h);
      }
      return h as tf.Tensor2D;
    });
  return { net, vars };
}

const q = quadrature('uniform', [0, 2], { n: 32, nodes: 'left' });
const constraints: Constraint[] = [
  { type: 'linear', c1: 0.8 },
  { type: 'quadratic', c2: 0.7 },
  { type: 'joint', c1: 0.5, c2: 0.9 },
];

/** Query points: 3 time levels, 4 points each, shuffled. */
function queryPoints(): tf.Tensor2D {
  const xs = [0.1, 0.7, 1.3, 1.9, 0.4, 1.1, 0.2, 1.6, 0.9, 1.4, 0.05, 1.95];
  const ts = [0.2, 0.5, 0.9, 0.2, 0.9, 0.5, 0.2, 0.9, 0.5, 0.5, 0.9, 0.2];
  return tf.tensor2d(
    xs.flatMap((x, i) => [x, ts[i]]),
    [12, 2],
  );
}

describe('withProjection', () => {
  it('gives the same values as the reference per-point grid re-evaluation and satisfies the constraint on the grid', () => {
    const { net } = mlp(1);
    const xt = queryPoints();
    for (const constraint of constraints) {
      const uTilde = withProjection(net, { grid: q, constraint });
      const [a, b] = tf.tidy(() => [
        uTilde(xt).dataSync(),
        projectPerPoint(net, xt, { grid: q, constraint, chunkSize: 5 }).dataSync(),
      ]);
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5);
      const g = uTilde.gridValues([0.2, 0.5]);
      const { I1, I2 } = integrals64(g.dataSync(), q);
      g.dispose();
      for (let s = 0; s < 2; s++) {
        if (constraint.type !== 'quadratic')
          expect(Math.abs(I1[s] - 0.8 * (constraint.type === 'linear' ? 1 : 0.625))).toBeLessThan(1e-6);
        if (constraint.type !== 'linear')
          expect(Math.abs(I2[s] - (constraint.c2 as number)) / (constraint.c2 as number)).toBeLessThan(1e-6);
      }
    }
    xt.dispose();
  });

  it('leaves spatial derivatives unchanged under the linear projection and scales them under the others', () => {
    const { net } = mlp(2);
    const xt = queryPoints();
    const ux = (f: (x: tf.Tensor2D) => tf.Tensor) =>
      tf.tidy(() =>
        tf
          .grad((x: tf.Tensor) => tf.sum(f(x as tf.Tensor2D)))(xt)
          .slice([0, 0], [-1, 1])
          .dataSync(),
      );
    const uxx = (f: (x: tf.Tensor2D) => tf.Tensor) =>
      tf.tidy(() =>
        tf
          .grad((x: tf.Tensor) =>
            tf.sum(
              tf
                .grad((y: tf.Tensor) => tf.sum(f(y as tf.Tensor2D)))(x)
                .slice([0, 0], [-1, 1]),
            ),
          )(xt)
          .slice([0, 0], [-1, 1])
          .dataSync(),
      );
    const base = ux(net);
    const base2 = uxx(net);
    const levels = timeLevelsOf(xt.slice([0, 1], [-1, 1]).dataSync());
    for (const constraint of constraints) {
      const uTilde = withProjection(net, { grid: q, constraint });
      const d1 = ux((x) => uTilde(x));
      const d2 = uxx((x) => uTilde(x));
      // the scale per level from the grid values: (u~ - shift)/u is the affine scale; measure it on the grid
      const scales = tf.tidy(() => {
        const U = tf.reshape(
          net(
            tf.concat(
              [
                tf.tile(tf.tensor2d(Float32Array.from(q.nodes), [q.n, 1]), [3, 1]),
                tf.tensor2d(
                  Array.from(levels.times).flatMap((t) => Array(q.n).fill(t)),
                  [3 * q.n, 1],
                ),
              ],
              1,
            ),
          ),
          [3, q.n],
        );
        const P = uTilde.gridValues(levels.times);
        // scale = (P_j - P_0) / (U_j - U_0)
        return tf
          .div(
            tf.sub(P.slice([0, 1], [-1, 1]), P.slice([0, 0], [-1, 1])),
            tf.sub(U.slice([0, 1], [-1, 1]), U.slice([0, 0], [-1, 1])),
          )
          .dataSync();
      });
      for (let i = 0; i < 12; i++) {
        const s = constraint.type === 'linear' ? 1 : scales[levels.index[i]];
        if (constraint.type === 'linear') expect(d1[i]).toBe(base[i]);
        expect(Math.abs(d1[i] - s * base[i])).toBeLessThan(1e-4 * (1 + Math.abs(base[i])));
        expect(Math.abs(d2[i] - s * base2[i])).toBeLessThan(1e-4 * (1 + Math.abs(base2[i])));
      }
      if (constraint.type !== 'linear') expect(Math.abs(scales[0] - 1)).toBeGreaterThan(1e-3);
    }
    xt.dispose();
  });

  it('gives detached and exact time derivatives that match the per-point reference formulation', () => {
    const { net } = mlp(3);
    const xt = queryPoints();
    const dt = (f: (x: tf.Tensor2D) => tf.Tensor, order: number) =>
      tf.tidy(() => {
        let g = f;
        for (let k = 0; k < order; k++) {
          const prev = g;
          g = (x) =>
            tf
              .grad((y: tf.Tensor) => tf.sum(prev(y as tf.Tensor2D)))(x)
              .slice([0, 1], [-1, 1]);
        }
        return g(xt).dataSync();
      });
    for (const constraint of constraints) {
      for (const timeDerivative of ['detached', 'exact'] as const) {
        const uTilde = withProjection(net, { grid: q, constraint, timeDerivative });
        const ref = (x: tf.Tensor2D) =>
          projectPerPoint(net, x, { grid: q, constraint, timeDerivative, chunkSize: 12 });
        for (const order of [1, 2]) {
          const a = dt((x) => uTilde(x), order);
          const b = dt(ref, order);
          for (let i = 0; i < 12; i++)
            expect(Math.abs(a[i] - b[i])).toBeLessThan(2e-4 * (1 + Math.abs(b[i])));
        }
      }
      // the two modes differ (the correction depends on t)
      const det = dt((x) => withProjection(net, { grid: q, constraint })(x), 1);
      const ex = dt((x) => withProjection(net, { grid: q, constraint, timeDerivative: 'exact' })(x), 1);
      expect(Math.max(...det.map((v, i) => Math.abs(v - ex[i])))).toBeGreaterThan(1e-3);
    }
    xt.dispose();
  });

  it('passes exact weight gradients through the grid evaluations (matches the per-point formulation)', () => {
    const { net, vars } = mlp(4);
    const xt = queryPoints();
    for (const constraint of constraints) {
      const uTilde = withProjection(net, { grid: q, constraint });
      const lossA = () => tf.sum(tf.square(tf.sub(uTilde(xt), 0.3))) as tf.Scalar;
      const lossB = () =>
        tf.sum(tf.square(tf.sub(projectPerPoint(net, xt, { grid: q, constraint }), 0.3))) as tf.Scalar;
      const ga = tf.variableGrads(lossA, vars);
      const gb = tf.variableGrads(lossB, vars);
      for (const name of Object.keys(ga.grads)) {
        const a = ga.grads[name].dataSync();
        const b = gb.grads[name].dataSync();
        for (let i = 0; i < a.length; i++)
          expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-4 * (1 + Math.abs(b[i])));
      }
      tf.dispose([ga.value, gb.value, ...Object.values(ga.grads), ...Object.values(gb.grads)]);
    }
    xt.dispose();
  });

  it('reuses one prepared correction across nested derivatives with the same loss and weight gradients', () => {
    const { net, vars } = mlp(7);
    const xt = queryPoints();
    const levels = timeLevelsOf(xt.slice([0, 1], [-1, 1]).dataSync());
    const uTilde = withProjection(net, { grid: q, constraint: { type: 'joint', c1: 0.5, c2: 0.9 } });
    const residualLoss = (u: (x: tf.Tensor2D) => tf.Tensor) => {
      const ux = (x: tf.Tensor2D) => tf.grad((y: tf.Tensor) => tf.sum(u(y as tf.Tensor2D)))(x);
      const g = ux(xt);
      const uxx = tf.grad((y: tf.Tensor) => tf.sum(tf.slice(ux(y as tf.Tensor2D), [0, 0], [-1, 1])))(xt);
      return tf.mean(
        tf.square(
          tf.add(
            tf.add(tf.slice(g, [0, 1], [-1, 1]), tf.mul(u(xt), tf.slice(g, [0, 0], [-1, 1]))),
            tf.slice(uxx, [0, 0], [-1, 1]),
          ),
        ),
      ) as tf.Scalar;
    };
    const a = tf.variableGrads(() => residualLoss((x) => uTilde(x, { levels })), vars);
    const b = tf.variableGrads(() => residualLoss(uTilde.prepare(levels)), vars);
    expect(Math.abs(a.value.dataSync()[0] - b.value.dataSync()[0])).toBeLessThan(
      1e-6 * a.value.dataSync()[0],
    );
    for (const name of Object.keys(a.grads)) {
      const ga = a.grads[name].dataSync();
      const gb = b.grads[name].dataSync();
      for (let i = 0; i < ga.length; i++)
        expect(Math.abs(ga[i] - gb[i])).toBeLessThan(1e-4 * (1 + Math.abs(ga[i])));
    }
    tf.dispose([a.value, b.value, ...Object.values(a.grads), ...Object.values(b.grads)]);
    const exact = withProjection(net, {
      grid: q,
      constraint: { type: 'linear', c1: 1 },
      timeDerivative: 'exact',
    });
    expect(() => exact.prepare(levels)).toThrow(/only for timeDerivative 'detached'/);
    xt.dispose();
  });

  it('applies one prepared correction to other point sets on the same levels, like a direct call', () => {
    const { net, vars } = mlp(9);
    const xt = queryPoints();
    const levels = timeLevelsOf(xt.slice([0, 1], [-1, 1]).dataSync());
    const uTilde = withProjection(net, { grid: q, constraint: { type: 'joint', c1: 0.5, c2: 0.9 } });
    // A second point set: every other row, reversed, with its own level index.
    const rows = Array.from({ length: xt.shape[0] }, (_, i) => i)
      .filter((i) => i % 2 === 0)
      .reverse();
    const other = tf.gather(xt, rows) as tf.Tensor2D;
    const otherIndex = Int32Array.from(rows, (i) => levels.index[i]);
    const before = tf.memory().numTensors;
    const [viaPrepared, direct] = tf.tidy(() => {
      const shared = uTilde.prepare(levels);
      return [shared(other, otherIndex), uTilde(other)];
    });
    expect(tf.memory().numTensors).toBe(before + 2);
    const a = viaPrepared.dataSync();
    const b = direct.dataSync();
    for (let i = 0; i < a.length; i++)
      expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-6 * (1 + Math.abs(b[i])));
    // The weight gradients flow through the shared correction.
    const g = tf.variableGrads(() => tf.sum(uTilde.prepare(levels)(other, otherIndex)) as tf.Scalar, vars);
    const h = tf.variableGrads(() => tf.sum(uTilde(other)) as tf.Scalar, vars);
    for (const name of Object.keys(g.grads)) {
      const ga = g.grads[name].dataSync();
      const gb = h.grads[name].dataSync();
      for (let i = 0; i < ga.length; i++)
        expect(Math.abs(ga[i] - gb[i])).toBeLessThan(1e-4 * (1 + Math.abs(gb[i])));
    }
    expect(() => uTilde.prepare(levels)(other, Int32Array.of(99))).toThrow(/query points must have shape/);
    expect(() =>
      uTilde.prepare(levels)(
        other,
        otherIndex.map(() => 99),
      ),
    ).toThrow(/'index' must be/);
    tf.dispose([
      viaPrepared,
      direct,
      other,
      xt,
      g.value,
      h.value,
      ...Object.values(g.grads),
      ...Object.values(h.grads),
    ]);
  });

  it('projects a 2D network on a product grid like the per-point formulation', () => {
    const { net } = mlp(8, 3);
    const q2 = productQuadrature(quadrature('uniform', [0, 2], 6), quadrature('uniform', [0, 2], 6));
    const xyt = tf.tensor2d([0.1, 0.3, 0.2, 1.5, 1.1, 0.2, 0.7, 1.9, 0.6, 0.4, 0.4, 0.6], [4, 3]);
    const constraint: Constraint = { type: 'joint', c1: 1, c2: 2 };
    const uTilde = withProjection(net, { grid: q2, constraint });
    const a = uTilde(xyt);
    const b = projectPerPoint(net, xyt, { grid: q2, constraint });
    const [da, db] = [a.dataSync(), b.dataSync()];
    for (let i = 0; i < 4; i++) expect(Math.abs(da[i] - db[i])).toBeLessThan(1e-5);
    const g = uTilde.gridValues([0.2]);
    const { I1, I2 } = integrals64(g.dataSync(), q2);
    expect(Math.abs(I1[0] - 1)).toBeLessThan(1e-6);
    expect(Math.abs(I2[0] - 2) / 2).toBeLessThan(1e-6);
    tf.dispose([a, b, g, xyt]);
  });

  it('accepts a tf.LayersModel and shared time levels from the caller', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          inputShape: [2],
          units: 6,
          activation: 'sigmoid',
          kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }),
        }),
        tf.layers.dense({ units: 1 }),
      ],
    });
    const xt = queryPoints();
    const levels = timeLevelsOf(xt.slice([0, 1], [-1, 1]).dataSync());
    const uTilde = withProjection(model, {
      grid: q.nodes,
      weights: q.weights,
      constraint: { type: 'linear', c1: 1 },
    });
    const a = uTilde(xt, { levels });
    const b = projectPerPoint(model, xt, { grid: q, constraint: { type: 'linear', c1: 1 } });
    const [da, db] = [a.dataSync(), b.dataSync()];
    for (let i = 0; i < 12; i++) expect(Math.abs(da[i] - db[i])).toBeLessThan(1e-5);
    tf.dispose([a, b, xt]);
    model.dispose();
  });

  it('leaks no tensors in either time-derivative mode', () => {
    const { net } = mlp(5);
    const xt = queryPoints();
    for (const timeDerivative of ['detached', 'exact'] as const) {
      const uTilde = withProjection(net, {
        grid: q,
        constraint: { type: 'joint', c1: 0.5, c2: 0.9 },
        timeDerivative,
      });
      expectNoLeak(() => uTilde(xt), `${timeDerivative} call`);
      expectNoLeak(() => uTilde.gridValues([0, 1]), `${timeDerivative} gridValues`);
      expectNoLeak(
        () => tf.grad((x: tf.Tensor) => tf.sum(uTilde(x as tf.Tensor2D)))(xt),
        `${timeDerivative} grad`,
      );
    }
    expectNoLeak(
      () => projectPerPoint(net, xt, { grid: q, constraint: { type: 'linear', c1: 1 } }),
      'per point',
    );
    const tColumn = xt.slice([0, 1], [-1, 1]);
    const levels = timeLevelsOf(tColumn.dataSync());
    tColumn.dispose();
    const detached = withProjection(net, { grid: q, constraint: { type: 'joint', c1: 0.5, c2: 0.9 } });
    expectNoLeak(() => tf.tidy(() => detached.prepare(levels)(xt)), 'prepare');
    xt.dispose();
  });

  it('rejects bad grids, weights, targets and inputs with clear errors', () => {
    const { net } = mlp(6);
    expect(() =>
      withProjection(net, { grid: q.nodes, weights: [1, 2], constraint: { type: 'linear', c1: 1 } }),
    ).toThrow(
      /withProjection\(\): argument 'options.weights' must have one weight per grid node \(32\), got 2 weights/,
    );
    expect(() =>
      withProjection(net, { grid: [0, 1], weights: [1, -1], constraint: { type: 'linear', c1: 1 } }),
    ).toThrow(/weights\[1\]' must be a finite non-negative number, got -1/);
    expect(() => withProjection(net, { grid: q, constraint: { type: 'joint', c1: 2, c2: 0.1 } })).toThrow(
      /infeasible/,
    );
    expect(() =>
      withProjection(net, { grid: q, constraint: { type: 'linear', c1: (t) => t }, timeDerivative: 'exact' }),
    ).toThrow(/requires constant targets/);
    const uTilde = withProjection(net, { grid: q, constraint: { type: 'linear', c1: 1 } });
    const bad = tf.zeros([4, 3]) as tf.Tensor2D;
    expect(() => uTilde(bad)).toThrow(
      /query points 'xt' must be a tensor of shape \[N, 2\] \(time last\), got a float32 tensor of shape \[4, 3\]/,
    );
    bad.dispose();
    const neg = withProjection(net, { grid: q, constraint: { type: 'quadratic', c2: (t) => t - 0.5 } });
    const xt = queryPoints();
    expect(() => neg(xt)).toThrow(/quadratic target c2 must be > 0, got c2 = -0\.\d+ at t = 0\.2/);
    xt.dispose();
  });
});
