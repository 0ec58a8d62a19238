import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  chainLoss,
  chargeResidual,
  classificationData,
  createChargeMonitor,
  defineDenseChain,
  evaluateCharges,
  expectedCharges,
  initWeights64,
  lossAndGrad64,
  noetherCharges,
  regressionData,
  toTensors,
  type Weights64,
} from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const relu = defineDenseChain({
  inputDim: 3,
  layers: [{ units: 6, activation: 'relu' }, { units: 5, activation: 'relu' }, { units: 2 }],
});

function gdRun64(
  set: ReturnType<typeof noetherCharges>,
  w0: Weights64,
  opts: {
    lr: number;
    weightDecay: number;
    steps: number;
    loss?: 'mse' | 'cross-entropy';
    data: ReturnType<typeof regressionData>;
  },
) {
  let w = w0.map((a) => a.slice());
  let worst = 0;
  let values = evaluateCharges(set, w);
  for (let k = 0; k < opts.steps; k++) {
    const { grads } = lossAndGrad64(set.chain, w, { ...opts.data, loss: opts.loss });
    const expected = expectedCharges(values, grads, opts);
    const s = 1 - opts.lr * opts.weightDecay;
    w = w.map((a, i) => a.map((v, j) => s * v - opts.lr * grads[i][j]));
    values = evaluateCharges(set, w);
    worst = Math.max(worst, chargeResidual(values, expected));
  }
  return { worst, w };
}

