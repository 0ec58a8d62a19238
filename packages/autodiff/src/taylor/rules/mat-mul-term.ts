import * as tf from '@tensorflow/tfjs';
import { type AnyJet, isLive, isRowJet } from '../row-jet';
import { rowMatMul as rowMatMulNode } from '../row-mat-mul';

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** The broadcast of two batch shapes (numpy rules; both are valid by construction of the recorded kernel). */
function broadcastBatch(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/**
 * One term `p @ q` of a matrix-product jet, where `p` and/or `q` carry a leading direction axis, equal to
 * tfjs's broadcasting batched `matMul(p, q)` but never issuing a BatchMatMul whose batch dimensions broadcast:
 *
 * - when q has no batch (all its batch dimensions are 1) and p is not transposed, every row of p over all its
 *   leading axes goes through ONE rank-2 matMul `[rows, k] @ [k, n]` (the common case: a coefficient times a
 *   weight matrix);
 * - otherwise both factors are broadcast to the common batch shape and multiplied as one rank-3 batch.
 *
 * The second rule is also a correctness fix: TensorFlow 2.20's oneDNN BatchMatMulV2 (the tfjs-node
 * `tensorflow` backend built from the tensorflow-cpu wheel) returns garbage, and corrupts the heap, when the
 * operands' batch dimensions broadcast with a size-1 inner batch dimension (e.g. `[3, 1, m, k] @ [1, k, n]`,
 * the shape a coefficient of tf.fused.matMul's `[1, m, k]` operand has), which made jets through fused Dense
 * layers give NaN weight gradients on that backend.
 */
export function matMulTerm(
  operands: [tf.Tensor, tf.Tensor],
  transpose: { a: boolean; b: boolean },
): tf.Tensor {
  const [p, q] = operands;
  const batchP = p.shape.slice(0, -2);
  const batchQ = q.shape.slice(0, -2);
  const [pr, pc] = p.shape.slice(-2) as [number, number];
  const [qr, qc] = q.shape.slice(-2) as [number, number];
  const m = transpose.a ? pc : pr;
  const n = transpose.b ? qr : qc;
  const outBatch = broadcastBatch(batchP, batchQ);
  const outShape = [...outBatch, m, n];
  if (product(batchQ) === 1 && !transpose.a) {
    const q2 = batchQ.length === 0 ? q : tf.reshape(q, [qr, qc]);
    const p2 = batchP.length === 0 ? p : tf.reshape(p, [product(batchP) * pr, pc]);
    const flat = tf.matMul(p2, q2, false, transpose.b);
    return batchP.length === 0 && batchQ.length === 0 ? flat : tf.reshape(flat, outShape);
  }
  const size = product(outBatch);
  const asBatch = (t: tf.Tensor, batch: number[], rc: [number, number]) => {
    const full = product(batch) === size ? t : tf.broadcastTo(t, [...outBatch, ...rc]);
    return tf.reshape(full, [size, ...rc]);
  };
  const out = tf.matMul(asBatch(p, batchP, [pr, pc]), asBatch(q, batchQ, [qr, qc]), transpose.a, transpose.b);
  return tf.reshape(out, outShape);
}

/**
 * The rows of `a @ b` when a is in the row layout (a rank-2 operand, not transposed) and b is a constant rank-2
 * matrix (a weight): one plain rank-2 matMul per nonzero row (the form tfjs-wasm runs on XNNPACK), all in one
 * tape node (`row-mat-mul.ts`). `null` for anything else (the list rule runs).
 */
export function rowMatMul(operands: {
  a: AnyJet;
  b: AnyJet;
  transposeA: boolean;
  transposeB: boolean;
}): (tf.Tensor | null)[][] | null {
  const { a, b, transposeA, transposeB } = operands;
  if (!isRowJet(a) || isLive(b) || transposeA || a.primal.rank !== 2 || b.primal.rank !== 2) return null;
  const live = a.rows.flat().filter((r): r is tf.Tensor => r !== null);
  const out = rowMatMulNode(live, b.primal, transposeB);
  let next = 0;
  return a.rows.map((c) => c.map((r) => (r === null ? null : out[next++])));
}
