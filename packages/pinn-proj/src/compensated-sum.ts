import * as tf from '@tensorflow/tfjs';

/** A float32 double-float value `hi + lo` (unevaluated sum), per row: two `[rows, 1]` tensors. */
export interface DoubleFloat {
  hi: tf.Tensor2D;
  lo: tf.Tensor2D;
}

/**
 * Row sums of `p` (`[rows, n]` float32) as unevaluated pairs `hi + lo`, accurate to about `n³ eps²` of
 * `max|p|` in the worst case (`eps = 2^-24`), whatever order the backend's `tf.sum` adds in (the wasm
 * backend adds sequentially in float32, error up to `n eps Σ|p|`; the cpu backend in float64).
 *
 * Math (error-free extraction, Rump, Ogita & Oishi 2008, Alg. 3.2 with a non-power-of-two σ): per row
 * `σ = 8 · 2^⌈log2 n⌉ · max_j |p_j|` (an exact scaling), `q_j = fl(fl(σ + p_j) - σ)`, `r_j = fl(p_j - q_j)`.
 * Then `p_j = q_j + r_j` exactly, every `q_j` is a multiple of `ulp(σ)/2` with `Σ |q_j| <= σ/2`, so every
 * partial sum of the `q_j` is a float32 and `hi = Σ q_j` is EXACT in any summation order; `|r_j| <= ulp(σ)`,
 * so `lo = fl(Σ r_j)` carries the rest with error `<= n eps Σ|r_j| <= n² eps ulp(σ)`. Five element-wise ops
 * and three row reductions, independent of n (no sequential loop, no log2(n) tree). Gradients: `hi + lo`
 * has the gradient of `Σ p` (the σ terms cancel exactly), to every order.
 *
 * Requires finite `p` with `max|p| · 8 · 2^⌈log2 n⌉` finite; NaN/Inf propagate to both parts.
 *
 * @param p - `[rows, n]` float32, borrowed.
 * @returns `{ hi, lo }`, each `[rows, 1]`, owned by the caller.
 * @example
 * const { hi, lo } = compensatedRowSum(tf.mul(U, wRow)); // I1 = Σ w u as hi + lo
 * @see S. M. Rump, T. Ogita, S. Oishi, "Accurate floating-point summation part I: faithful rounding",
 *   SIAM J. Sci. Comput. 31 (2008), Lemma 3.3 / Alg. 3.2 (ExtractVector).
 */
export function compensatedRowSum(p: tf.Tensor2D): DoubleFloat {
  return tf.tidy(() => {
    const n = p.shape[1];
    const factor = 8 * 2 ** Math.ceil(Math.log2(Math.max(n, 1)));
    const sigma = extractionScale(p, factor);
    const q = tf.sub(tf.add(sigma, p), sigma);
    const r = tf.sub(p, q);
    const hi = tf.sum(q, 1, true) as tf.Tensor2D;
    const lo = tf.sum(r, 1, true) as tf.Tensor2D;
    return { hi, lo };
  });
}

/**
 * `σ = factor · max_j |p_j|` per row, with zero gradient to every order: a custom-gradient op, so the tape
 * records neither `max` (whose gradient uses `equal`, which has none) nor `abs`. σ only positions the
 * extraction; `hi + lo` does not depend on it.
 */
function extractionScale(p: tf.Tensor2D, factor: number): tf.Tensor2D {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const x = args[0] as tf.Tensor;
    return { value: tf.mul(tf.max(tf.abs(x), 1, true), factor), gradFunc: () => tf.zerosLike(x) };
  });
  return op(p) as tf.Tensor2D;
}

/**
 * `c - x` for double-float `c` and `x` (`[rows, 1]` each), rounded to float32: `s + ((c_hi - x_hi - s) +
 * (c_lo - x_lo))` with the error-free TwoSum of `c_hi - x_hi`. Relative error about `eps` of the result plus
 * `eps` of `|c_lo - x_lo|` (i.e. about `eps²` of `c`), so a small difference of two nearly equal integrals
 * keeps full float32 relative precision. Differentiable (the TwoSum error term has zero gradient).
 *
 * @returns `[rows, 1]`, owned by the caller.
 */
export function doubleFloatDifference(c: DoubleFloat, x: DoubleFloat): tf.Tensor2D {
  return tf.tidy(() => {
    const a = c.hi;
    const b = tf.neg(x.hi);
    const s = tf.add(a, b);
    const bb = tf.sub(s, a);
    const err = tf.add(tf.sub(a, tf.sub(s, bb)), tf.sub(b, bb));
    return tf.add(s, tf.add(err, tf.sub(c.lo, x.lo))) as tf.Tensor2D;
  });
}

/** Float64 values as float32 `hi + lo` columns `[rows, 1]`: `hi = fround(c)`, `lo = fround(c - hi)`. */
export function doubleFloatColumn(values: ArrayLike<number>): DoubleFloat {
  const hi = Float32Array.from(values);
  const lo = Float32Array.from(values, (v, i) => v - hi[i]);
  return { hi: tf.tensor2d(hi, [hi.length, 1]), lo: tf.tensor2d(lo, [lo.length, 1]) };
}

/** Error-free sum: `a + b = s + err` exactly (Knuth's TwoSum, 6 float32 ops, any magnitudes). */
export function twoSum(a: tf.Tensor, b: tf.Tensor): { s: tf.Tensor; err: tf.Tensor } {
  const s = tf.add(a, b);
  const bb = tf.sub(s, a);
  return { s, err: tf.add(tf.sub(a, tf.sub(s, bb)), tf.sub(b, bb)) };
}

/** Veltkamp split of float32 `x` into 12-bit halves `hi + lo = x` (factor 2^12 + 1). */
function split(x: tf.Tensor): { hi: tf.Tensor; lo: tf.Tensor } {
  const c = tf.mul(x, 4097);
  const hi = tf.sub(c, tf.sub(c, x));
  return { hi, lo: tf.sub(x, hi) };
}

/** Error-free product: `a * b = p + err` exactly (Dekker's TwoProduct without FMA; no overflow assumed). */
export function twoProduct(a: tf.Tensor, b: tf.Tensor): { p: tf.Tensor; err: tf.Tensor } {
  const p = tf.mul(a, b);
  const x = split(a);
  const y = split(b);
  const err = tf.add(
    tf.add(tf.add(tf.sub(tf.mul(x.hi, y.hi), p), tf.mul(x.hi, y.lo)), tf.mul(x.lo, y.hi)),
    tf.mul(x.lo, y.lo),
  );
  return { p, err };
}
