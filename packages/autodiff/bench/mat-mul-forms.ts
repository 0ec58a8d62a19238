/**
 * Benchmark: the matMul gradient forms of `MAT_MUL_FORMS` (src/gradients/batch-mat-mul-grad.ts), measured in
 * one process. A weight gradient `a^T b` (a [K, M], b [K, N], b a new tensor on every call as in a backward
 * pass) with few output rows M: wasm's own loop with the `transposeA` flag against a materialised transpose
 * followed by XNNPACK (which repacks b, K x N, on every call), and bias-gradient sums over the rows of b: Sum
 * against `ones^T b` with the flag. Prints microseconds per call (25th percentile of rounds of 20 calls).
 *
 *   pnpm tsx packages/autodiff/bench/mat-mul-forms.ts [--backend wasm]
 */
import * as tf from '@tensorflow/tfjs';
import '../src/index';
import { argValue, table, useBackend } from './bench-util';

/** Microseconds per call of `op` (chained 20 times per round, 25 rounds, 25th percentile). */
function usPerCall(op: () => tf.Tensor): number {
  const n = 20;
  const times: number[] = [];
  for (let r = 0; r < 25; r++) {
    const t0 = performance.now();
    tf.tidy(() => {
      let last: tf.Tensor | null = null;
      for (let i = 0; i < n; i++) last = op();
      last?.dataSync();
    });
    times.push((performance.now() - t0) / n);
  }
  times.sort((p, q) => p - q);
  return times[Math.floor(times.length / 4)] * 1000;
}

/** One row per (K, N, M): the fresh-copy baseline and both forms of a^T b. */
export function benchMatMulForms(): string[][] {
  const rows: string[][] = [];
  for (const [k, n] of [
    [512, 200],
    [3072, 64],
    [1024, 64],
  ]) {
    const b = tf.randomNormal([k, n], 0, 1, 'float32', 1);
    const fresh = () => tf.mul(b, 1); // a new tensor each call, as in a gradient
    const base = usPerCall(fresh);
    const ones = tf.ones([k, 1]);
    rows.push([
      `${k}`,
      `${n}`,
      'sum over rows',
      base.toFixed(0),
      `${usPerCall(() => tf.matMul(ones, fresh(), true, false)).toFixed(0)} (ones^T b, flag)`,
      `${usPerCall(() => tf.sum(fresh(), 0)).toFixed(0)} (Sum)`,
    ]);
    for (const m of [1, 2, 3, 4, 6]) {
      const a = tf.randomNormal([k, m], 0, 1, 'float32', 2);
      rows.push([
        `${k}`,
        `${n}`,
        `a^T b, M = ${m}`,
        base.toFixed(0),
        `${usPerCall(() => tf.matMul(a, fresh(), true, false)).toFixed(0)} (flag)`,
        `${usPerCall(() => tf.matMul(tf.transpose(a), fresh())).toFixed(0)} (transpose + XNNPACK)`,
      ]);
      a.dispose();
    }
    tf.dispose([b, ones]);
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await useBackend(argValue('backend', 'wasm'));
  console.log(
    table(['K', 'N', 'product', 'fresh copy (us)', 'form 1 (us)', 'form 2 (us)'], benchMatMulForms()),
  );
}
