import * as tf from '@tensorflow/tfjs';
import { checkGrads } from '@noether/autodiff';
import { beforeAll, describe, expect, it } from 'vitest';
import { spectralConv1d, spectralConv2d, spectralTables1d, spectralTables2d } from './spectral-conv';
import { OperatorsError } from './errors';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function values(count: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

/** Independent float64 reference: full complex DFT by definition, mode mixing, truncated irfft. */
function reference1d(
  x: Float64Array,
  dims: { b: number; n: number; cin: number; cout: number; m: number },
  wr: Float64Array,
  wi: Float64Array,
): Float64Array {
  const { b, n, cin, cout, m } = dims;
  const y = new Float64Array(b * n * cout);
  for (let s = 0; s < b; s++) {
    const Yr = new Float64Array(m * cout);
    const Yi = new Float64Array(m * cout);
    for (let k = 0; k < m; k++) {
      for (let i = 0; i < cin; i++) {
        let re = 0;
        let im = 0;
        for (let j = 0; j < n; j++) {
          const a = (-2 * Math.PI * k * j) / n;
          re += x[(s * n + j) * cin + i] * Math.cos(a);
          im += x[(s * n + j) * cin + i] * Math.sin(a);
        }
        for (let o = 0; o < cout; o++) {
          const r = wr[(k * cin + i) * cout + o];
          const q = wi[(k * cin + i) * cout + o];
          Yr[k * cout + o] += re * r - im * q;
          Yi[k * cout + o] += re * q + im * r;
        }
      }
    }
    for (let j = 0; j < n; j++)
      for (let o = 0; o < cout; o++) {
        let v = 0;
        for (let k = 0; k < m; k++) {
          const c = k === 0 || 2 * k === n ? 1 : 2;
          const a = (2 * Math.PI * k * j) / n;
          v += (c * (Yr[k * cout + o] * Math.cos(a) - Yi[k * cout + o] * Math.sin(a))) / n;
        }
        y[(s * n + j) * cout + o] = v;
      }
  }
  return y;
}

function reference2d(
  x: Float64Array,
  dims: { b: number; nx: number; ny: number; cin: number; cout: number; m1: number; m2: number },
  wr: Float64Array,
  wi: Float64Array,
): Float64Array {
  const { b, nx, ny, cin, cout, m1, m2 } = dims;
  const freqs = [...Array.from({ length: m1 }, (_, k) => k), ...Array.from({ length: m1 }, (_, k) => k - m1)];
  const K = freqs.length;
  const y = new Float64Array(b * nx * ny * cout);
  for (let s = 0; s < b; s++) {
    for (let kx = 0; kx < K; kx++)
      for (let ky = 0; ky < m2; ky++) {
        const mode = kx * m2 + ky;
        const Zr = new Float64Array(cout);
        const Zi = new Float64Array(cout);
        for (let i = 0; i < cin; i++) {
          let re = 0;
          let im = 0;
          for (let p = 0; p < nx; p++)
            for (let q = 0; q < ny; q++) {
              const a = -2 * Math.PI * ((freqs[kx] * p) / nx + (ky * q) / ny);
              const v = x[((s * nx + p) * ny + q) * cin + i];
              re += v * Math.cos(a);
              im += v * Math.sin(a);
            }
          for (let o = 0; o < cout; o++) {
            const r = wr[(mode * cin + i) * cout + o];
            const w = wi[(mode * cin + i) * cout + o];
            Zr[o] += re * r - im * w;
            Zi[o] += re * w + im * r;
          }
        }
        const c = ky === 0 || 2 * ky === ny ? 1 : 2;
        for (let p = 0; p < nx; p++)
          for (let q = 0; q < ny; q++) {
            const a = 2 * Math.PI * ((freqs[kx] * p) / nx + (ky * q) / ny);
            for (let o = 0; o < cout; o++)
              y[((s * nx + p) * ny + q) * cout + o] +=
                (c * (Zr[o] * Math.cos(a) - Zi[o] * Math.sin(a))) / (nx * ny);
          }
      }
  }
  return y;
}

function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}