describe('noetherCharges', () => {
  it('finds per-neuron rescaling charges for ReLU, GL for linear, translation for softmax, and discrete symmetries only for tanh', () => {
    const set = noetherCharges(relu);
    expect(set.charges.map((c) => c.name)).toEqual(['rescaling(dense_0)', 'rescaling(dense_1)']);
    expect(set.charges[0].shape).toEqual([6]);
    const lin = noetherCharges(
      defineDenseChain({ inputDim: 2, layers: [{ units: 3 }, { units: 4, activation: 'softmax' }] }),
    );
    expect(lin.charges.map((c) => c.group)).toEqual(['general-linear', 'softmax-translation']);
    expect(lin.charges[0].shape).toEqual([3, 3]);
    const tanh = noetherCharges(
      defineDenseChain({ inputDim: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1 }] }),
    );
    expect(tanh.charges).toHaveLength(0);
    expect(tanh.discrete.map((d) => d.kind)).toEqual(['permutation', 'sign-flip']);
    const softplus = noetherCharges(
      defineDenseChain({ inputDim: 2, layers: [{ units: 4, activation: 'softplus' }, { units: 1 }] }),
    );
    expect(softplus.discrete.map((d) => d.kind)).toEqual(['permutation']);
    const hnn = noetherCharges(
      defineDenseChain({ inputDim: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1 }] }),
      { hamiltonian: true },
    );
    expect(hnn.charges.map((c) => c.group)).toEqual(['gradient-free-bias']);
  });

  it('reads the structure of a tfjs model, including LeakyReLU and normalisation layers', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [3], units: 4 }),
        tf.layers.leakyReLU({ alpha: 0.1 }),
        tf.layers.dense({ units: 5 }),
        tf.layers.layerNormalization(),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    const before = tf.memory().numTensors;
    const set = noetherCharges(model);
    expect(tf.memory().numTensors).toBe(before);
    expect(set.charges.map((c) => c.group)).toEqual([
      'positive-rescaling',
      'normalization-scale',
      'softmax-translation',
    ]);
    expect(set.chain.shapes.length).toBe(model.getWeights().length);
    model.getWeights().forEach((w, i) => expect(w.shape).toEqual(set.chain.shapes[i]));
    model.dispose();
  });

  it('every charge is orthogonal to the gradient (d/dt Q = 0 along gradient flow), checked in float64', () => {
    const chains = [
      relu,
      defineDenseChain({ inputDim: 2, layers: [{ units: 3 }, { units: 4 }, { units: 2 }] }),
      defineDenseChain({
        inputDim: 3,
        layers: [{ units: 5, activation: { kind: 'homogeneous', degree: 2 } }, { units: 2 }],
      }),
      defineDenseChain({
        inputDim: 3,
        layers: [{ units: 5, activation: { kind: 'leakyRelu', alpha: 0.1 } }, { units: 2 }],
      }),
    ];
    for (const chain of chains) {
      const set = noetherCharges(chain);
      const data = regressionData(40, { input: chain.layers[0].inputDim, output: 2, seed: 3 });
      const w = initWeights64(chain, { seed: 7 });
      const { grads } = lossAndGrad64(chain, w, data);
      // d/deps Q(w - eps g) at 0 by central differences must vanish relative to |g| |w|.
      const eps = 1e-6;
      const plus = evaluateCharges(
        set,
        w.map((a, i) => a.map((v, j) => v - eps * grads[i][j])),
      );
      const minus = evaluateCharges(
        set,
        w.map((a, i) => a.map((v, j) => v + eps * grads[i][j])),
      );
      plus.forEach((p, c) =>
        p.value.forEach((v, k) =>
          expect(Math.abs(v - minus[c].value[k]) / (2 * eps) / p.mass[k]).toBeLessThan(1e-7),
        ),
      );
    }
  });

  it('the exact discrete law of GD holds to 1e-12 relative in float64 over 2000 steps (with weight decay)', () => {
    const set = noetherCharges(relu);
    const data = regressionData(32, { input: 3, output: 2, seed: 1 });
    const { worst } = gdRun64(set, initWeights64(relu, { seed: 2 }), {
      lr: 0.05,
      weightDecay: 1e-3,
      steps: 2000,
      data,
    });
    expect(worst).toBeLessThan(1e-12);
  });

  it('the discrete law holds for GL charges of a deep linear net and the softmax translation charges', () => {
    const chain = defineDenseChain({
      inputDim: 3,
      layers: [{ units: 4 }, { units: 3 }, { units: 3, activation: 'softmax' }],
    });
    const set = noetherCharges(chain);
    const data = classificationData(30, { input: 3, classes: 3, seed: 4 });
    const { worst } = gdRun64(set, initWeights64(chain, { seed: 5 }), {
      lr: 0.1,
      weightDecay: 1e-2,
      steps: 300,
      data,
      loss: 'cross-entropy',
    });
    expect(worst).toBeLessThan(1e-12);
  });

  it('the law fails when the gradient is not the one used (the oracle can fail)', () => {
    const set = noetherCharges(relu);
    const data = regressionData(32, { input: 3, output: 2, seed: 1 });
    const w = initWeights64(relu, { seed: 2 });
    const { grads } = lossAndGrad64(relu, w, data);
    const expected = expectedCharges(evaluateCharges(set, w), grads, { lr: 0.05 });
    const wrong = w.map((a, i) => a.map((v, j) => v - 0.05 * grads[i][j] * (1 + 0.01 * Math.sin(j))));
    expect(chargeResidual(evaluateCharges(set, wrong), expected)).toBeGreaterThan(1e-6);
  });

  it('float32 GD on tensors follows the discrete law to 1e-6 relative over 2000 steps, and the monitor stays silent', () => {
    const set = noetherCharges(relu);
    const data = regressionData(32, { input: 3, output: 2, seed: 1 });
    const x = tf.tensor2d(Float32Array.from(data.x), [32, 3]);
    const y = tf.tensor2d(Float32Array.from(data.y), [32, 2]);
    const vars = toTensors(relu, initWeights64(relu, { seed: 2 })).map((t) => tf.variable(t));
    const lr = 0.05;
    const warnings: string[] = [];
    const monitor = createChargeMonitor(set, { lr, onWarning: (w) => warnings.push(w.message) });
    let state = monitor.init(vars);
    const before = tf.memory().numTensors;
    for (let k = 0; k < 2000; k++) {
      const { value, grads } = tf.variableGrads(() => chainLoss(relu, vars, { x, y }), vars);
      value.dispose();
      const g = vars.map((v) => grads[v.name]);
      tf.tidy(() => vars.forEach((v, i) => v.assign(tf.sub(v, tf.mul(lr, g[i])))));
      state = monitor.step(state, g, vars);
      tf.dispose(g);
    }
    expect(tf.memory().numTensors).toBe(before);
    console.log('float32 discrete-law residual', Math.max(...state.maxResiduals));
    expect(Math.max(...state.maxResiduals)).toBeLessThan(1e-6);
    expect(warnings).toHaveLength(0);
    tf.dispose([x, y, ...vars]);
  });

  it('the monitor warns, with the size of the break, when momentum or Adam breaks conservation', () => {
    const set = noetherCharges(relu);
    const data = regressionData(32, { input: 3, output: 2, seed: 1 });
    const x = tf.tensor2d(Float32Array.from(data.x), [32, 3]);
    const y = tf.tensor2d(Float32Array.from(data.y), [32, 2]);
    const lr = 0.01;
    for (const optimizer of [tf.train.momentum(lr, 0.9), tf.train.adam(lr)]) {
      const vars = toTensors(relu, initWeights64(relu, { seed: 2 })).map((t) => tf.variable(t));
      const warnings: { size: number; charge: string; message: string }[] = [];
      const monitor = createChargeMonitor(set, { lr, onWarning: (w) => warnings.push(w) });
      let state = monitor.init(vars);
      for (let k = 0; k < 20; k++) {
        const { value, grads } = tf.variableGrads(() => chainLoss(relu, vars, { x, y }), vars);
        value.dispose();
        const g = vars.map((v) => grads[v.name]);
        optimizer.applyGradients(grads as Parameters<typeof optimizer.applyGradients>[0]);
        state = monitor.step(state, g, vars);
        tf.dispose(g);
      }
      expect(warnings.length).toBeGreaterThan(0);
      expect(warnings[0].size).toBeGreaterThan(1e-4);
      expect(warnings[0].message).toMatch(
        /the optimiser breaks rescaling\(dense_\d\) by \d\.\d+e-?\d+ relative/,
      );
      optimizer.dispose();
      tf.dispose(vars);
    }
    tf.dispose([x, y]);
  });

  it('charge tensors match the float64 charges and do not leak', () => {
    const set = noetherCharges(
      defineDenseChain({
        inputDim: 3,
        layers: [{ units: 4 }, { units: 3, activation: 'relu' }, { units: 3, activation: 'softmax' }],
      }),
    );
    const w = initWeights64(set.chain, { seed: 9 });
    const t = toTensors(set.chain, w);
    const before = tf.memory().numTensors;
    for (const c of set.charges) {
      const q = c.evaluate(t);
      const ref = c.evaluate64(w);
      const got = q.dataSync();
      expect(q.shape).toEqual(c.shape);
      ref.forEach((v, i) => expect(Math.abs(got[i] - v)).toBeLessThan(1e-5 * (1 + Math.abs(v))));
      q.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(t);
  });

  it("an HNN's output bias has an identically zero gradient, so its charge is kept by any optimiser", () => {
    const chain = defineDenseChain({ inputDim: 2, layers: [{ units: 5, activation: 'tanh' }, { units: 1 }] });
    const set = noetherCharges(chain, { hamiltonian: true });
    const w = toTensors(chain, initWeights64(chain, { seed: 3 }));
    const x = tf.tensor2d([0.1, 0.2, -0.3, 0.5, 1, -1], [3, 2]);
    const target = tf.tensor2d([1, 0, 0, 1, 0.5, 0.5], [3, 2]);
    const lossOf = (b: tf.Tensor) =>
      tf.tidy(() => {
        const H = (xi: tf.Tensor) =>
          tf.sum(
            tf.add(
              tf.matMul(
                tf.tanh(tf.add(tf.matMul(xi as tf.Tensor2D, w[0] as tf.Tensor2D), w[1])),
                w[2] as tf.Tensor2D,
              ),
              b,
            ),
          );
        const dHdx = tf.grad(H)(x);
        return tf.mean(tf.square(tf.sub(dHdx, target))) as tf.Scalar;
      });
    // The loss does not depend on the output bias at all (tfjs even refuses the gradient as disconnected) ...
    expect(() => tf.grad(lossOf)(w[3])).toThrow(/Cannot compute gradient/);
    const shifted = tf.add(w[3], 5);
    const [l0, l1] = [lossOf(w[3]), lossOf(shifted)];
    expect(l1.dataSync()[0]).toBe(l0.dataSync()[0]);
    // ... and the charge is the bias itself.
    expect(
      set.charges[0].evaluate64([0, 1, 2, 3].map((k) => Float64Array.from(w[k].dataSync())))[0],
    ).toBeCloseTo(w[3].dataSync()[0], 7);
    tf.dispose([...w, x, target, shifted, l0, l1]);
  });

  it('rejects a bad learning rate with a message naming the function and argument', () => {
    const set = noetherCharges(relu);
    const w = initWeights64(relu, { seed: 2 });
    expect(() => expectedCharges(evaluateCharges(set, w), w, { lr: NaN })).toThrow(
      /expectedCharges\(\): argument 'lr' must be a finite number > 0, got NaN/,
    );
  });
});
