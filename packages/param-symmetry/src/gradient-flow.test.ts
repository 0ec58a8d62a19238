import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  defineDenseChain,
  gradientFlow,
  initWeights64,
  noetherCharges,
  regressionData,
  sharpness,
  toTensors,
} from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// A linear layer (GL(6) charge) then an alpha = 2 homogeneous layer (rescaling charge with alpha = 2):
// a C^1 network, so the implicit solves converge (see the README on ReLU kinks).
const chain = defineDenseChain({
  inputDim: 2,
  layers: [{ units: 6 }, { units: 4, activation: { kind: 'homogeneous', degree: 2 } }, { units: 1 }],
});
const set = noetherCharges(chain);
const data = regressionData(32, { input: 2, output: 1, seed: 1 });
const w0 = initWeights64(chain, { seed: 3 });

describe('gradientFlow', () => {
  it('implicit midpoint and Gauss–Legendre keep every quadratic charge to 1e-13 in float64; RK4 and Euler drift', () => {
    const im = gradientFlow(set, w0, { data, method: 'implicitMidpoint', dt: 0.02, steps: 300 });
    const gl = gradientFlow(set, w0, { data, method: 'gaussLegendre4', dt: 0.02, steps: 300 });
    const rk = gradientFlow(set, w0, { data, method: 'rk4', dt: 0.02, steps: 300 });
    const eu = gradientFlow(set, w0, { data, method: 'euler', dt: 0.02, steps: 300 });
    expect(im.status).toBe('ok');
    expect(gl.status).toBe('ok');
    expect(im.losses[im.losses.length - 1]).toBeLessThan(0.5 * im.losses[0]);
    expect(im.chargeDrift).toBeLessThan(1e-13);
    expect(gl.chargeDrift).toBeLessThan(1e-13);
    expect(rk.chargeDrift).toBeGreaterThan(1e3 * im.chargeDrift);
    expect(eu.chargeDrift).toBeGreaterThan(rk.chargeDrift);
    // They integrate the same flow: the losses agree to the methods' accuracy.
    const [lg, lr] = [gl.losses[gl.losses.length - 1], rk.losses[rk.losses.length - 1]];
    expect(Math.abs(lg - lr) / lr).toBeLessThan(1e-2);
  });

  it('float32 tensors: implicit midpoint drifts below 1e-5 relative, RK4 as in float64 (100x more); no leaks', () => {
    // dt = 0.05 puts RK4's truncation drift (~1e-4) well above float32 round-off.
    const x = tf.tensor2d(Float32Array.from(data.x), [32, 2]);
    const y = tf.tensor2d(Float32Array.from(data.y), [32, 1]);
    const wt = toTensors(chain, w0);
    const before = tf.memory().numTensors;
    const im = gradientFlow(set, wt, { data: { x, y }, method: 'implicitMidpoint', dt: 0.05, steps: 60 });
    const rk = gradientFlow(set, wt, { data: { x, y }, method: 'rk4', dt: 0.05, steps: 60 });
    const rk64 = gradientFlow(set, w0, { data, method: 'rk4', dt: 0.05, steps: 60 });
    expect(im.status).toBe('ok');
    expect(im.chargeDrift).toBeLessThan(1e-5);
    expect(rk.chargeDrift).toBeGreaterThan(100 * im.chargeDrift);
    expect(Math.abs(rk.chargeDrift - rk64.chargeDrift)).toBeLessThan(0.05 * rk64.chargeDrift);
    tf.dispose([...im.weights, ...rk.weights]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y, ...wt]);
  });

  it('reports a failed implicit solve as a status (and throws only on request)', () => {
    const big = gradientFlow(set, w0, { data, method: 'implicitMidpoint', dt: 5, steps: 10 });
    expect(big.status).toBe('not-converged');
    expect(() =>
      gradientFlow(set, w0, {
        data: data,
        method: 'implicitMidpoint',
        dt: 5,
        steps: 10,
        throwOnFailure: true,
      }),
    ).toThrow(/gradientFlow\(\): the flow stopped/);
    const stopped = gradientFlow(set, w0, {
      data: data,
      dt: 0.02,
      steps: 100,
      sampleEvery: 10,
      onProgress: (i) => i.step < 30,
    });
    expect(stopped.status).toBe('stopped');
    expect(stopped.steps).toBe(30);
    expect(() => gradientFlow(set, w0, { data, dt: NaN, steps: 10 })).toThrow(
      /gradientFlow\(\): argument 'dt' must be a finite number > 0, got NaN/,
    );
  });

  it('the charge fixes the sharpness of the minimum reached: lambda_max = sqrt(Q0^2 + 4 y^2) for L = (uv - y)^2 / 2', () => {
    const scalar = defineDenseChain({
      inputDim: 1,
      layers: [
        { units: 1, useBias: false },
        { units: 1, useBias: false },
      ],
    });
    const sset = noetherCharges(scalar);
    for (const [u0, v0, yv] of [
      [0.3, 0.1, 1],
      [2, 0.2, 0.5],
      [0.1, 1.5, 2],
    ]) {
      const d = { x: Float64Array.of(1), y: Float64Array.of(yv), n: 1 };
      const r = gradientFlow(sset, [Float64Array.of(u0), Float64Array.of(v0)], {
        data: d,
        dt: 0.01,
        steps: 6000,
      });
      expect(r.status).toBe('ok');
      const q0 = u0 * u0 - v0 * v0;
      const oracle = Math.sqrt(q0 * q0 + 4 * yv * yv);
      const s = sharpness(scalar, r.weights, d);
      expect(Math.abs(s.value - oracle) / oracle).toBeLessThan(1e-3);
    }
  });
});
