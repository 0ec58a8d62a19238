import type * as tf from '@tensorflow/tfjs';
import { heapOffset, simdKernels } from './simd-kernels';
import { WasmComposite, type WasmBackend } from './wasm-kernel-util';

/**
 * Up to this |x| the odd polynomial is used, above it the sigmoid form. At |x| >= 1 the sigmoid form's
 * sigma = sigmoid(-2|x|) is below 1/8, which keeps its error near 1 ulp (see {@link tanhWasm}).
 */
export const TANH_POLYNOMIAL_LIMIT = 1;

/**
 * Coefficients of q(s), tanh(a) = a + a s q(s) with s = a^2, 0 <= a <= 1: a near-minimax fit (Lawson's
 * iteratively reweighted least squares on 400 Chebyshev nodes, relative error, float64) of
 * q(s) = (tanh(sqrt s) - sqrt s) / s^(3/2) on [0, 1], rounded to float32; lowest degree first. Largest
 * relative error of q 6.2e-8. `tanh-kernel.test.ts` checks the fit against float64 (Math.tanh).
 */
export const TANH_POLYNOMIAL: readonly number[] = Object.freeze([
  -0.333333313, 0.133331284, -0.0539348274, 0.0216602702, -0.00821921695, 0.0025107197, -0.000420781638,
]);

/**
 * tanh on wasm: one pass of the SIMD module (`tanh_f32` in `wasm/kernels.c`: the polynomial below up to
 * |x| = 1, above it 1 - 2 sigma with sigma = e / (1 + e), e = exp(-2|x|)), or where that module cannot work on
 * the backend's heap (see `simdKernels`) {@link tanhComposite}. Both within 2 ulp of the float64 tanh (tested).
 */
export function tanhWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const x = args.inputs.x as tf.TensorInfo;
  const size = x.shape.reduce((n, d) => n * d, 1);
  const simd = x.dtype === 'float32' && size > 0 ? simdKernels(backend) : undefined;
  if (simd === undefined) return tanhComposite(args);
  const out = backend.makeOutput([...x.shape], 'float32');
  simd.tanh_f32(heapOffset(backend, x.dataId), heapOffset(backend, out.dataId), size);
  return out;
}

/**
 * tanh for the wasm backend, built from kernels wasm runs vectorised (XNNPACK `Sigmoid`, `Multiply`, `Add`,
 * `Sub`, `RealDiv`, `ClipByValue`, `Step`, `Square`, `Abs`); wasm's own `Tanh` calls scalar libm and costs
 * ~15x a `Sigmoid`. tanh x = sign(x) T(|x|), with a = |x|:
 *
 * - a > 1: T(a) = 1 - 2 sigmoid(-2a). With sigma = sigmoid(-2a) < 1/8 the product 2 sigma is exact and the
 *   subtraction from 1 rounds once, so an error of k ulp in sigma is at most k/4 + 1/2 ulp of T (T > 3/4).
 *   The form 2 sigmoid(2x) - 1 would make it 2k and loses all relative accuracy for small |x|.
 * - a <= 1: T(a) = a + a s q(s), s = a^2 (Horner, {@link TANH_POLYNOMIAL}); a subnormal a stays a.
 * - The branches are blended as m T1 + (1 - m) T2 with m = step(a - 1) in {0, 1}: exact (`Select` costs
 *   ~30 multiplies on wasm). sign(x) = clip(1 / clip(x, -1, 1), -1, 1) is exactly +-1 for every x, -0
 *   included (1 / -0 = -Inf), so tanh(-0) = -0; +-Inf give +-1; NaN gives NaN (sigmoid(NaN) = NaN).
 *
 * Error against Math.tanh (float64) over a dense sweep of the float32 range is tested in
 * `tanh-kernel.test.ts` (bound: 2 ulp; tfjs's own wasm Tanh is itself up to ~2.1 ulp from the true tanh).
 */
function tanhComposite(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const x = args.inputs.x as tf.TensorInfo;
  if (x.shape.reduce((n, d) => n * d, 1) === 0) return backend.makeOutput([...x.shape], 'float32');
  const k = new WasmComposite(backend);
  try {
    // The helpers free their tensor operands (never x or the constants) after the kernel ran, so at most
    // ~4 full-size intermediates are alive at once.
    const mul = (a: tf.TensorInfo, b: tf.TensorInfo) => k.consume(k.run('Multiply', { a, b }), a, b);
    const add = (a: tf.TensorInfo, b: tf.TensorInfo) => k.consume(k.run('Add', { a, b }), a, b);
    const sub = (a: tf.TensorInfo, b: tf.TensorInfo) => k.consume(k.run('Sub', { a, b }), a, b);
    const unary = (name: string, t: tf.TensorInfo, attrs: tf.NamedAttrMap = {}) =>
      k.consume(k.run(name, { x: t }, attrs), t);
    const c = TANH_POLYNOMIAL_LIMIT;
    const one = k.constant(1);
    const minusTwo = k.constant(-2);
    const clip = (t: tf.TensorInfo, lo: number, hi: number) =>
      k.run('ClipByValue', { x: t }, { clipValueMin: lo, clipValueMax: hi });
    const sign = unary('ClipByValue', k.run('RealDiv', { a: one, b: clip(x, -c, c) }), {
      clipValueMin: -1,
      clipValueMax: 1,
    });
    const a = k.run('Abs', { x });
    const m = unary('Step', k.run('Sub', { a, b: k.constant(c) }), { alpha: 0 });
    // a > 1: 1 - 2 sigmoid(-2a).
    const large = add(mul(unary('Sigmoid', k.run('Multiply', { a, b: minusTwo })), minusTwo), one);
    // a <= 1: a + a s q(s) on a clipped to [0, 1] (finite wherever it is discarded).
    const ac = k.consume(clip(a, 0, c), a);
    const s = k.run('Square', { x: ac });
    let q = k.constant(TANH_POLYNOMIAL[TANH_POLYNOMIAL.length - 1]);
    for (let i = TANH_POLYNOMIAL.length - 2; i >= 0; i--) {
      q = add(k.consume(k.run('Multiply', { a: q, b: s }), q), k.constant(TANH_POLYNOMIAL[i]));
    }
    const small = add(ac, mul(k.consume(k.run('Multiply', { a: ac, b: s }), s), q));
    const blended = add(k.run('Multiply', { a: m, b: large }), mul(sub(one, m), small));
    k.drop(large);
    return k.keep(mul(sign, blended));
  } finally {
    k.free();
  }
}
