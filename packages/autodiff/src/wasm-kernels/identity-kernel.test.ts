import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../index';
import { castWasm, identityWasm } from './identity-kernel';
import { useFastWasmKernels, useTfjsWasmKernels, WASM_KERNEL_OVERRIDES } from './install-wasm-kernels';
import { setSimdKernelsEnabled } from './simd-kernels';

interface Backend {
  numDataIds(): number;
  refCount(dataId: object): number;
}
const backend = () => tf.backend() as unknown as Backend;
const dataIdOf = (t: tf.Tensor) => (t as unknown as { dataId: object }).dataId;

/** Row-major product of a [n, k] and a [k, m] matrix in float64. */
function matMulRef(a: ArrayLike<number>, b: ArrayLike<number>, [n, k, m]: number[]): number[] {
  const out = new Array<number>(n * m).fill(0);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) for (let l = 0; l < k; l++) out[i * m + j] += a[i * k + l] * b[l * m + j];
  return out;
}

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('Identity and same-dtype Cast on wasm share the data', () => {
  beforeAll(async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
    useFastWasmKernels();
  });
  afterAll(() => useFastWasmKernels());

  it('are the registered wasm kernels', () => {
    expect(tf.getKernel('Identity', 'wasm')?.kernelFunc).toBe(identityWasm);
    expect(tf.getKernel('Cast', 'wasm')?.kernelFunc).toBe(castWasm);
  });

  it('a clone shares the data id, counts a reference, and keeps its values after the original is disposed', () => {
    const x = tf.tensor2d([1, -2, 3.5, 4], [2, 2]);
    const y = tf.clone(x);
    expect(dataIdOf(y)).toBe(dataIdOf(x));
    expect(backend().refCount(dataIdOf(x))).toBe(2);
    x.dispose();
    expect(backend().refCount(dataIdOf(y))).toBe(1);
    expect(Array.from(y.dataSync())).toEqual([1, -2, 3.5, 4]);
    y.dispose();
    expect(backend().refCount(dataIdOf(y))).toBe(0);
  });

  it('casts to the own dtype alias the data (float32, int32, bool); other casts convert', () => {
    const f = tf.tensor1d([1.5, -2.25, 0]);
    const i = tf.tensor1d([3, -4, 0], 'int32');
    const b = tf.tensor1d([1, 0, 1], 'bool');
    const same = [tf.cast(f, 'float32'), tf.cast(i, 'int32'), tf.cast(b, 'bool')];
    same.forEach((t, k) => expect(dataIdOf(t)).toBe(dataIdOf([f, i, b][k])));
    const other = [tf.cast(f, 'int32'), tf.cast(i, 'float32'), tf.cast(b, 'int32')];
    other.forEach((t, k) => expect(dataIdOf(t)).not.toBe(dataIdOf([f, i, b][k])));
    tf.dispose([f, i, b]);
    expect(same.map((t) => Array.from(t.dataSync()))).toEqual([
      [1.5, -2.25, 0],
      [3, -4, 0],
      [1, 0, 1],
    ]);
    expect(other.map((t) => [t.dtype, Array.from(t.dataSync())])).toEqual([
      ['int32', [1, -2, 0]],
      ['float32', [3, -4, 0]],
      ['int32', [1, 0, 1]],
    ]);
    tf.dispose([...same, ...other]);
  });

  it('a variable assigned after being cloned leaves the clone unchanged (and the clone a new value alone)', () => {
    const v = tf.variable(tf.tensor1d([1, 2, 3]));
    const c = v.clone();
    v.assign(tf.tensor1d([7, 8, 9]));
    expect(Array.from(c.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(v.dataSync())).toEqual([7, 8, 9]);
    const d = v.clone();
    v.assign(tf.mul(v, 2) as tf.Tensor1D);
    expect(Array.from(d.dataSync())).toEqual([7, 8, 9]);
    expect(Array.from(v.dataSync())).toEqual([14, 16, 18]);
    tf.dispose([v, c, d]);
  });

  it('matMul with a cloned right operand is right, also after the original is disposed and its memory reused', () => {
    const a = tf.randomNormal([9, 7], 0, 1, 'float32', 1);
    const b = tf.randomNormal([7, 5], 0, 1, 'float32', 2);
    const [aData, bData] = [a.dataSync(), b.dataSync()];
    const expected = matMulRef(aData, bData, [9, 7, 5]);
    const bc = tf.clone(b);
    const p1 = tf.matMul(a, b);
    const p2 = tf.matMul(a, bc);
    b.dispose();
    const p3 = tf.matMul(a, bc);
    bc.dispose();
    // The freed buffer (and its wasm data id) may now hold another right operand.
    const b2 = tf.randomNormal([7, 5], 0, 1, 'float32', 3);
    const b2c = tf.clone(b2);
    const p4 = tf.matMul(a, b2c);
    for (const p of [p1, p2, p3]) expect(maxAbs(p.dataSync(), expected)).toBeLessThan(1e-5);
    expect(maxAbs(p4.dataSync(), matMulRef(aData, b2.dataSync(), [9, 7, 5]))).toBeLessThan(1e-5);
    tf.dispose([a, b2, b2c, p1, p2, p3, p4]);
  });

  it('matMul with a square right operand and its clone under both transpose flags is right (cache keys)', () => {
    const a = tf.randomNormal([9, 48], 0, 1, 'float32', 7);
    const w = tf.randomNormal([48, 48], 0, 1, 'float32', 8);
    const [aData, wData] = [a.dataSync(), w.dataSync()];
    const wT = Float32Array.from({ length: 48 * 48 }, (_, i) => wData[(i % 48) * 48 + Math.floor(i / 48)]);
    const plain = tf.matMul(a, w);
    const wc = tf.clone(w);
    const flipped = tf.matMul(a, wc, false, true);
    const again = tf.matMul(a, w, false, true);
    expect(maxAbs(plain.dataSync(), matMulRef(aData, wData, [9, 48, 48]))).toBeLessThan(1e-4);
    for (const p of [flipped, again])
      expect(maxAbs(p.dataSync(), matMulRef(aData, wT, [9, 48, 48]))).toBeLessThan(1e-4);
    tf.dispose([a, w, wc, plain, flipped, again]);
  });

  it('matMul on XNNPACK with one operand under two shapes (reshape, clone) is right (its cache is keyed by data id)', () => {
    setSimdKernelsEnabled(false);
    try {
      const v = tf.randomNormal([128, 1], 0, 1, 'float32', 11);
      const a = tf.randomNormal([20, 128], 0, 1, 'float32', 12);
      const c = tf.randomNormal([20, 1], 0, 1, 'float32', 13);
      const [vData, aData, cData] = [v.dataSync(), a.dataSync(), c.dataSync()];
      const inner = tf.matMul(a, v); // packs v as 128 x 1
      const row = tf.clone(tf.reshape(v, [1, 128])); // the same data id on wasm
      const outer = tf.matMul(c, row); // needs v packed as 1 x 128
      expect(maxAbs(inner.dataSync(), matMulRef(aData, vData, [20, 128, 1]))).toBeLessThan(1e-4);
      expect(maxAbs(outer.dataSync(), matMulRef(cData, vData, [20, 1, 128]))).toBeLessThan(1e-6);
      tf.dispose([v, a, c, inner, row, outer]);
    } finally {
      setSimdKernelsEnabled(true);
    }
  });

  it("copy instead while wasm's own BatchMatMul is registered (its cache would meet one id under two shapes)", () => {
    useFastWasmKernels(WASM_KERNEL_OVERRIDES.map((o) => o.kernelName).filter((k) => k !== 'BatchMatMul'));
    try {
      const v = tf.randomNormal([64, 1], 0, 1, 'float32', 14);
      const c = tf.randomNormal([8, 1], 0, 1, 'float32', 15);
      const inner = tf.matMul(tf.ones([3, 64]), v);
      const row = tf.clone(tf.reshape(v, [1, 64]));
      const same = tf.cast(v, 'float32');
      expect(dataIdOf(row)).not.toBe(dataIdOf(v));
      expect(dataIdOf(same)).not.toBe(dataIdOf(v));
      const outer = tf.matMul(c, row);
      expect(maxAbs(outer.dataSync(), matMulRef(c.dataSync(), v.dataSync(), [8, 1, 64]))).toBeLessThan(1e-6);
      tf.dispose([v, c, inner, row, same, outer]);
    } finally {
      useFastWasmKernels();
    }
  });

  it('gradients (whose tape clones the saved tensors) equal those with wasm own kernels', () => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.randomNormal([16, 3], 0, 1, 'float32', 4);
        const w = tf.randomNormal([3, 8], 0, 1, 'float32', 5);
        const f = (ws: tf.Tensor) => tf.sum(tf.square(tf.tanh(tf.matMul(x, ws as tf.Tensor2D))));
        return Array.from(tf.grad(f)(w).dataSync());
      });
    useTfjsWasmKernels();
    let reference: number[];
    try {
      reference = run();
    } finally {
      useFastWasmKernels();
    }
    expect(maxAbs(run(), reference)).toBeLessThan(1e-5);
  });

  it('leak neither tensors nor wasm buffers', () => {
    const x = tf.randomNormal([32, 4], 0, 1, 'float32', 6);
    const run = () => {
      tf.tidy(() => {
        const y = tf.clone(tf.cast(tf.clone(x), 'float32'));
        tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.clone(t), t)))(y).dataSync();
      });
      const kept = tf.clone(x);
      kept.dispose();
    };
    run(); // warm-up
    const before = { tensors: tf.memory().numTensors, data: backend().numDataIds() };
    run();
    expect({ tensors: tf.memory().numTensors, data: backend().numDataIds() }).toEqual(before);
    expect(backend().refCount(dataIdOf(x))).toBe(1);
    x.dispose();
  });
});
