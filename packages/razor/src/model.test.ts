import { defined } from '@noether/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createMatrixNormal,
  createRazorModel,
  eluAlpha,
  matrixNormalKl,
  networkInputGradient,
  networkValue,
  optimalPriorPrecision,
  quadraticGenerators,
  razorLoss,
  sampleFlows,
  sampleMatrixNormal,
  symmetrisedGradient,
  symmetrisedHamiltonian,
  RazorError,
  type NetworkWeights,
} from './index';
import { generatorOf, oscillatorTransitions, unitaryGenerators, unitaryQuadratics } from './test-fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function randomWeights(dims: number[], seed: number): NetworkWeights {
  const layers = dims.slice(0, -1).map((d, l) => ({
    w: tf.randomNormal([d, dims[l + 1]], 0, 1 / Math.sqrt(d), 'float32', seed + l) as tf.Tensor2D,
    b:
      l < dims.length - 2
        ? (tf.randomNormal([dims[l + 1]], 0, 0.3, 'float32', seed + 50 + l) as tf.Tensor1D)
        : undefined,
  }));
  return { layers, scale: tf.scalar(1.3) };
}
const disposeWeights = (w: NetworkWeights) =>
  tf.dispose([w.scale, ...w.layers.flatMap((l) => (l.b ? [l.w, l.b] : [l.w]))]);

describe('observable network', () => {
  it('eluAlpha matches its definition and alpha = 1 is tf.elu', () => {
    const z = tf.tensor1d([-3, -0.5, 0, 0.7, 2]);
    const v = eluAlpha(z, 2).dataSync();
    [-3, -0.5, 0, 0.7, 2].forEach((x, i) => expect(v[i]).toBeCloseTo(x > 0 ? x : 2 * (Math.exp(x) - 1), 6));
    z.dispose();
  });

  for (const alpha of [1, 2]) {
    it(`has an explicit input gradient equal to tf.grad (alpha ${alpha})`, () => {
      const w = randomWeights([4, 16, 16, 1], 3);
      const y = tf.randomNormal([20, 4], 0, 1, 'float32', 9) as tf.Tensor2D;
      const manual = networkInputGradient(w, y, alpha).dataSync();
      const auto = tf
        .grad((t: tf.Tensor) => tf.sum(networkValue(w, t as tf.Tensor2D, alpha)))(y)
        .dataSync();
      manual.forEach((v, i) => expect(Math.abs(v - auto[i])).toBeLessThan(1e-5));
      disposeWeights(w);
      y.dispose();
    });
  }

  it('gives the exact weight gradient of a loss that contains the input gradient (order 2 through ELU)', () => {
    // d/dθ Σ v·∇_y F: the explicit reverse pass vs nested tf.grad (which needs the order-safe Elu gradient).
    const w = randomWeights([2, 8, 8, 1], 5);
    const y = tf.randomNormal([6, 2], 0, 1, 'float32', 2) as tf.Tensor2D;
    const v = tf.randomNormal([6, 2], 0, 1, 'float32', 4);
    const w0 = w.layers[0].w;
    const lossManual = (t: tf.Tensor) =>
      tf.sum(
        tf.mul(
          networkInputGradient(
            { ...w, layers: [{ ...w.layers[0], w: t as tf.Tensor2D }, ...w.layers.slice(1)] },
            y,
            2,
          ),
          v,
        ),
      );
    const lossNested = (t: tf.Tensor) =>
      tf.sum(
        tf.mul(
          tf.grad((yy: tf.Tensor) =>
            tf.sum(
              networkValue(
                { ...w, layers: [{ ...w.layers[0], w: t as tf.Tensor2D }, ...w.layers.slice(1)] },
                yy as tf.Tensor2D,
                2,
              ),
            ),
          )(y),
          v,
        ),
      );
    const a = tf.grad(lossManual)(w0).dataSync();
    const b = tf.grad(lossNested)(w0).dataSync();
    // and against central finite differences of the loss, in float32 (h = 1e-2, the loss is smooth)
    const h = 1e-2;
    const fd = Array.from(w0.dataSync(), (_, i) => {
      const e = tf.oneHot(tf.tensor1d([i], 'int32'), w0.size).reshape(w0.shape);
      const up = lossManual(tf.add(w0, tf.mul(e, h))).dataSync()[0];
      const dn = lossManual(tf.sub(w0, tf.mul(e, h))).dataSync()[0];
      return (up - dn) / (2 * h);
    });
    a.forEach((x, i) => {
      expect(Math.abs(x - b[i])).toBeLessThan(1e-4 * (1 + Math.abs(b[i])));
      expect(Math.abs(x - fd[i])).toBeLessThan(2e-2 * (1 + Math.abs(x)));
    });
    disposeWeights(w);
    tf.dispose([y, v]);
  });
});

