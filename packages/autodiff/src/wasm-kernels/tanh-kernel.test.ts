import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../index';
import { useFastWasmKernels, useTfjsWasmKernels, WASM_KERNEL_OVERRIDES } from './install-wasm-kernels';
import { setSimdKernelsEnabled, simdKernels } from './simd-kernels';
import { TANH_POLYNOMIAL, TANH_POLYNOMIAL_LIMIT, tanhWasm } from './tanh-kernel';

/** One ulp of the float32 number nearest to `v` (the spacing at its binade; subnormal spacing below 2^-126). */
function ulp32(v: number): number {
  const a = Math.abs(Math.fround(v));
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

/** Float32 inputs: every `stride`-th bit pattern of both signs over the whole finite range. */
function sweep(from: number, to: number, stride: number): Float32Array {
  const bits: number[] = [];
  for (let b = from; b < to; b += stride) bits.push(b, (b | 0x80000000) >>> 0);
  return new Float32Array(Uint32Array.from(bits).buffer);
}

const bitsOf = (v: number) => new Uint32Array(Float32Array.of(v).buffer)[0];

/** tf.tanh of `xs` in chunks (a tensor per chunk, so wasm's heap stays small). */
function tanhOf(xs: Float32Array): Float32Array {
  const out = new Float32Array(xs.length);
  const chunk = 1 << 18;
  for (let o = 0; o < xs.length; o += chunk) {
    const t = tf.tensor1d(xs.subarray(o, Math.min(xs.length, o + chunk)));
    const y = tf.tanh(t);
    out.set(y.dataSync(), o);
    tf.dispose([t, y]);
  }
  return out;
}

/** Largest error in ulp of `ys` against the float64 reference Math.tanh, and where. */
function maxUlpError(xs: Float32Array, ys: Float32Array): { ulp: number; at: number } {
  let worst = { ulp: 0, at: 0 };
  for (let i = 0; i < xs.length; i++) {
    const ref = Math.tanh(xs[i]);
    const e = Math.abs(ys[i] - ref) / ulp32(ref);
    if (e > worst.ulp) worst = { ulp: e, at: xs[i] };
  }
  return worst;
}

describe('tanh on wasm via sigmoid and a polynomial', () => {
  beforeAll(async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
    useFastWasmKernels();
  });
  afterAll(() => useFastWasmKernels());

  it('replaces the wasm Tanh kernel once tfjs-backend-wasm is loaded', () => {
    expect(tf.getKernel('Tanh', 'wasm')?.kernelFunc).toBe(tanhWasm);
    expect(WASM_KERNEL_OVERRIDES.map((o) => o.kernelName)).toContain('Tanh');
  });

  it('polynomial fit: tanh(a) = a + a^3 q(a^2) to 1e-7 relative on [0, 1] in float64', () => {
    let worst = 0;
    for (let i = 1; i <= 20_000; i++) {
      const a = (TANH_POLYNOMIAL_LIMIT * i) / 20_000;
      const s = a * a;
      let q = 0;
      for (let j = TANH_POLYNOMIAL.length - 1; j >= 0; j--) q = q * s + TANH_POLYNOMIAL[j];
      worst = Math.max(worst, Math.abs((a + a * s * q) / Math.tanh(a) - 1));
    }
    expect(worst).toBeLessThan(1e-7);
  });

  it('takes the SIMD module on a non-threaded wasm backend', () => {
    expect(simdKernels(tf.backend())).toBeDefined();
  });

  for (const path of ['SIMD module', 'composite of wasm kernels'] as const) {
    describe(path, () => {
      beforeAll(() => setSimdKernelsEnabled(path === 'SIMD module'));
      afterAll(() => setSimdKernelsEnabled(true));

      it(`${path}: is within 2 ulp of the float64 tanh over a dense sweep of the float32 range, like tfjs own kernel`, () => {
        // Every 1024th float32 of either sign (4.2M values over all binades), plus every 16th in [0.25, 4), where
        // the two branches meet and the sigmoid branch has its largest error.
        const xs = sweep(0, 0x7f800000, 1024);
        const near = sweep(bitsOf(0.25), bitsOf(4), 16);
        const fast = { wide: maxUlpError(xs, tanhOf(xs)), near: maxUlpError(near, tanhOf(near)) };
        useTfjsWasmKernels();
        let reference: { wide: { ulp: number }; near: { ulp: number } };
        try {
          expect(tf.getKernel('Tanh', 'wasm')?.kernelFunc).not.toBe(tanhWasm);
          reference = { wide: maxUlpError(xs, tanhOf(xs)), near: maxUlpError(near, tanhOf(near)) };
        } finally {
          useFastWasmKernels();
        }
        expect(fast.wide.ulp).toBeLessThanOrEqual(2);
        expect(fast.near.ulp).toBeLessThanOrEqual(2);
        // tfjs's wasm Tanh (libm, float32) is itself about 2 ulp off; the replacement is no worse than it.
        expect(Math.max(fast.wide.ulp, fast.near.ulp)).toBeLessThanOrEqual(
          Math.max(reference.wide.ulp, reference.near.ulp),
        );
      });

      it(`${path}: gets the edge cases exactly: +-0, subnormals, tiny, large, +-Inf and NaN`, () => {
        const cases = [
          0,
          -0,
          2 ** -149,
          -(2 ** -149),
          2 ** -127,
          -(2 ** -130),
          2 ** -126,
          1e-20,
          -3e-8,
          1,
          -1,
          Math.fround(1 + 2 ** -23),
          9.01,
          -9.01,
          20,
          88.7,
          -1e30,
          3.4028234663852886e38,
          Infinity,
          -Infinity,
          NaN,
        ];
        const ys = tanhOf(Float32Array.from(cases));
        cases.forEach((x, i) => {
          const ref = Math.fround(Math.tanh(x));
          if (Number.isNaN(x)) expect(ys[i]).toBeNaN();
          else if (ref === 0)
            expect(Object.is(ys[i], ref), `tanh(${Object.is(x, -0) ? '-0' : x})`).toBe(true);
          else expect(Math.abs(ys[i] - Math.tanh(x)) / ulp32(ref), `tanh(${x})`).toBeLessThanOrEqual(1);
        });
        // Subnormal and tiny inputs are their own tanh, bit for bit.
        expect(Array.from(ys.slice(2, 9))).toEqual(Array.from(Float32Array.from(cases.slice(2, 9))));
      });
    });
  }

  it('handles empty and multi-dimensional tensors and leaks neither tensors nor wasm memory', () => {
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const x = tf.randomNormal([3, 5, 7], 0, 2, 'float32', 4);
    const before = { tensors: tf.memory().numTensors, data: backend.numDataIds() };
    const y = tf.tanh(x);
    expect(y.shape).toEqual([3, 5, 7]);
    const ref = Array.from(x.dataSync(), Math.tanh);
    Array.from(y.dataSync()).forEach((v, i) => expect(Math.abs(v - ref[i])).toBeLessThan(2 * ulp32(ref[i])));
    const empty = tf.tanh(tf.zeros([0, 3]));
    expect(empty.shape).toEqual([0, 3]);
    tf.dispose([y, empty]);
    expect(tf.memory().numTensors).toBe(before.tensors + 1); // the zeros([0, 3]) input
    expect(backend.numDataIds()).toBe(before.data + 1);
    x.dispose();
  });

  it('keeps second and third derivatives of tanh exact (the gradient registry recomputes from the input)', () => {
    const x = tf.tensor1d([-2.5, -0.3, 0, 0.7, 1.9]);
    const d2 = tf.grad(tf.grad((t: tf.Tensor) => tf.tanh(t)));
    const d3 = tf.grad(d2);
    const t = (v: number) => Math.tanh(v);
    const exact2 = Array.from(x.dataSync(), (v) => -2 * t(v) * (1 - t(v) ** 2));
    const exact3 = Array.from(x.dataSync(), (v) => (1 - t(v) ** 2) * (6 * t(v) ** 2 - 2));
    Array.from(d2(x).dataSync()).forEach((v, i) => expect(v).toBeCloseTo(exact2[i], 6));
    Array.from(d3(x).dataSync()).forEach((v, i) => expect(v).toBeCloseTo(exact3[i], 5));
  });
});
