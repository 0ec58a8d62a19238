import * as tf from '@tensorflow/tfjs';

/**
 * `[c_1 r, c_2 r², ..., c_count r^count] * scale` with `c_n = Π_{j<n} (p - j)` (the falling factorial of p),
 * the derivatives of `x^p = scale` when `r = 1/x`. A zero falling factorial (integer p >= 0, n > p) gives
 * `null`, an exact zero that stays exact at x = 0.
 */
export function fallingPowers(
  base: { scale: tf.Tensor; r: tf.Tensor },
  p: number,
  count: number,
): (tf.Tensor | null)[] {
  const { scale, r } = base;
  const out: (tf.Tensor | null)[] = [];
  let c = 1;
  let rn: tf.Tensor = scale;
  for (let n = 1; n <= count; n++) {
    c *= p - (n - 1);
    rn = tf.mul(rn, r);
    out.push(c === 0 ? null : tf.mul(rn, c));
  }
  return out;
}