describe('conserved quantities and flows', () => {
  it('builds G = [[J A, J b], [0, 0]] with A = W + Wᵀ, matching a float64 construction', () => {
    const W = tf.randomNormal([3, 4, 4], 0, 1, 'float32', 1) as tf.Tensor3D;
    const b = tf.randomNormal([3, 4], 0, 1, 'float32', 2) as tf.Tensor2D;
    const G = quadraticGenerators(W, b).arraySync();
    const w = W.arraySync();
    const bb = b.arraySync();
    for (let k = 0; k < 3; k++) {
      const A = Array.from(
        { length: 16 },
        (_, t) => w[k][Math.floor(t / 4)][t % 4] + w[k][t % 4][Math.floor(t / 4)],
      );
      const ref = generatorOf(A, bb[k], 4);
      G[k].flat().forEach((g, i) => expect(g).toBeCloseTo(ref[i], 5));
    }
    tf.dispose([W, b]);
  });

  it('oracle generators of u(2) Poisson-commute with H = |x|²/2 (their matrices commute with J)', () => {
    for (const { A } of unitaryQuadratics(2)) {
      // {C, H} = ∇Cᵀ J ∇H = xᵀ A J x = 0 for all x  <=>  A J is antisymmetric.
      const dim = 4;
      const n = 2;
      for (let i = 0; i < dim; i++)
        for (let j = 0; j < dim; j++) {
          // (A J)_{ij} = Σ_l A_il J_lj, J_{l, n+l} = 1, J_{n+l, l} = -1
          const aj = (r: number, c: number) => (c >= n ? A[r * dim + (c - n)] : -A[r * dim + (c + n)]);
          expect(Math.abs(aj(i, j) + aj(j, i))).toBe(0);
        }
    }
  });

  it('flows of u(2) generators preserve the energy and are symplectic, to float32 round-off', () => {
    const gens = unitaryGenerators(2);
    const G = tf.tensor3d(Float32Array.from(gens.flatMap((g) => Array.from(g))), [4, 5, 5]);
    const eps = tf.randomUniform([8, 4], -1, 1, 'float32', 3) as tf.Tensor2D;
    const flows = sampleFlows(G, eps, Math.PI);
    const x = tf.randomNormal([10, 4], 0, 1, 'float32', 5) as tf.Tensor2D;
    const L = flows.linear.arraySync();
    const xs = x.arraySync();
    for (const Ls of L) {
      for (const xv of xs) {
        const y = Ls.map((row) => row.reduce((a, v, j) => a + v * xv[j], 0));
        const e0 = xv.reduce((a, v) => a + v * v, 0);
        const e1 = y.reduce((a, v) => a + v * v, 0);
        expect(Math.abs(e1 - e0)).toBeLessThan(3e-5 * (1 + e0));
      }
    }
    expect(Math.max(...flows.shift.dataSync().map(Math.abs))).toBe(0);
    tf.dispose([G, eps, flows.linear, flows.shift, x]);
  });

  it('Ĥ over a finite rotation group is invariant under that group to float32 round-off', () => {
    // One oscillator, S = 12 rotations by 2πk/12: Ĥ(R x) = Ĥ(x) exactly for R in the group.
    const G = tf.tensor3d(Float32Array.from(unitaryGenerators(1)[0]), [1, 3, 3]);
    const S = 12;
    const eps = tf.tensor2d(
      Array.from({ length: S }, (_, k) => (2 * k) / S),
      [S, 1],
    );
    const flows = sampleFlows(G, eps, Math.PI);
    const w = randomWeights([2, 16, 16, 1], 7);
    const x = tf.randomNormal([5, 2], 0, 1, 'float32', 1) as tf.Tensor2D;
    const a = 2 * Math.PI * (3 / S);
    const R = tf.tensor2d([Math.cos(a), -Math.sin(a), Math.sin(a), Math.cos(a)], [2, 2]);
    const h0 = symmetrisedHamiltonian({ weights: w, flows }, x).dataSync();
    const h1 = symmetrisedHamiltonian({ weights: w, flows }, tf.matMul(x, R) as tf.Tensor2D).dataSync();
    const unsym = networkValue(w, x, 1).dataSync();
    const unsymR = networkValue(w, tf.matMul(x, R) as tf.Tensor2D, 1).dataSync();
    let worst = 0;
    let plain = 0;
    h0.forEach((v, i) => {
      worst = Math.max(worst, Math.abs(v - h1[i]));
      plain = Math.max(plain, Math.abs(unsym[i] - unsymR[i]));
    });
    expect(worst).toBeLessThan(2e-6);
    expect(plain).toBeGreaterThan(1e-2); // the network alone is not invariant
    tf.dispose([G, eps, flows.linear, flows.shift, x, R]);
    disposeWeights(w);
  });

  it('symmetrisedGradient equals tf.grad of symmetrisedHamiltonian', () => {
    const G = tf.tensor3d(Float32Array.from(unitaryGenerators(2).flatMap((g) => Array.from(g))), [4, 5, 5]);
    const W = tf.randomNormal([2, 4, 4], 0, 0.3, 'float32', 1) as tf.Tensor3D;
    const b = tf.randomNormal([2, 4], 0, 0.3, 'float32', 2) as tf.Tensor2D;
    const G2 = tf.concat([G, quadraticGenerators(W, b)]) as tf.Tensor3D;
    const flows = sampleFlows(G2, tf.randomUniform([6, 6], -0.5, 0.5, 'float32', 4) as tf.Tensor2D, 1);
    const w = randomWeights([4, 16, 16, 1], 2);
    const x = tf.randomNormal([7, 4], 0, 1, 'float32', 8) as tf.Tensor2D;
    const g = symmetrisedGradient({ weights: w, flows }, x).dataSync();
    const ref = tf
      .grad((t: tf.Tensor) => tf.sum(symmetrisedHamiltonian({ weights: w, flows }, t as tf.Tensor2D)))(x)
      .dataSync();
    g.forEach((v, i) => expect(Math.abs(v - ref[i])).toBeLessThan(1e-5));
    tf.dispose([G, W, b, G2, flows.linear, flows.shift, x]);
    disposeWeights(w);
  });
});

