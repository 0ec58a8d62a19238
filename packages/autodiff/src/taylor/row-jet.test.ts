import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { forwardLaplacian, hvp, partials } from '../index';
import { rowJets } from './row-jet';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(() => {
  rowJets.enabled = true;
});

/** Runs `f` with the row layout on and off (list layout: per-coefficient rules, kernel-by-kernel gradients). */
function bothLayouts<T>(f: () => T): { rows: T; list: T } {
  rowJets.enabled = true;
  const rows = f();
  rowJets.enabled = false;
  const list = f();
  rowJets.enabled = true;
  return { rows, list };
}

function maxRelDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => {
    const scale = Math.max(tf.max(tf.abs(b)).dataSync()[0], 1e-6);
    return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / scale;
  });
}

// every elementwise kernel whose Taylor rule runs as one custom-gradient node in the row layout, on inputs in
// its domain
const UNARY: [string, (z: tf.Tensor) => tf.Tensor][] = [
  ['Tanh', (z) => tf.tanh(z)],
  ['Sigmoid', (z) => tf.sigmoid(z)],
  ['Sin', (z) => tf.sin(z)],
  ['Cos', (z) => tf.cos(z)],
  ['Exp', (z) => tf.exp(tf.mul(z, 0.5))],
  ['Log', (z) => tf.log(tf.add(tf.square(z), 1))],
  ['Softplus', (z) => tf.softplus(z)],
  ['Elu', (z) => tf.elu(z)],
  ['Relu', (z) => tf.relu(z)],
  ['Square', (z) => tf.square(z)],
  ['Sqrt', (z) => tf.sqrt(tf.add(tf.square(z), 1))],
  ['Rsqrt', (z) => tf.rsqrt(tf.add(tf.square(z), 1))],
  ['Reciprocal', (z) => tf.reciprocal(tf.add(tf.square(z), 1))],
];

