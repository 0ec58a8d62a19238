import { defined } from '@noether/test-utils';
import * as tf from '@tensorflow/tfjs';
import { checkGrads } from '@noether/autodiff';
import { memoryCheckpointStore } from '@noether/optim';
import { createFno1d } from '@noether/operators';
import { quadrature, productQuadrature } from '@noether/pinn-proj';
import { beforeAll, describe, expect, it } from 'vitest';
import { conservationEncoder } from './conservation-encoder';
import { conservationDecoder } from './conservation-decoder';
import { ConservationLayer } from './conservation-layer';
import { conservedRollout, withConservation } from './with-conservation';
import { trainOperator } from './train-operator';
import { EcfError } from './errors';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function values(count: number, seed: number, offset = 0.3): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - offset;
  }
  return out;
}

/** float64 Σ w u and Σ w u² of channel c of sample s in a [b, n, C] array. */
function sums(u: ArrayLike<number>, w: ArrayLike<number>, at: { s: number; c: number; C: number }) {
  const n = w.length;
  let s1 = 0;
  let s2 = 0;
  let abs = 0;
  for (let j = 0; j < n; j++) {
    const v = u[(at.s * n + j) * at.C + at.c] as number;
    s1 += (w[j] as number) * v;
    s2 += (w[j] as number) * v * v;
    abs += (w[j] as number) * Math.abs(v);
  }
  return { s1, s2, abs };
}

describe('conservationEncoder', () => {
  it('reads Σ w u and Σ w u² per sample and channel in float64 (1D and 2D layouts, per-channel invariants)', () => {
    const q = quadrature('gauss-legendre', [0, 1], 24);
    const u = values(3 * 24 * 2, 1);
    const enc = conservationEncoder({
      weights: q,
      invariants: { 0: ['linear'], 1: ['linear', 'quadratic'] },
    });
    const t = tf.tensor3d(u, [3, 24, 2]);
    const I = enc.encode(t);
    for (let s = 0; s < 3; s++) {
      const a = sums(u, q.weights, { s, c: 0, C: 2 });
      const b = sums(u, q.weights, { s, c: 1, C: 2 });
      expect(I.linear[s * 2]).toBeCloseTo(a.s1, 14);
      expect(Number.isNaN(I.quadratic[s * 2])).toBe(true);
      expect(I.linear[s * 2 + 1]).toBeCloseTo(b.s1, 14);
      expect(I.quadratic[s * 2 + 1]).toBeCloseTo(b.s2, 14);
    }
    const q2 = productQuadrature(quadrature('trapezoid', [0, 1], 6), quadrature('uniform', [0, 2], 5));
    const u2 = values(2 * 30, 2);
    const I2 = conservationEncoder({ weights: q2, invariants: ['linear'] }).encode(
      tf.tensor4d(u2, [2, 6, 5, 1]),
    );
    expect(I2.linear[1]).toBeCloseTo(sums(u2, q2.weights, { s: 1, c: 0, C: 1 }).s1, 14);
    expect(() => enc.encode(tf.zeros([1, 10, 2]))).toThrow(EcfError);
    expect(() => conservationEncoder({ weights: q, invariants: ['cubic' as never] })).toThrow(
      "conservationEncoder(): argument 'spec.invariants' must be ['linear'], ['quadratic'] or ['linear', 'quadratic']",
    );
    t.dispose();
  });
});

