/**
 * Benchmark (b): per-row Hessians of a 3-64-64-1 tanh MLP at 1024 points: the batched fast path
 * (`hessian(f, { batched: true })`, one reverse-over-reverse pass over 3 stacked copies of the batch) vs a
 * per-point loop (`hessian(f)` on each point). Both results are compared entry by entry. Target: >= 20x.
 *
 *   pnpm tsx packages/autodiff/bench/batched-hessian.ts [--backend wasm|cpu] [--points 1024]
 */
import * as tf from '@tensorflow/tfjs';
import { hessian } from '../src/index';
import { argValue, table, timeMs, useBackend } from './bench-util';

export interface BatchedHessianResult {
  backend: string;
  points: number;
  batchedMs: number;
  loopMs: number;
  speedup: number;
  maxDifference: number;
  /** Largest |H| entry, to show the difference is relative to non-trivial values. */
  maxEntry: number;
}

/** Runs the benchmark on the active backend. */
export function benchBatchedHessian(points: number): BatchedHessianResult {
  const sizes = [3, 64, 64, 1];
  const weights: tf.Tensor[] = [];
  for (let l = 0; l < 3; l++) {
    weights.push(tf.randomNormal([sizes[l], sizes[l + 1]], 0, 1 / Math.sqrt(sizes[l]), 'float32', 10 + l));
    weights.push(tf.randomNormal([sizes[l + 1]], 0, 0.1, 'float32', 20 + l));
  }
  const mlp = (x: tf.Tensor) => {
    let h = x as tf.Tensor2D;
    for (let l = 0; l < 3; l++) {
      const z = tf.add(tf.matMul(h, weights[2 * l] as tf.Tensor2D), weights[2 * l + 1]);
      h = (l < 2 ? tf.tanh(z) : z) as tf.Tensor2D;
    }
    return h;
  };
  const x = tf.randomNormal([points, 3], 0, 1, 'float32', 5) as tf.Tensor2D;
  const rowwise = (t: tf.Tensor) => tf.reshape(mlp(t), [-1]);
  const single = (t: tf.Tensor) => tf.sum(mlp(tf.reshape(t, [1, 3])));
  const batchedHessian = hessian(rowwise, { batched: true });
  const pointHessian = hessian(single);

  // Read each result outside tf.tidy: a typed array returned from tidy is walked element by element by tfjs
  // (about 29 ms for the 9,216 values here on wasm), which the timing must not include.
  const readOnce = (compute: () => tf.Tensor): Float32Array => {
    const h = compute();
    const values = h.dataSync() as Float32Array;
    h.dispose();
    return values;
  };
  readOnce(() => batchedHessian(x)); // warm-up
  let batched: Float32Array = new Float32Array();
  const batchedRuns = [0, 1, 2].map(() =>
    timeMs(() => {
      batched = readOnce(() => batchedHessian(x));
    }),
  );
  const batchedMs = Math.min(...batchedRuns);

  const rows = tf.unstack(x);
  readOnce(() => pointHessian(rows[0])); // warm-up
  const loop = new Float32Array(points * 9);
  const loopMs = timeMs(() => {
    for (let i = 0; i < points; i++)
      loop.set(
        readOnce(() => pointHessian(rows[i])),
        i * 9,
      );
  });
  let maxDifference = 0;
  let maxEntry = 0;
  for (let i = 0; i < loop.length; i++) {
    maxDifference = Math.max(maxDifference, Math.abs(loop[i] - batched[i]));
    maxEntry = Math.max(maxEntry, Math.abs(loop[i]));
  }
  tf.dispose([...weights, x, ...rows]);
  return {
    backend: tf.getBackend(),
    points,
    batchedMs,
    loopMs,
    speedup: loopMs / batchedMs,
    maxDifference,
    maxEntry,
  };
}

/** Formats results as a markdown table. */
export function formatBatchedHessian(results: BatchedHessianResult[]): string {
  return table(
    [
      'backend',
      'points',
      'batched (ms)',
      'per-point loop (ms)',
      'speed-up',
      'max |H_batched - H_loop| (max |H|)',
      'target >= 20x',
    ],
    results.map((r) => [
      r.backend,
      String(r.points),
      r.batchedMs.toFixed(1),
      r.loopMs.toFixed(0),
      `${r.speedup.toFixed(0)}x`,
      `${r.maxDifference.toExponential(1)} (${r.maxEntry.toFixed(2)})`,
      r.speedup >= 20 ? 'met' : 'NOT met',
    ]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await useBackend(argValue('backend', 'wasm'));
  console.log(formatBatchedHessian([benchBatchedHessian(Number(argValue('points', '1024')))]));
}
