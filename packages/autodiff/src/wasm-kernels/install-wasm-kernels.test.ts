import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grad } from '../index';
import { setSimdKernelsEnabled } from './simd-kernels';
import { useFastWasmKernels, useTfjsWasmKernels, WASM_KERNEL_OVERRIDES } from './install-wasm-kernels';

/** `fn` with tfjs-backend-wasm's own kernels and with the replacements: values and shapes of both. */
function both(fn: () => tf.Tensor | tf.Tensor[]) {
  const run = () =>
    tf.tidy(() => [fn()].flat().map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) })));
  useTfjsWasmKernels();
  try {
    const tfjs = run();
    useFastWasmKernels();
    const fast = run();
    setSimdKernelsEnabled(false);
    return { tfjs, fast, fallback: run() };
  } finally {
    setSimdKernelsEnabled(true);
    useFastWasmKernels();
  }
}

const maxAbs = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('wasm kernel replacements', () => {
  beforeAll(async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
    useFastWasmKernels();
  });
  afterAll(() => useFastWasmKernels());

  it('are registered for wasm and restored by useTfjsWasmKernels', () => {
    const replaced = WASM_KERNEL_OVERRIDES.map((o) => o.kernelName);
    expect(replaced).toEqual([
      'Tanh',
      'Transpose',
      'Sum',
      'Identity',
      'Cast',
      'Slice',
      'SplitV',
      'Concat',
      'Pack',
      'BatchMatMul',
      'Tile',
    ]);
    for (const o of WASM_KERNEL_OVERRIDES)
      expect(tf.getKernel(o.kernelName, 'wasm')?.kernelFunc).toBe(o.kernelFunc);
    useTfjsWasmKernels();
    for (const o of WASM_KERNEL_OVERRIDES)
      expect(tf.getKernel(o.kernelName, 'wasm')?.kernelFunc).not.toBe(o.kernelFunc);
    useFastWasmKernels(['Sum']);
    expect(tf.getKernel('Sum', 'wasm')?.kernelFunc).toBe(WASM_KERNEL_OVERRIDES[2].kernelFunc);
    expect(tf.getKernel('Tanh', 'wasm')?.kernelFunc).not.toBe(WASM_KERNEL_OVERRIDES[0].kernelFunc);
    useFastWasmKernels();
    expect(tf.getKernel('Tanh', 'wasm')?.kernelFunc).toBe(WASM_KERNEL_OVERRIDES[0].kernelFunc);
  });

  it('transpose equals wasm own kernel bit for bit, for every permutation kind and dtype', () => {
    const { tfjs, fast, fallback } = both(() => {
      const a = tf.randomNormal([37, 129], 0, 1, 'float32', 1);
      const b = tf.randomNormal([3, 70, 65], 0, 1, 'float32', 2);
      const c = tf.randomNormal([2, 3, 4, 5], 0, 1, 'float32', 3);
      const row = tf.randomNormal([1, 200], 0, 1, 'float32', 4);
      // 256k rows and >= 16 columns take the tiled copy; the rest wasm's own kernel.
      const tall = tf.randomNormal([512, 203], 0, 1, 'float32', 5);
      return [
        tf.transpose(tall),
        tf.transpose(tf.reshape(tall, [1, 512, 203]), [0, 2, 1]),
        tf.transpose(tf.slice(tall, [0, 0], [256, 16])),
        tf.transpose(tf.cast(tf.mul(tf.slice(tall, [0, 0], [768 - 256 - 256, 40]), 100), 'int32')),
        tf.transpose(a),
        tf.transpose(b, [0, 2, 1]),
        tf.transpose(c, [0, 1, 3, 2]),
        tf.transpose(c, [2, 0, 3, 1]),
        tf.transpose(tf.cast(tf.mul(a, 100), 'int32')),
        tf.transpose(row),
        tf.transpose(tf.transpose(row)),
        tf.transpose(tf.zeros([0, 4])),
        // SIMD 4 x 4 blocks with every remainder of rows and columns, tiles of 32 and their edges.
        ...[1, 2, 3, 4, 5, 7, 31, 32, 33, 66].flatMap((m) =>
          [1, 3, 4, 6, 33, 41].map((n) => tf.transpose(tf.slice(tall, [0, 0], [m, n]))),
        ),
        tf.transpose(tf.reshape(tf.slice(tall, [0, 0], [510, 100]), [6, 17, 5, 100]), [0, 1, 3, 2]),
        tf.transpose(tf.cast(tf.mul(b, 1000), 'int32'), [0, 2, 1]),
      ];
    });
    expect(fast).toEqual(tfjs);
    expect(fallback).toEqual(tfjs);
    expect(fast[0].shape).toEqual([203, 512]);
  });

  it('tile equals wasm own kernel bit for bit', () => {
    const { tfjs, fast } = both(() => {
      const a = tf.randomNormal([6, 1, 3], 0, 1, 'float32', 7);
      const b = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 8);
      return [
        tf.tile(a, [1, 1024, 1]),
        tf.tile(b, [3, 1, 2]),
        tf.tile(b, [1, 1, 1]),
        tf.tile(tf.cast(b, 'int32'), [2, 2, 2]),
        tf.tile(tf.tensor1d([1, 2, 3]), [5]),
        tf.tile(tf.cast(tf.tensor1d([1, 0]), 'bool'), [3]),
        tf.tile(b, [0, 1, 2]),
      ];
    });
    expect(fast).toEqual(tfjs);
    expect(fast[0].shape).toEqual([6, 1024, 3]);
  });

  it('sum over leading axes equals wasm own kernel bit for bit (same float32 additions in the same order)', () => {
    const x = tf.randomNormal([512, 7, 3], 0, 1, 'float32', 5);
    const data = x.dataSync();
    const wide = tf.randomNormal([9, 77], 0, 100, 'float32', 6);
    const { tfjs, fast, fallback } = both(() => [
      tf.sum(wide, 0),
      tf.sum(tf.slice(wide, [0, 0], [9, 19]), 0),
      tf.sum(tf.slice(wide, [0, 0], [5, 36]), 0),
      tf.sum(tf.slice(wide, [0, 0], [1, 16]), 0),
      tf.sum(tf.tensor2d([-0, -0, 1, -0], [2, 2]), 0),
      tf.sum(x, 0),
      tf.sum(x, [0, 1]),
      tf.sum(x, [1, 0], true),
      tf.sum(x, -3),
      tf.sum(tf.reshape(x, [512, 21]), 0),
      tf.sum(x, 2),
      tf.sum(x, [0, 2]),
      tf.sum(x),
      tf.sum(tf.cast(tf.mul(x, 10), 'int32'), 0),
    ]);
    expect(fast).toEqual(tfjs);
    expect(fallback).toEqual(tfjs);
    expect(fast[7].shape).toEqual([1, 1, 3]);
    // And against a float64 sum: float32 accumulation of 512 terms of N(0, 1), ~1e-5.
    const exact = new Float64Array(21);
    data.forEach((v, i) => (exact[i % 21] += v));
    expect(maxAbs(fast[5].values, Array.from(exact))).toBeLessThan(1e-4);
    tf.dispose([x, wide]);
  });

  it('slice equals wasm own kernel bit for bit (contiguous or not, every rank and dtype)', () => {
    const x = tf.randomNormal([2, 50, 6], 0, 1, 'float32', 9);
    const { tfjs, fast, fallback } = both(() => [
      tf.slice(x, [0], [1]),
      tf.slice(x, [1, 10, 0], [1, 5, -1]),
      tf.slice(x, [0, 3, 2], [2, 7, 3]),
      tf.slice(x, [1, 0, 5], [-1, -1, 1]),
      tf.slice(tf.reshape(x, [600]), [17], [300]),
      tf.slice(tf.reshape(x, [2, 5, 10, 6]), [1, 1, 2, 1], [1, 3, 4, 4]),
      tf.slice(tf.reshape(x, [1, 2, 5, 10, 3, 2]), [0, 1, 1, 2, 1, 0], [1, 1, 3, 4, 2, 1]),
      tf.slice(tf.cast(tf.mul(x, 100), 'int32'), [0, 40, 1], [2, 10, 4]),
      tf.slice(tf.greater(x, 0), [1, 2, 0], [1, 3, 6]),
      tf.slice(x, [0, 0, 0], [2, 0, 6]),
    ]);
    expect(fast).toEqual(tfjs);
    expect(fallback).toEqual(tfjs);
    expect(fast[6].shape).toEqual([1, 1, 3, 4, 2, 1]);
    x.dispose();
  });

  it('concat, stack and split equal wasm own kernels bit for bit (short and long rows, every dtype)', () => {
    const a = tf.randomNormal([4, 5, 40], 0, 1, 'float32', 10);
    const b = tf.randomNormal([4, 5, 3], 0, 1, 'float32', 11);
    const v = Array.from({ length: 9 }, (_, i) => tf.randomNormal([1024], 0, 1, 'float32', 20 + i));
    const { tfjs, fast, fallback } = both(() => [
      tf.concat([a, b], 2),
      tf.concat([b, a, b], -1),
      tf.concat([a, a], 0),
      tf.concat([a, tf.zeros([4, 5, 0])], 2),
      tf.concat([tf.zeros([0, 5, 40]), a], 0),
      tf.concat([tf.cast(tf.mul(b, 9), 'int32'), tf.cast(tf.mul(b, 3), 'int32')], 1),
      tf.concat([tf.greater(b, 0), tf.less(b, 0)], 2),
      tf.concat([tf.zeros([2, 0]), tf.zeros([2, 0])], 1),
      tf.stack(v, 1),
      tf.stack(v, 0),
      tf.stack([a, a, a], 2),
      tf.stack([a, tf.neg(a)], -1),
      tf.stack([tf.cast(b, 'int32'), tf.cast(tf.neg(b), 'int32')], 1),
      ...tf.split(a, [10, 25, 5], 2),
      ...tf.split(a, 2, 0),
      ...tf.split(tf.cast(tf.mul(a, 5), 'int32'), [1, 4], 1),
    ]);
    expect(fast).toEqual(tfjs);
    expect(fallback).toEqual(tfjs);
    expect(fast[8].shape).toEqual([1024, 9]);
    tf.dispose([a, b, ...v]);
  });

  it('matMul by the SIMD module (N = 1 or a multiple of 4) agrees with float64 and with wasm own kernel', () => {
    const cases: Array<[number[], number[], boolean]> = [
      [[7, 5], [5, 1], false],
      [[33, 1030], [1030, 1], false],
      [[9, 1030], [1, 1030], true],
      [[1, 64], [64, 1], false],
      [[5, 3], [3, 4], false],
      [[7, 1030], [1030, 8], false],
      [[101, 20], [20, 20], false],
      [[20, 2000], [2000, 20], false],
      [[3, 9], [9, 32], false],
      [[1, 4, 6], [1, 6, 12], false],
      [[4, 6], [1, 6, 1], false],
      [[6, 5], [5, 36], false],
      [[9, 700], [700, 200], false],
      [[3, 7], [7, 52], false],
      // Fallbacks: N not a multiple of 4, N above SIMD_GEMM_MAX_COLUMNS, transposed, batched.
      [[6, 5], [5, 38], false],
      [[3, 700], [700, 516], false],
      [[6, 5], [8, 5], true],
      [[2, 6, 5], [2, 5, 4], false],
    ];
    const inputs = cases.map(([sa, sb], i) => [
      tf.randomNormal(sa, 0, 1, 'float32', 40 + i),
      tf.randomNormal(sb, 0, 1, 'float32', 60 + i),
    ]);
    const { tfjs, fast, fallback } = both(() =>
      cases.map(([, , tb], i) => tf.matMul(inputs[i][0], inputs[i][1], false, tb)),
    );
    expect(fast.map((r) => r.shape)).toEqual(tfjs.map((r) => r.shape));
    expect(fallback).toEqual(tfjs);
    expect(fast[cases.length - 1]).toEqual(tfjs[cases.length - 1]); // batched: wasm's own kernel
    // N = 516 > 512 goes to XNNPACK (the dispatch is a speed rule: both sum in k order without FMA, equal values).
    expect(fast[cases.length - 3]).toEqual(tfjs[cases.length - 3]);
    cases.slice(0, -1).forEach(([sa, sb, tb], i) => {
      const [a, b] = inputs[i].map((t) => t.dataSync());
      const [M, K] = sa.slice(-2);
      const N = tb ? sb[sb.length - 2] : sb[sb.length - 1];
      const exact = new Float64Array(M * N);
      for (let m = 0; m < M; m++)
        for (let n = 0; n < N; n++)
          for (let k = 0; k < K; k++) exact[m * N + n] += a[m * K + k] * b[tb ? n * K + k : k * N + n];
      // A float32 sum of K products of unit normals: rounding error well below 4 K 2^-24.
      const bound = 4 * K * 2 ** -24;
      expect(maxAbs(fast[i].values, Array.from(exact)), `case ${i}`).toBeLessThan(bound);
      expect(maxAbs(fast[i].values, tfjs[i].values), `case ${i}`).toBeLessThan(bound);
    });
    tf.dispose(inputs.flat());
  });

  it('give the same HNN loss and weight gradients as wasm own kernels (row-vector weights included)', () => {
    const { tfjs, fast } = both(() => {
      const sizes = [4, 32, 32, 1];
      const params = sizes
        .slice(1)
        .flatMap((n, l) => [
          tf.randomNormal([sizes[l], n], 0, 1 / Math.sqrt(sizes[l]), 'float32', 20 + l),
          tf.randomNormal([n], 0, 0.2, 'float32', 30 + l),
        ]);
      const x = tf.randomNormal([64, 4], 0, 1, 'float32', 42);
      const target = tf.randomNormal([64, 4], 0, 1, 'float32', 43);
      const outputBias = params.pop() as tf.Tensor; // no influence on dH/dx, so no gradient
      const loss = (...p: tf.Tensor[]) => {
        const H = (t: tf.Tensor) => {
          let h = t;
          for (let l = 0; l < 3; l++) {
            const z = tf.add(
              tf.matMul(h as tf.Tensor2D, p[2 * l] as tf.Tensor2D),
              p[2 * l + 1] ?? outputBias,
            );
            h = l < 2 ? tf.tanh(z) : z;
          }
          return tf.sum(h);
        };
        const [dq, dp] = tf.split(grad(H)(x), 2, 1);
        return tf.mean(tf.square(tf.sub(tf.concat([dp, tf.neg(dq)], 1), target)));
      };
      const { value, grads } = tf.valueAndGrads(loss)(params);
      return [value, ...grads];
    });
    expect(fast.map((r) => r.shape)).toEqual(tfjs.map((r) => r.shape));
    fast.forEach((r, i) => {
      const scale = Math.max(...tfjs[i].values.map(Math.abs));
      expect(maxAbs(r.values, tfjs[i].values) / scale).toBeLessThan(1e-5);
    });
  });

  it('leak neither tensors nor wasm buffers', () => {
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const x = tf.randomNormal([64, 48], 0, 1, 'float32', 6);
    const run = () =>
      tf.tidy(() => {
        [
          tf.transpose(x),
          tf.sum(x, 0),
          tf.tanh(x),
          tf.transpose(tf.reshape(x, [1, -1])),
          tf.tile(x, [2, 3]),
          tf.slice(x, [1, 2], [30, 40]),
          tf.clone(x),
          tf.cast(x, 'float32'),
          tf.concat([x, x], 1),
          tf.concat([x, tf.zeros([64, 0])], 1),
          tf.stack([x, x]),
          tf.matMul(x, tf.ones([48, 1])),
          tf.matMul(x, tf.ones([48, 20])),
          ...tf.split(x, 4, 1),
        ].forEach((t) => t.dataSync());
      });
    run(); // warm-up
    const before = { tensors: tf.memory().numTensors, data: backend.numDataIds() };
    run();
    expect({ tensors: tf.memory().numTensors, data: backend.numDataIds() }).toEqual(before);
    x.dispose();
  });
});