describe('conservationDecoder', () => {
  it('enforces linear, quadratic and joint invariants to the float32 floor on non-uniform grids', () => {
    for (const q of [quadrature('trapezoid', [0, 2], 65), quadrature('gauss-legendre', [-1, 1], 40)]) {
      const n = q.n;
      const spec = {
        weights: q,
        invariants: { 0: ['linear'], 1: ['quadratic'], 2: ['linear', 'quadratic'] },
      } as const;
      const u0 = values(4 * n * 4, 3);
      const v = values(4 * n * 4, 4, 0.6);
      const targets = conservationEncoder(spec).encode(tf.tensor3d(u0, [4, n, 4]));
      const out = conservationDecoder(spec).decode(tf.tensor3d(v, [4, n, 4]), targets);
      const o = out.dataSync();
      for (let s = 0; s < 4; s++) {
        const r0 = sums(u0, q.weights, { s, c: 0, C: 4 });
        const r1 = sums(u0, q.weights, { s, c: 1, C: 4 });
        const r2 = sums(u0, q.weights, { s, c: 2, C: 4 });
        expect(Math.abs(sums(o, q.weights, { s, c: 0, C: 4 }).s1 - r0.s1) / r0.abs).toBeLessThan(1e-6);
        expect(Math.abs(sums(o, q.weights, { s, c: 1, C: 4 }).s2 - r1.s2) / r1.s2).toBeLessThan(1e-6);
        expect(Math.abs(sums(o, q.weights, { s, c: 2, C: 4 }).s1 - r2.s1) / r2.abs).toBeLessThan(1e-6);
        expect(Math.abs(sums(o, q.weights, { s, c: 2, C: 4 }).s2 - r2.s2) / r2.s2).toBeLessThan(1e-6);
        // channel 3 is not conserved: untouched
        for (let j = 0; j < n; j++) expect(o[(s * n + j) * 4 + 3]).toBe(v[(s * n + j) * 4 + 3]);
      }
      out.dispose();
    }
  });

  it("is the paper's zero-mode replacement for uniform weights and a linear invariant (FFT route = shift route)", () => {
    const n = 128;
    const u = values(3 * n, 5);
    const v = values(3 * n, 6, 0.7);
    const weights = new Float64Array(n).fill(2 / n);
    const spec = { weights, invariants: ['linear'] } as const;
    const uT = tf.tensor3d(u, [3, n, 1]);
    const vT = tf.tensor3d(v, [3, n, 1]);
    const shift = conservationDecoder(spec).decode(vT, conservationEncoder(spec).encode(uT));
    const fftRoute = tf.tidy(() => {
      const U = tf.spectral.rfft(tf.reshape(uT, [3, n]));
      const V = tf.spectral.rfft(tf.reshape(vT, [3, n]));
      const zero = tf.concat([tf.ones([3, 1]), tf.zeros([3, n / 2])], 1);
      const keep = tf.sub(1, zero);
      const mix = (a: tf.Tensor, b: tf.Tensor) => tf.add(tf.mul(a, keep), tf.mul(b, zero));
      const W = tf.complex(mix(tf.real(V), tf.real(U)), mix(tf.imag(V), tf.imag(U)));
      return tf.spectral.irfft(W);
    });
    const a = shift.dataSync();
    const b = fftRoute.dataSync();
    let err = 0;
    for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i] - b[i]));
    expect(err).toBeLessThan(2e-6);
    tf.dispose([uT, vT, shift, fftRoute]);
  });

  it('satisfies the Pythagoras identity ‖v̄ − u‖² = ‖v − u‖² − N δ² (linear, uniform) to round-off', () => {
    const n = 256;
    const b = 5;
    // u conserves the input's mass: build the input and the true next state with equal means
    const uin = values(b * n, 7);
    const utrue = Float32Array.from(values(b * n, 8));
    for (let s = 0; s < b; s++) {
      let d = 0;
      for (let j = 0; j < n; j++) d += uin[s * n + j] - utrue[s * n + j];
      for (let j = 0; j < n; j++) utrue[s * n + j] = utrue[s * n + j] + d / n;
    }
    const v = values(b * n, 9, 0.1);
    const spec = { weights: new Float64Array(n).fill(1 / n), invariants: ['linear'] } as const;
    const out = conservationDecoder(spec)
      .decode(tf.tensor3d(v, [b, n, 1]), conservationEncoder(spec).encode(tf.tensor3d(uin, [b, n, 1])))
      .dataSync();
    for (let s = 0; s < b; s++) {
      let before = 0;
      let after = 0;
      let delta = 0;
      for (let j = 0; j < n; j++) delta += (v[s * n + j] - utrue[s * n + j]) / n;
      for (let j = 0; j < n; j++) {
        before += (v[s * n + j] - utrue[s * n + j]) ** 2;
        after += (out[s * n + j] - utrue[s * n + j]) ** 2;
      }
      expect(after).toBeLessThanOrEqual(before);
      expect(Math.abs(after - (before - n * delta * delta)) / before).toBeLessThan(2e-6);
      expect(n * delta * delta).toBeGreaterThan(0.01 * before); // the identity is tested on a visible shift
    }
  });

  it('leaks no tensors and is differentiable in the prediction (finite differences)', () => {
    const q = quadrature('trapezoid', [0, 1], 17);
    const spec = { weights: q, invariants: ['linear', 'quadratic'] } as const;
    const u = tf.tensor3d(values(2 * 17, 10), [2, 17, 1]);
    const v = tf.tensor3d(values(2 * 17, 11, 0.5), [2, 17, 1]);
    const dec = conservationDecoder(spec);
    const targets = conservationEncoder(spec).encode(u);
    const before = tf.memory().numTensors;
    dec.decode(v, targets).dispose();
    expect(tf.memory().numTensors).toBe(before);
    const w = tf.tensor3d(values(2 * 17, 12), [2, 17, 1]);
    expect(checkGrads((x) => tf.sum(tf.mul(dec.decode(x, targets), w)), v, { tol: 3e-3 }).status).toBe(
      'pass',
    );
    tf.dispose([u, v, w]);
  });
});