describe('matrix-normal posterior', () => {
  it('has a closed-form KL that matches a Monte-Carlo estimate from its own samples', () => {
    const q = createMatrixNormal(3, 2, { seed: 4, std: 0.3, name: 'kltest' });
    q.rowRaw.assign(tf.tensor2d([0, 0, 0, 0.2, 0, 0, -0.1, 0.3, 0], [3, 3]));
    q.colLogDiag.assign(tf.tensor1d([-0.4, -0.9]));
    const lambda = 2.5;
    const kl = matrixNormalKl(q, lambda).dataSync()[0];
    // log q(W) - log p(W) = -½ log det Σ - ½|E|² + ½ λ |W|² - ½ d log λ  (the 2π terms cancel)
    const d = 6;
    const logDet =
      2 * 2 * Array.from(q.rowLogDiag.dataSync()).reduce((a: number, v: number) => a + v, 0) +
      2 * 3 * Array.from(q.colLogDiag.dataSync()).reduce((a: number, v: number) => a + v, 0);
    const M = q.mean.dataSync();
    const Ls = tf
      .tidy(() =>
        tf.add(
          tf.mul(q.rowRaw, tf.sub(tf.linalg.bandPart(tf.ones([3, 3]), -1, 0), tf.eye(3))),
          tf.mul(tf.eye(3), tf.exp(q.rowLogDiag)),
        ),
      )
      .arraySync() as number[][];
    const laDiag = Array.from(q.colLogDiag.dataSync(), Math.exp);
    const samples = 3000;
    let acc = 0;
    for (let s = 0; s < samples; s++) {
      const W = sampleMatrixNormal(q, 1000 + s);
      const w = W.dataSync();
      W.dispose();
      // E = Ls^{-1} (W - M) La^{-T}: La is diagonal here, Ls lower triangular (forward substitution).
      let e2 = 0;
      let w2 = 0;
      for (let c = 0; c < 2; c++) {
        const col = [0, 1, 2].map((r) => (w[r * 2 + c] - M[r * 2 + c]) / laDiag[c]);
        const e: number[] = [];
        for (let r = 0; r < 3; r++) {
          let v = col[r];
          for (let k = 0; k < r; k++) v -= Ls[r][k] * e[k];
          e.push(v / Ls[r][r]);
        }
        e2 += e.reduce((a, v) => a + v * v, 0);
      }
      for (const v of w) w2 += v * v;
      acc += -0.5 * logDet - 0.5 * e2 + 0.5 * lambda * w2 - 0.5 * d * Math.log(lambda);
    }
    const mc = acc / samples;
    expect(Math.abs(mc - kl)).toBeLessThan(0.05 * Math.max(1, Math.abs(kl)));
    // at the optimal precision the KL is smallest
    const opt = optimalPriorPrecision(q).dataSync()[0];
    const klOpt = matrixNormalKl(q).dataSync()[0];
    expect(matrixNormalKl(q, opt).dataSync()[0]).toBeCloseTo(klOpt, 4);
    expect(klOpt).toBeLessThan(matrixNormalKl(q, opt * 1.3).dataSync()[0]);
    expect(klOpt).toBeLessThan(matrixNormalKl(q, opt / 1.3).dataSync()[0]);
    tf.dispose(Object.values(q));
  });
});

