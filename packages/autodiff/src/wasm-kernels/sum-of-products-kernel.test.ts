import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hvp, partials } from '../index';
import { fastPaths } from '../fast-paths';
import { sumsOfProducts } from './sum-of-products-kernel';

/** Σ_t c_t Π factors in float64, from the tensors' values. */
function reference(terms: { c: number; factors: tf.Tensor[] }[]): Float64Array {
  const n = terms[0].factors[0].size;
  const out = new Float64Array(n);
  for (const { c, factors } of terms) {
    const values = factors.map((f) => f.dataSync());
    for (let i = 0; i < n; i++) out[i] += values.reduce((p, v) => p * v[i], c);
  }
  return out;
}

function maxRelDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => {
    const scale = Math.max(tf.max(tf.abs(b)).dataSync()[0], 1e-6);
    return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / scale;
  });
}

describe('sumsOfProducts (one SIMD pass on wasm)', () => {
  beforeAll(async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
  });
  afterAll(async () => {
    fastPaths.fusedRowSums = true;
    await tf.setBackend('cpu');
  });

  it('equals the float64 sum to float32 rounding, repeated factors and a tail of 1..7 elements included', () => {
    for (const n of [1, 7, 8, 13, 1003]) {
      const [a, b, c] = [1, 2, 3].map((s) => tf.randomNormal([n], 0, 1, 'float32', 40 + s));
      const terms = [
        { c: 1, factors: [a] },
        { c: -0.5, factors: [a, b, c] },
        { c: 2.25, factors: [c, c] },
        { c: 1 / 6, factors: [b, a, b, c, a] },
      ];
      const sums = [terms, terms.slice(1, 3), [{ c: 3, factors: [b] }]];
      const ys = sumsOfProducts(sums);
      expect(ys?.length).toBe(3);
      sums.forEach((s, o) => {
        const got = ys?.[o].dataSync() ?? new Float32Array();
        const want = reference(s);
        const scale = Math.max(...want.map(Math.abs));
        for (let i = 0; i < n; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(4e-7 * scale * 8);
      });
      tf.dispose([a, b, c, ...(ys ?? [])]);
    }
  });

  it('declines (undefined) what it cannot do: mixed shapes, int32, an empty sum, another backend', async () => {
    const a = tf.ones([4]);
    const s = tf.scalar(2);
    const k = tf.ones([4], 'int32');
    expect(sumsOfProducts([[{ c: 1, factors: [a, s] }]])).toBeUndefined();
    expect(sumsOfProducts([[{ c: 1, factors: [k] }]])).toBeUndefined();
    expect(sumsOfProducts([])).toBeUndefined();
    expect(sumsOfProducts([[]])).toBeUndefined();
    await tf.setBackend('cpu');
    const b = tf.ones([4]);
    expect(sumsOfProducts([[{ c: 1, factors: [b] }]])).toBeUndefined();
    await tf.setBackend('wasm');
    tf.dispose([a, s, k, b]);
  });

  it('row-layout Taylor nodes: order-4 jets, weight gradients and weight HVPs equal the tf path, no leak', () => {
    const W = tf.variable(tf.randomNormal([3, 6], 0, 0.8, 'float32', 51));
    const bias = tf.variable(tf.randomNormal([6], 0, 0.3, 'float32', 52));
    const V = tf.variable(tf.randomNormal([6, 1], 0, 0.5, 'float32', 53));
    const x = tf.randomNormal([37, 3], 0, 1, 'float32', 54);
    const acts: ((z: tf.Tensor) => tf.Tensor)[] = [
      (z) => tf.tanh(z),
      (z) => tf.sin(z),
      (z) => tf.exp(tf.mul(z, 0.5)),
      (z) => tf.square(z),
      (z) => tf.reciprocal(tf.add(tf.square(z), 1)),
    ];
    const before = tf.memory().numTensors;
    for (const act of acts) {
      const net = (z: tf.Tensor) => tf.matMul(act(tf.add(tf.matMul(z, W), bias)), V);
      const requests = [{ partial: [0, 0, 0, 0] }, { partial: [1, 1] }, { partial: [2] }];
      const run = () =>
        tf.variableGrads(() => {
          const { derivatives } = partials(net, x, { requests, batched: true });
          return tf.addN(derivatives.map((d) => tf.sum(tf.square(d)))) as tf.Scalar;
        }, [W, bias, V]);
      fastPaths.fusedRowSums = true;
      const fused = run();
      fastPaths.fusedRowSums = false;
      const plain = run();
      fastPaths.fusedRowSums = true;
      expect(Math.abs(fused.value.dataSync()[0] - plain.value.dataSync()[0])).toBeLessThan(
        1e-5 * Math.abs(plain.value.dataSync()[0]),
      );
      for (const name of [W.name, bias.name, V.name]) {
        expect(maxRelDiff(fused.grads[name], plain.grads[name])).toBeLessThan(1e-4);
      }
      tf.dispose([fused.value, plain.value, ...Object.values(fused.grads), ...Object.values(plain.grads)]);
    }
    // second order in the weights: the node's recorded backward takes the tf path, its forward the fused one
    const theta = tf.randomNormal([3 * 6], 0, 0.6, 'float32', 55);
    const v = tf.randomNormal([3 * 6], 0, 1, 'float32', 56);
    const loss = (t: tf.Tensor) => {
      const u = (z: tf.Tensor) => tf.sum(tf.tanh(tf.matMul(z, tf.reshape(t, [3, 6]))), 1, true);
      const { derivatives } = partials(u, x, { requests: [{ partial: [0, 0, 0] }], batched: true });
      return tf.mean(tf.square(derivatives[0])) as tf.Scalar;
    };
    fastPaths.fusedRowSums = true;
    const fused = hvp(loss, theta, v);
    fastPaths.fusedRowSums = false;
    const plain = hvp(loss, theta, v);
    fastPaths.fusedRowSums = true;
    expect(maxRelDiff(fused.hvp, plain.hvp)).toBeLessThan(1e-4);
    tf.dispose([fused.value, fused.hvp, plain.value, plain.hvp, theta, v]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([W, bias, V, x]);
  });
});