describe('withConservation', () => {
  it('wraps functions, NeuralOperators and LayersModels; outputs keep the shape and the input integrals', () => {
    const n = 32;
    const w = new Float64Array(n).fill(1 / n);
    const spec = { weights: w, invariants: ['linear', 'quadratic'] } as const;
    const fno = createFno1d({ inChannels: 1, modes: 6, width: 8, layers: 2, projectionWidth: 8 });
    const input = tf.input({ shape: [n, 1] });
    const conv = tf.layers.conv1d({ filters: 1, kernelSize: 3, padding: 'same', kernelInitializer: 'ones' });
    const model = tf.model({ inputs: input, outputs: conv.apply(input) as tf.SymbolicTensor });
    const x = tf.tensor3d(values(3 * n, 13), [3, n, 1]);
    const ref = conservationEncoder(spec).encode(x);
    for (const op of [(u: tf.Tensor) => tf.mul(u, 2), fno, model]) {
      const wrapped = withConservation(op, spec);
      wrapped(x).dispose(); // the FNO caches its DFT tables on the first call
      const before = tf.memory().numTensors;
      const y = wrapped(x);
      expect(tf.memory().numTensors).toBe(before + 1);
      expect(y.shape).toEqual([3, n, 1]);
      const got = wrapped.encode(y);
      for (let s = 0; s < 3; s++) {
        expect(Math.abs(got.linear[s] - ref.linear[s])).toBeLessThan(
          1e-6 * Math.abs(ref.quadratic[s] ** 0.5),
        );
        expect(Math.abs(got.quadratic[s] - ref.quadratic[s]) / ref.quadratic[s]).toBeLessThan(1e-6);
      }
      y.dispose();
    }
    expect(() => withConservation(42 as never, spec)).toThrow(/argument 'operator'/);
    tf.dispose([x]);
    fno.dispose();
    model.dispose();
  });

  it('rollouts with targets from the initial condition keep the integrals at the float32 floor with no growth', () => {
    const n = 64;
    const q = quadrature('trapezoid', [0, 1], n);
    const spec = { weights: q, invariants: ['linear', 'quadratic'] } as const;
    // a lossy, biased step: damping plus a drift; the plain rollout loses both integrals quickly
    const step = (u: tf.Tensor) => tf.add(tf.mul(u, 0.97), 0.01);
    const u0 = tf.tensor3d(values(2 * n, 14), [2, n, 1]);
    const wrapped = withConservation(step, spec);
    const traj = conservedRollout(wrapped, u0, { steps: 100 });
    const plain = conservedRollout(withConservation(step, spec), u0, { steps: 1 });
    const t = traj.dataSync();
    const ref = wrapped.encode(u0);
    const errs: number[] = [];
    for (let k = 0; k < 100; k++) {
      const I = conservationEncoder(spec).encode64(t.subarray(k * 2 * n, (k + 1) * 2 * n), [2, n, 1]);
      for (let s = 0; s < 2; s++) {
        const a = sums(u0.dataSync(), q.weights, { s, c: 0, C: 1 }).abs;
        errs.push(
          Math.abs(I.linear[s] - ref.linear[s]) / a,
          Math.abs(I.quadratic[s] - ref.quadratic[s]) / ref.quadratic[s],
        );
      }
    }
    expect(Math.max(...errs)).toBeLessThan(1e-6);
    // no growth: the last 10 steps are no worse than the first 10
    const head = Math.max(...errs.slice(0, 40));
    const tail = Math.max(...errs.slice(-40));
    expect(tail).toBeLessThanOrEqual(Math.max(head * 4, 1e-7));
    expect(() => conservedRollout(wrapped, u0, { steps: 2, target: 'both' as never })).toThrow(EcfError);
    tf.dispose([u0, traj, plain]);
  });
});

