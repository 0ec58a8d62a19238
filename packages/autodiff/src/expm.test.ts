import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AutodiffError, expm } from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Float64 reference: the plain Taylor series summed to convergence (no scaling, no squaring). */
function expm64(z: ArrayLike<number>, m: number): Float64Array {
  const out = new Float64Array(m * m);
  let term = new Float64Array(m * m);
  for (let i = 0; i < m; i++) term[i * m + i] = 1;
  for (let k = 1; k < 200; k++) {
    out.forEach((_, i) => (out[i] += term[i]));
    const next = new Float64Array(m * m);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let l = 0; l < m; l++) s += term[i * m + l] * z[l * m + j];
        next[i * m + j] = s / k;
      }
    term = next;
  }
  return out;
}

/** Deterministic pseudo-random numbers in [-1, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}

function frobenius(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/** A random m x m matrix scaled to Frobenius norm `norm`; `skew` makes it a generator of rotations. */
function randomMatrix(m: number, norm: number, rand: () => number, skew = false): Float64Array {
  const a = Float64Array.from({ length: m * m }, rand);
  if (skew) {
    for (let i = 0; i < m; i++)
      for (let j = 0; j < i; j++) {
        a[i * m + j] = -a[j * m + i];
      }
    for (let i = 0; i < m; i++) a[i * m + i] = 0;
  }
  const f = norm / frobenius(a);
  return a.map((v) => v * f);
}

describe('expm', () => {
  it('matches a float64 series to float32 round-off for norms up to 4 pi (general and skew matrices)', () => {
    const rand = lcg(7);
    let worst = 0;
    for (const m of [3, 7, 13]) {
      const mats: Float64Array[] = [];
      for (const norm of [0.01, 0.5, 1, Math.PI, 2 * Math.PI, 4 * Math.PI]) {
        mats.push(randomMatrix(m, norm, rand), randomMatrix(m, norm, rand, true));
      }
      const z = tf.tensor3d(
        mats.flatMap((a) => Array.from(a)),
        [mats.length, m, m],
      );
      const e = expm(z);
      const got = e.dataSync();
      mats.forEach((a, b) => {
        // The reference sees the same float32-rounded input (input rounding alone costs ~ ||Z|| eps).
        const ref = expm64(a.map(Math.fround), m);
        const diff = ref.map((v, i) => v - got[b * m * m + i]);
        const rel = frobenius(diff) / frobenius(ref);
        worst = Math.max(worst, rel);
      });
      tf.dispose([z, e]);
    }
    // float32 epsilon is 6e-8; each of the (up to 5) squarings at 4 pi roughly doubles the relative
    // round-off, so the bound is 50 epsilon (measured worst: 1.7e-6, a general 13 x 13 matrix at 4 pi).
    expect(worst).toBeLessThan(50 * 6e-8);
  });

  it('gives the exact rotation for a 2 x 2 rotation generator of angle 4 pi - 0.3', () => {
    const a = 4 * Math.PI - 0.3;
    const z = tf.tensor3d([0, a, -a, 0], [1, 2, 2]);
    const e = expm(z);
    const v = e.dataSync();
    const ref = [Math.cos(a), Math.sin(a), -Math.sin(a), Math.cos(a)];
    ref.forEach((r, i) => expect(Math.abs(v[i] - r)).toBeLessThan(1e-6));
    tf.dispose([z, e]);
  });

  it('keeps batch dimensions and the identity for the zero matrix', () => {
    const z = tf.zeros([2, 3, 4, 4]);
    const e = expm(z);
    expect(e.shape).toEqual([2, 3, 4, 4]);
    const eye = tf.eye(4).dataSync();
    const v = e.dataSync();
    for (let i = 0; i < v.length; i++) expect(v[i]).toBe(eye[i % 16]);
    tf.dispose([z, e]);
  });

  it('has a gradient that matches float64 central differences of the reference', () => {
    const m = 4;
    const rand = lcg(11);
    const a = randomMatrix(m, 3, rand);
    const w = Float64Array.from({ length: m * m }, rand);
    const f64 = (x: Float64Array) => expm64(x, m).reduce((s, v, i) => s + v * w[i], 0);
    const z = tf.tensor3d(Array.from(a), [1, m, m]);
    const wt = tf.tensor3d(Array.from(w), [1, m, m]);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(expm(x), wt)))(z);
    const got = g.dataSync();
    const h = 1e-6;
    let maxErr = 0;
    let scale = 0;
    for (let i = 0; i < m * m; i++) {
      const up = a.slice();
      const down = a.slice();
      up[i] += h;
      down[i] -= h;
      const fd = (f64(up) - f64(down)) / (2 * h);
      maxErr = Math.max(maxErr, Math.abs(fd - got[i]));
      scale = Math.max(scale, Math.abs(fd));
    }
    expect(maxErr / scale).toBeLessThan(1e-5);
    tf.dispose([z, wt, g]);
  });

  it('has a second derivative that matches finite differences of its gradient', () => {
    const z = tf.tensor3d([0.3, -1.2, 0.8, 0.1], [1, 2, 2]);
    const v = tf.tensor3d([1, 0.5, -0.7, 0.2], [1, 2, 2]);
    const f = (x: tf.Tensor) => tf.sum(tf.square(expm(x)));
    const dir = (x: tf.Tensor) => tf.sum(tf.mul(tf.grad(f)(x), v));
    const second = tf.grad(dir)(z).dataSync();
    const h = 1e-2;
    const zu = tf.tensor3d([0.3 + h, -1.2, 0.8, 0.1], [1, 2, 2]);
    const zd = tf.tensor3d([0.3 - h, -1.2, 0.8, 0.1], [1, 2, 2]);
    const fd = (dir(zu).dataSync()[0] - dir(zd).dataSync()[0]) / (2 * h);
    expect(Math.abs(second[0] - fd)).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd)));
    tf.dispose([z, v, zu, zd]);
  });

  it('does not leak tensors', () => {
    const z = tf.tensor3d([0, 3, -3, 0], [1, 2, 2]);
    const before = tf.memory().numTensors;
    expm(z).dispose();
    expect(tf.memory().numTensors).toBe(before);
    z.dispose();
  });

  it('rejects non-square input, non-finite entries and bad options', () => {
    const rect = tf.zeros([2, 3]);
    expect(() => expm(rect)).toThrow(/argument 'z' must be a batch of square matrices/);
    const nan = tf.tensor2d([NaN, 0, 0, 0], [2, 2]);
    expect(() => expm(nan)).toThrow(AutodiffError);
    const sq = tf.zeros([2, 2]);
    expect(() => expm(sq, { degree: 0 })).toThrow(/options.degree/);
    expect(() => expm([1] as unknown as tf.Tensor)).toThrow(/must be a tf.Tensor/);
    tf.dispose([rect, nan, sq]);
  });
});