describe('spectralConv1d', () => {
  it('matches a direct float64 DFT to float32 round-off, including the Nyquist mode', () => {
    for (const [n, m] of [
      [32, 8],
      [16, 9],
    ] as const) {
      const dims = { b: 2, n, cin: 3, cout: 2, m };
      const x = values(dims.b * n * dims.cin, 1);
      const wr = values(m * dims.cin * dims.cout, 2);
      const wi = values(m * dims.cin * dims.cout, 3);
      const ref = reference1d(x, dims, wr, wi);
      const tables = spectralTables1d(n, m);
      const out = tf.tidy(() =>
        spectralConv1d(
          tf.tensor3d(Float32Array.from(x), [dims.b, n, dims.cin]),
          {
            wr: tf.tensor3d(Float32Array.from(wr), [m, dims.cin, dims.cout]),
            wi: tf.tensor3d(Float32Array.from(wi), [m, dims.cin, dims.cout]),
          },
          tables,
        ),
      );
      expect(maxRel(out.dataSync(), ref)).toBeLessThan(2e-6);
      out.dispose();
      tf.dispose(Object.values(tables).filter((t) => t instanceof tf.Tensor) as tf.Tensor[]);
    }
  });

  it('has exact gradients with respect to input and weights (finite differences)', () => {
    const tables = spectralTables1d(16, 5);
    const x = tf.tensor3d(Float32Array.from(values(2 * 16 * 2, 4)), [2, 16, 2]);
    const wr = tf.tensor3d(Float32Array.from(values(5 * 2 * 3, 5)), [5, 2, 3]);
    const wi = tf.tensor3d(Float32Array.from(values(5 * 2 * 3, 6)), [5, 2, 3]);
    const byX = checkGrads((v) => spectralConv1d(v, { wr, wi }, tables), x, { order: 2, tol: 2e-3 });
    const byWr = checkGrads((v) => spectralConv1d(x, { wr: v, wi }, tables), wr, { tol: 2e-3 });
    const byWi = checkGrads((v) => tf.square(spectralConv1d(x, { wr, wi: v }, tables)), wi, {
      order: 2,
      tol: 2e-3,
    });
    expect([byX.status, byWr.status, byWi.status]).toEqual(['pass', 'pass', 'pass']);
    tf.dispose([x, wr, wi, tables.forward, tables.inverse]);
  });

  it('agrees with tf.spectral rfft/irfft on the cpu backend', () => {
    const n = 64;
    const m = 12;
    const tables = spectralTables1d(n, m);
    const x = tf.tensor3d(Float32Array.from(values(n, 7)), [1, n, 1]);
    const wr = tf.ones([m, 1, 1]);
    const wi = tf.zeros([m, 1, 1]);
    const ours = spectralConv1d(x, { wr, wi }, tables);
    const fft = tf.tidy(() => {
      const X = tf.spectral.rfft(tf.reshape(x, [1, n])); // [1, n/2 + 1] complex
      const mask = tf.complex(
        tf.tensor2d([Array.from({ length: n / 2 + 1 }, (_, k) => (k < m ? 1 : 0))]),
        tf.zeros([1, n / 2 + 1]),
      );
      return tf.spectral.irfft(tf.mul(X, mask));
    });
    expect(maxRel(ours.dataSync(), fft.dataSync())).toBeLessThan(2e-6);
    tf.dispose([tables.forward, tables.inverse, x, wr, wi, ours, fft]);
  });

  it('rejects mismatched tables and weights with SHAPE_MISMATCH', () => {
    const tables = spectralTables1d(16, 4);
    const x = tf.zeros([1, 8, 1]);
    const w = tf.zeros([4, 1, 1]);
    expect(() => spectralConv1d(x, { wr: w, wi: w }, tables)).toThrow(OperatorsError);
    expect(() => spectralTables1d(16, 10)).toThrow(/modes/);
    tf.dispose([tables.forward, tables.inverse, x, w]);
  });

  it('leaks no tensors', () => {
    const tables = spectralTables1d(16, 4);
    const x = tf.zeros([1, 16, 2]);
    const w = tf.ones([4, 2, 2]);
    const before = tf.memory().numTensors;
    spectralConv1d(x, { wr: w, wi: w }, tables).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([tables.forward, tables.inverse, x, w]);
  });
});

describe('spectralConv2d', () => {
  it('matches a direct float64 2D DFT (both x corners, half spectrum in y)', () => {
    const dims = { b: 2, nx: 12, ny: 10, cin: 2, cout: 3, m1: 3, m2: 4 };
    const modes = 2 * dims.m1 * dims.m2;
    const x = values(dims.b * dims.nx * dims.ny * dims.cin, 11);
    const wr = values(modes * dims.cin * dims.cout, 12);
    const wi = values(modes * dims.cin * dims.cout, 13);
    const ref = reference2d(x, dims, wr, wi);
    const tables = spectralTables2d([dims.nx, dims.ny], [dims.m1, dims.m2]);
    const out = tf.tidy(() =>
      spectralConv2d(
        tf.tensor4d(Float32Array.from(x), [dims.b, dims.nx, dims.ny, dims.cin]),
        {
          wr: tf.tensor3d(Float32Array.from(wr), [modes, dims.cin, dims.cout]),
          wi: tf.tensor3d(Float32Array.from(wi), [modes, dims.cin, dims.cout]),
        },
        tables,
      ),
    );
    expect(maxRel(out.dataSync(), ref)).toBeLessThan(3e-6);
    out.dispose();
    tf.dispose([tables.forwardX, tables.forwardY, tables.inverseX, tables.inverseY]);
  });

  it('has exact gradients (finite differences) and leaks no tensors', () => {
    const tables = spectralTables2d([8, 6], [2, 3]);
    const x = tf.tensor4d(Float32Array.from(values(8 * 6 * 2, 14)), [1, 8, 6, 2]);
    const wr = tf.tensor3d(Float32Array.from(values(12 * 2 * 2, 15)), [12, 2, 2]);
    const wi = tf.tensor3d(Float32Array.from(values(12 * 2 * 2, 16)), [12, 2, 2]);
    expect(checkGrads((v) => spectralConv2d(v, { wr, wi }, tables), x, { tol: 2e-3 }).status).toBe('pass');
    expect(checkGrads((v) => spectralConv2d(x, { wr, wi: v }, tables), wi, { tol: 2e-3 }).status).toBe(
      'pass',
    );
    const before = tf.memory().numTensors;
    spectralConv2d(x, { wr, wi }, tables).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, wr, wi, tables.forwardX, tables.forwardY, tables.inverseX, tables.inverseY]);
  });
});