describe('ConservationLayer', () => {
  it('is a serialisable layer: a saved and reloaded model gives the same conserving output', async () => {
    const n = 16;
    const weights = Array.from(quadrature('trapezoid', [0, 1], n).weights);
    const input = tf.input({ shape: [n, 1] });
    const backbone = tf.layers
      .dense({
        units: 1,
        kernelInitializer: tf.initializers.constant({ value: 1.5 }),
        biasInitializer: 'ones',
      })
      .apply(input) as tf.SymbolicTensor;
    const out = new ConservationLayer({ weights, invariants: ['linear'] }).apply([
      input,
      backbone,
    ]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const x = tf.tensor3d(values(2 * n, 15), [2, n, 1]);
    const y = model.predict(x) as tf.Tensor;
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        saved = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    const y2 = loaded.predict(x) as tf.Tensor;
    expect(Array.from(y2.dataSync())).toEqual(Array.from(y.dataSync()));
    const enc = conservationEncoder({ weights, invariants: ['linear'] });
    const a = enc.encode(x);
    const b = enc.encode(y);
    expect(Math.abs(a.linear[0] - b.linear[0])).toBeLessThan(1e-7);
    tf.dispose([x, y, y2]);
    model.dispose();
    loaded.dispose();
  });
});

describe('trainOperator', () => {
  it('reduces the relative L2 loss, resumes exactly from a checkpoint and stops on request', async () => {
    const n = 16;
    const x = tf.tensor3d(values(40 * n, 16), [40, n, 1]);
    const y = tf.tidy(() =>
      tf.add(
        tf.mul(x, 0.5),
        tf.concat([tf.slice(x, [0, 1, 0], [-1, -1, -1]), tf.slice(x, [0, 0, 0], [-1, 1, -1])], 1),
      ),
    );
    const make = () =>
      createFno1d({ inChannels: 1, modes: 4, width: 8, layers: 2, projectionWidth: 8, seed: 1 });
    const run = async (stops: number[]) => {
      const fno = make();
      const store = memoryCheckpointStore();
      let r;
      for (const steps of stops)
        r = await trainOperator((u) => fno.apply(u), {
          variables: fno.variables,
          inputs: x,
          targets: y,
          steps: 12,
          batchSize: 8,
          learningRate: 1e-2,
          seed: 3,
          checkpoint: { store, every: 2 },
          onProgress: (i) => (i.step === steps && steps < 12 ? false : undefined),
        });
      const w = Array.from(fno.variables[0].dataSync());
      fno.dispose();
      return { r: defined(r), w };
    };
    const straight = await run([12]);
    expect(straight.r.status).toBe('ok');
    expect(straight.r.history[11].loss).toBeLessThan(0.6 * straight.r.history[0].loss);
    const resumed = await run([5, 12]);
    expect(resumed.r.resumedFrom).toBe(5);
    // tfjs's Adam.setWeights recomputes β^t with pow instead of the running product: equal to ~1e-7
    resumed.w.forEach((v, i) => expect(Math.abs(v - straight.w[i])).toBeLessThan(1e-6));
    const fno = make();
    const stopped = await trainOperator(
      withConservation(fno, { weights: new Float64Array(n).fill(1 / n), invariants: ['linear'] }),
      {
        variables: fno.variables,
        inputs: x,
        targets: y,
        steps: 10,
        batchSize: 8,
        onProgress: (i) => i.step < 3,
      },
    );
    expect(stopped.status).toBe('stopped');
    expect(stopped.steps).toBe(3);
    fno.dispose();
    tf.dispose([x, y]);
  });
});