describe('createRazorModel and razorLoss', () => {
  it('trains a few steps: the loss terms are finite, the gradient reaches η, and nothing leaks', () => {
    const model = createRazorModel({
      dim: 4,
      hidden: [16, 16],
      slots: 5,
      flowSamples: 4,
      substeps: 2,
      seed: 3,
      etaInitStd: 0.01,
    });
    const data = oscillatorTransitions(2, { count: 10, steps: 5, dt: 0.2, seed: 1 });
    let step = 0;
    const loss = razorLoss(model, data, { dt: 0.2, batchSize: 20, step: () => step });
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => {
      const t = loss();
      return tf.add(t.nll, t.kl) as tf.Scalar;
    }, [...model.variables]);
    const gMax = tf.tidy(() => grads[model.symmetryVariables[0].name].abs().max());
    const gEta = gMax.dataSync()[0];
    gMax.dispose();
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    expect(gEta).toBeGreaterThan(0);
    tf.dispose([value, ...Object.values(grads)]);
    step = 1;
    tf.dispose(Object.values(loss()));
    expect(tf.memory().numTensors).toBe(before);
    const G = defined(model.generators());
    expect(G.shape).toEqual([5, 5, 5]);
    const p = model.predict(data.x, { dt: 0.2 });
    expect(p.shape).toEqual(data.x.shape);
    tf.dispose([G, p, data.x, data.y]);
    model.dispose();
  });

  it('vanilla and oracle variants build, and the oracle uses the given generators', () => {
    const vanilla = createRazorModel({ dim: 2, variant: 'vanilla', hidden: [8] });
    expect(vanilla.generators()).toBeNull();
    expect(vanilla.symmetryVariables).toHaveLength(0);
    const oracle = createRazorModel({
      dim: 2,
      variant: 'oracle',
      hidden: [8],
      oracleGenerators: unitaryGenerators(1),
    });
    const G = defined(oracle.generators());
    expect(Array.from(G.dataSync())).toEqual(Array.from(unitaryGenerators(1)[0]));
    G.dispose();
    vanilla.dispose();
    oracle.dispose();
  });

  it('creating and disposing a model of every variant and posterior leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    for (const posterior of ['matrix-normal', 'map'] as const) {
      createRazorModel({ dim: 2, hidden: [8, 8], posterior, etaInitStd: 0.01 }).dispose();
      createRazorModel({ dim: 2, hidden: [8], posterior, variant: 'vanilla' }).dispose();
      createRazorModel({
        dim: 2,
        hidden: [8],
        posterior,
        variant: 'oracle',
        oracleGenerators: unitaryGenerators(1),
      }).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad options and data with errors naming the argument', () => {
    expect(() => createRazorModel({ dim: 3 })).toThrow(
      /createRazorModel\(\): argument 'options.dim' must be an even phase-space dimension, got 3/,
    );
    expect(() => createRazorModel({ dim: 2, variant: 'oracle' })).toThrow(RazorError);
    expect(() => createRazorModel({ dim: 2, flowSamples: 0 })).toThrow(/options.flowSamples/);
    const model = createRazorModel({ dim: 2, hidden: [4] });
    const x = tf.zeros([3, 2]) as tf.Tensor2D;
    const y = tf.zeros([3, 4]) as tf.Tensor2D;
    expect(() => razorLoss(model, { x, y }, { dt: 0.1, step: () => 0 })).toThrow(/SHAPE|shape/);
    expect(() => razorLoss(model, { x, y: x }, { dt: NaN, batchSize: 2, step: () => 0 })).toThrow(
      /options.dt' must be a finite positive number, got NaN/,
    );
    tf.dispose([x, y]);
    model.dispose();
  });
});
