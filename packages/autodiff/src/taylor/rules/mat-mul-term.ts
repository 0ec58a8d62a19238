import * as tf from '@tensorflow/tfjs';

/**
 * One term `p @ q` of a matrix-product jet, where `p` and/or `q` carry a leading direction axis. A
 * coefficient times a plain rank-2 matrix is folded into ONE rank-2 matMul over `[S * m, n]` rows; other cases
 * use tfjs's broadcasting batched matMul.
 */
export function matMulTerm(
  operands: [tf.Tensor, tf.Tensor],
  lead: { p: boolean; q: boolean },
  transpose: { a: boolean; b: boolean },
): tf.Tensor {
  const [p, q] = operands;
  if (lead.p && !lead.q && p.rank === 3 && q.rank === 2 && !transpose.a) {
    const [s, m, n] = p.shape;
    const flat = tf.matMul(tf.reshape(p, [s * m, n]), q, false, transpose.b);
    return tf.reshape(flat, [s, m, flat.shape[1] as number]);
  }
  return tf.matMul(p, q, transpose.a, transpose.b);
}