describe('row layout (one tape node per elementwise kernel)', () => {
  const W = tf.variable(tf.randomNormal([3, 6], 0, 0.8, 'float32', 11));
  const b = tf.variable(tf.randomNormal([6], 0, 0.3, 'float32', 12));
  const V = tf.variable(tf.randomNormal([6, 1], 0, 0.5, 'float32', 13));
  const x = tf.randomNormal([8, 3], 0, 1, 'float32', 14);

  for (const [name, act] of UNARY) {
    it(`${name}: jets to order 4 and weight gradients equal the list layout's (directions of orders 4, 2, 1)`, () => {
      const net = (z: tf.Tensor) => tf.matMul(act(tf.add(tf.matMul(z, W), b)), V);
      const requests = [{ partial: [0, 0, 0, 0] }, { partial: [1, 1] }, { partial: [2] }];
      const run = () =>
        tf.variableGrads(() => {
          const { value, derivatives } = partials(net, x, { requests, batched: true, mode: 'taylor' });
          // a loss that weighs every derivative differently, so no gradient term can cancel
          const terms = [value, ...derivatives].map((d, i) => tf.mul(tf.sum(tf.mul(d, d)), 1 / (i + 1)));
          return tf.addN(terms) as tf.Scalar;
        }, [W, b, V]);
      const { rows, list } = bothLayouts(run);
      expect(Math.abs(rows.value.dataSync()[0] - list.value.dataSync()[0])).toBeLessThan(
        2e-5 * Math.abs(list.value.dataSync()[0]),
      );
      for (const v of [W, b, V])
        expect(maxRelDiff(rows.grads[v.name], list.grads[v.name])).toBeLessThan(1e-4);
      tf.dispose([rows.value, list.value, ...Object.values(rows.grads), ...Object.values(list.grads)]);
    });
  }

  it('forward Laplacian (collapsed): value, gradient, Laplacian and weight gradients equal the list layout, no leak', () => {
    const before = tf.memory().numTensors;
    const net = (z: tf.Tensor) => tf.reshape(tf.matMul(tf.tanh(tf.add(tf.matMul(z, W), b)), V), [-1]);
    const run = () =>
      tf.variableGrads(() => {
        const { value, gradient, laplacian } = forwardLaplacian(net, x, { batched: true });
        return tf.addN([
          tf.sum(tf.square(laplacian)),
          tf.sum(tf.square(gradient)),
          tf.sum(value),
        ]) as tf.Scalar;
      }, [W, b, V]);
    const { rows, list } = bothLayouts(run);
    expect(Math.abs(rows.value.dataSync()[0] - list.value.dataSync()[0])).toBeLessThan(
      2e-5 * Math.abs(list.value.dataSync()[0]),
    );
    for (const v of [W, b, V]) expect(maxRelDiff(rows.grads[v.name], list.grads[v.name])).toBeLessThan(1e-4);
    tf.dispose([rows.value, list.value, ...Object.values(rows.grads), ...Object.values(list.grads)]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('runs a LayersModel under a gradient tape (its executor disposes consumed activations): weight gradients equal nested reverse', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          units: 8,
          inputShape: [2],
          activation: 'tanh',
          kernelInitializer: tf.initializers.glorotNormal({ seed: 41 }),
          biasInitializer: tf.initializers.randomNormal({ stddev: 0.2, seed: 42 }),
        }),
        tf.layers.dense({
          units: 8,
          activation: 'sigmoid',
          kernelInitializer: tf.initializers.glorotNormal({ seed: 43 }),
        }),
        tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotNormal({ seed: 44 }) }),
      ],
    });
    const u = (z: tf.Tensor) => model.apply(z) as tf.Tensor;
    const xt = tf.randomUniform([20, 2], -1, 1, 'float32', 45);
    const requests = [{ partial: [1] }, { partial: [0] }, { partial: [0, 0, 0] }];
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const loss = (mode: 'taylor' | 'reverse') => () => {
      const { value, derivatives } = partials(u, xt, { requests, batched: true, mode });
      const [ut, ux, uxxx] = derivatives;
      return tf.mean(tf.square(tf.add(tf.add(ut, tf.mul(value, ux)), tf.mul(0.01, uxxx)))) as tf.Scalar;
    };
    const before = tf.memory().numTensors;
    const a = tf.variableGrads(loss('taylor'), vars);
    const b = tf.variableGrads(loss('reverse'), vars);
    for (const v of vars) expect(maxRelDiff(a.grads[v.name], b.grads[v.name])).toBeLessThan(1e-3);
    tf.dispose([a.value, b.value, ...Object.values(a.grads), ...Object.values(b.grads)]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    xt.dispose();
  });

  it('on wasm too (transposes materialised there): KdV weight gradients equal the list layout', async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
    try {
      const vars = [
        tf.variable(tf.randomNormal([2, 10], 0, 0.7, 'float32', 31)),
        tf.variable(tf.randomNormal([10], 0, 0.1, 'float32', 32)),
        tf.variable(tf.randomNormal([10, 10], 0, 0.3, 'float32', 33)),
        tf.variable(tf.randomNormal([10, 1], 0, 0.3, 'float32', 34)),
      ];
      const u = (z: tf.Tensor) =>
        tf.matMul(tf.tanh(tf.matMul(tf.tanh(tf.add(tf.matMul(z, vars[0]), vars[1])), vars[2])), vars[3]);
      const xt = tf.randomUniform([30, 2], -1, 1, 'float32', 35);
      const requests = [{ partial: [1] }, { partial: [0] }, { partial: [0, 0, 0] }];
      const run = () =>
        tf.variableGrads(() => {
          const { value, derivatives } = partials(u, xt, { requests, batched: true });
          const [ut, ux, uxxx] = derivatives;
          return tf.mean(tf.square(tf.add(tf.add(ut, tf.mul(value, ux)), tf.mul(0.01, uxxx)))) as tf.Scalar;
        }, vars);
      const before = tf.memory().numTensors;
      const { rows, list } = bothLayouts(run);
      for (const v of vars) expect(maxRelDiff(rows.grads[v.name], list.grads[v.name])).toBeLessThan(1e-4);
      tf.dispose([rows.value, list.value, ...Object.values(rows.grads), ...Object.values(list.grads)]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([...vars, xt]);
    } finally {
      await tf.setBackend('cpu');
    }
  });

  it('is differentiable twice: Hessian-vector products in the weights of a KdV-type loss equal nested reverse', () => {
    // the network as a function of its flattened weights (what the PINN Hessian spectrum differentiates)
    const shapes: [number, number][] = [
      [2, 5],
      [5, 5],
      [5, 1],
    ];
    const size = shapes.reduce((s, [p, q]) => s + p * q + q, 0);
    const xt = tf.randomUniform([12, 2], -1, 1, 'float32', 21);
    const loss = (mode: 'taylor' | 'reverse') => (theta: tf.Tensor) => {
      const u = (z: tf.Tensor) => {
        let h = z;
        let at = 0;
        shapes.forEach(([p, q], l) => {
          const w = tf.reshape(tf.slice(theta, at, p * q), [p, q]);
          const bias = tf.slice(theta, at + p * q, q);
          at += p * q + q;
          h = tf.add(tf.matMul(h, w), bias);
          if (l + 1 < shapes.length) h = tf.tanh(h);
        });
        return h;
      };
      const requests = [{ partial: [1] }, { partial: [0] }, { partial: [0, 0, 0] }];
      const { value, derivatives } = partials(u, xt, { requests, batched: true, mode });
      const [ut, ux, uxxx] = derivatives;
      return tf.mean(tf.square(tf.add(tf.add(ut, tf.mul(value, ux)), tf.mul(0.01, uxxx)))) as tf.Scalar;
    };
    const theta = tf.randomNormal([size], 0, 0.6, 'float32', 22);
    const v = tf.randomNormal([size], 0, 1, 'float32', 23);
    const before = tf.memory().numTensors;
    const viaRows = hvp(loss('taylor'), theta, v);
    const viaReverse = hvp(loss('reverse'), theta, v);
    expect(maxRelDiff(viaRows.hvp, viaReverse.hvp)).toBeLessThan(1e-3);
    tf.dispose([viaRows.value, viaRows.hvp, viaReverse.value, viaReverse.hvp]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
