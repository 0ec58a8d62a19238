import * as tf from '@tensorflow/tfjs';
import { type CustomNodeBackward, customNode } from './custom-node';

/** `p @ q` with optional transposes; on wasm the transposes are materialised (see `swapped`). */
function product(p: tf.Tensor, q: tf.Tensor, transpose: { a: boolean; b: boolean }): tf.Tensor {
  if (tf.getBackend() !== 'wasm') return tf.matMul(p, q, transpose.a, transpose.b);
  // tfjs-wasm runs BatchMatMul on XNNPACK only without transpose flags (~10x faster than its flagged loop)
  return tf.matMul(transpose.a ? tf.transpose(p) : p, transpose.b ? tf.transpose(q) : q);
}

/**
 * The rows `a_r @ op(w)` of a matrix product whose left operand carries the jet (rank 2, the rows of every
 * order and direction) and whose right operand `w` is constant in x (a weight), as ONE tape node: one plain
 * matMul per row forward; backward `da_r = g_r @ op(w)ᵀ` (w transposed once) and `dw = Σ_r` of the rows'
 * products, summed here. Compared with one BatchMatMul tape node per row, w is saved and transposed once and
 * the rows are saved without copies (see {@link customNode}).
 */
export function rowMatMul(rows: readonly tf.Tensor[], w: tf.Tensor, transposeB: boolean): tf.Tensor[] {
  const inputs: Record<string, tf.Tensor> = { w };
  rows.forEach((r, i) => (inputs[`a${i}`] = r));
  const forward = () => ({
    outputs: rows.map((r) => tf.matMul(r, w, false, transposeB)),
    save: [w, ...rows],
  });
  const backward = ({ dys, saved }: CustomNodeBackward) => {
    const [ws, ...as] = saved;
    // y = a w: da = g wᵀ, dw = aᵀ g;  y = a wᵀ: da = g w, dw = gᵀ a
    const wForA = transposeB ? ws : tf.transpose(ws);
    const grads: Record<string, tf.Tensor> = {};
    let dw: tf.Tensor | null = null;
    as.forEach((a, i) => {
      const g = dys[i];
      grads[`a${i}`] = tf.matMul(g, wForA);
      const term = transposeB ? product(g, a, { a: true, b: false }) : product(a, g, { a: true, b: false });
      dw = dw === null ? term : tf.add(dw, term);
    });
    grads.w = dw ?? tf.zerosLike(ws);
    return grads;
  };
  return customNode({ inputs, forward, backward });
}
