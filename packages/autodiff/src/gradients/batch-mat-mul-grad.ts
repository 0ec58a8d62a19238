import * as tf from '@tensorflow/tfjs';
import { fastPaths } from '../fast-paths';
import { unbroadcast } from './grad-util';
import { defineGradient } from './gradient-spec';

/**
 * Swaps the last two axes. A reshape (no copy) when one of them has size 1 and `reshapeOk`; the caller allows
 * it only for a LEFT matMul operand: wasm's XNNPACK matMul caches the packed RIGHT operand by buffer id alone,
 * so a right operand that shares a buffer already packed under another shape reads stale packing (measured:
 * wrong values, then a crash in the wasm heap). Left operands are never packed.
 */
function swapLast(x: tf.Tensor, reshapeOk = false): tf.Tensor {
  const r = x.rank;
  const perm = x.shape.map((_, i) => i);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  if (reshapeOk && fastPaths.matMulForms && (x.shape[r - 1] === 1 || x.shape[r - 2] === 1)) {
    return tf.reshape(
      x,
      perm.map((p) => x.shape[p]),
    );
  }
  return tf.transpose(x, perm);
}

/** The sizes of `op(a) op(b)`: `[M, K] x [K, N]`. */
interface ProductShape {
  m: number;
  k: number;
  n: number;
  backend: string;
  transpose: readonly [boolean, boolean];
}

/**
 * One exact way to evaluate `op(a) op(b)`, chosen per call by the first rule whose `when` holds (see
 * {@link MAT_MUL_FORMS}). Every form computes the same sums of products; only the summation order (float32
 * rounding) may differ.
 */
interface MatMulForm {
  readonly name: string;
  readonly when: (s: ProductShape) => boolean;
  readonly apply: (a: tf.Tensor, b: tf.Tensor, transpose: readonly [boolean, boolean]) => tf.Tensor;
}

/** op(x) materialised for the left (`'a'`) or right (`'b'`) operand: x, or x with its last two axes swapped. */
const op = (x: tf.Tensor, t: boolean, side: 'a' | 'b') => (t ? swapLast(x, side === 'a') : x);

/**
 * The forms, as data, first match wins (measured on this machine, wasm, in one process:
 * `bench/wasm-speedups.ts` and `bench/mat-mul-forms.ts`).
 * - wasm, a transposed left operand with at most 4 output rows (first-layer weight gradients `x^T dz` for inputs
 *   of dimension <= 4, `ones^T dC` bias gradients): wasm's own loop with the `transposeA` flag beats XNNPACK,
 *   which repacks the whole right operand (K x N) on every call with a new tensor (~2.5 ns per element); per
 *   call, flag vs transpose + XNNPACK: K=512, N=200: 111 vs 330 us (M=1), 301 vs 320 (M=4), 424 vs 332 (M=6);
 *   K=3072, N=64: 185 vs 657 (M=1), 568 vs 647 (M=4), 859 vs 873 (M=6).
 * - wasm otherwise: materialised transposes, then XNNPACK (the flags run a naive loop there, 10x slower on
 *   [512,200]x[200,200]); a vector left operand is transposed by a reshape (no copy; see `swapLast`).
 * - other backends: the transpose flags (free there).
 */
export const MAT_MUL_FORMS: readonly MatMulForm[] = Object.freeze([
  {
    name: 'wasm, transposed left operand, at most 4 output rows: transposeA flag (no packing)',
    when: (s) => s.backend === 'wasm' && s.transpose[0] && !s.transpose[1] && s.m <= 4,
    apply: (a, b) => tf.matMul(a, b, true, false),
  },
  {
    name: 'wasm: materialised transposes, then XNNPACK',
    when: (s) => s.backend === 'wasm',
    apply: (a, b, [ta, tb]) => tf.matMul(op(a, ta, 'a'), op(b, tb, 'b')),
  },
  {
    name: 'transpose flags',
    when: () => true,
    apply: (a, b, [ta, tb]) => tf.matMul(a, b, ta, tb),
  },
]);

/** `op(a) op(b)` with op = transpose when asked, in the form {@link MAT_MUL_FORMS} picks. */
function product(a: tf.Tensor, b: tf.Tensor, transpose: readonly [boolean, boolean]): tf.Tensor {
  const [ta, tb] = transpose;
  const backend = tf.getBackend();
  if (!fastPaths.matMulForms) {
    if (backend !== 'wasm') return tf.matMul(a, b, ta, tb);
    return tf.matMul(ta ? swapLast(a) : a, tb ? swapLast(b) : b);
  }
  const ra = a.rank;
  const rb = b.rank;
  const s: ProductShape = {
    m: ta ? a.shape[ra - 1] : a.shape[ra - 2],
    k: ta ? a.shape[ra - 2] : a.shape[ra - 1],
    n: tb ? b.shape[rb - 2] : b.shape[rb - 1],
    backend,
    transpose,
  };
  const form = MAT_MUL_FORMS.find((f) => f.when(s)) as MatMulForm;
  return form.apply(a, b, transpose);
}

/**
 * d(op(a) op(b)): the four transpose cases, summed back over broadcast batch dimensions.
 * For C = A B: dA = dC B^T, dB = A^T dC.
 */
export const batchMatMulGrad = defineGradient({
  kernelName: 'BatchMatMul',
  inputsToSave: ['a', 'b'],
  why: 'correct at every order in tfjs 4.22, but it multiplies with transpose flags, ~10x slower on wasm than materialised transposes; also ignores batch broadcasting',
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved;
    const g = dy as tf.Tensor;
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    let da: () => tf.Tensor;
    let db: () => tf.Tensor;
    if (!transposeA && !transposeB) {
      da = () => product(g, b, [false, true]);
      db = () => product(a, g, [true, false]);
    } else if (!transposeA && transposeB) {
      da = () => product(g, b, [false, false]);
      db = () => product(g, a, [true, false]);
    } else if (transposeA && !transposeB) {
      da = () => product(b, g, [false, true]);
      db = () => product(a, g, [false, false]);
    } else {
      da = () => product(b, g, [true, true]);
      db = () => product(g, a, [true, true]);
    }
    return { a: () => unbroadcast(da(), a.shape), b: () => unbroadcast(db(), b.shape) };
  },
});
