/**
 * Benchmark (a): one HNN training step — batch 512, MLP 4-200-200-1 tanh, loss = MSE of J ∇_x H against
 * targets, Adam — with the order-safe gradients vs tfjs 4.22's own (wrong but runnable) gradients, measured
 * in the same process by swapping the registry (`useTfjsGradients` / `useOrderSafeGradients`), in alternating
 * blocks so drift affects both equally. Target: order-safe <= 1.25x the tfjs time.
 *
 *   pnpm tsx packages/autodiff/bench/hnn-training-step.ts [--backend wasm|cpu] [--steps 20]
 */
import * as tf from '@tensorflow/tfjs';
import { grad } from '../src/index';
import { useOrderSafeGradients, useTfjsGradients } from '../src/register-gradients';
import { installTapeOrderFix } from '../src/tape-order-fix';
import { argValue, median, table, timeMs, useBackend } from './bench-util';

export interface HnnStepResult {
  backend: string;
  orderSafeMs: number;
  tfjsMs: number;
  /** tfjs's own gradients plus the tape-order fix: exact for a tanh MLP with the fewest kernels. */
  minimalExactMs: number;
  ratio: number;
}

/** Runs the benchmark on the active backend. */
export function benchHnnStep(steps: number, options: { tfjsMatMulGradient?: boolean } = {}): HnnStepResult {
  // Ablation: keep tfjs's own BatchMatMul gradient inside the order-safe set, to separate the exactness
  // cost from the speed-up of the materialised-transpose BatchMatMul gradient.
  useTfjsGradients();
  const tfjsMatMul = tf.getGradient('BatchMatMul');
  const useOrderSafe = () => {
    useOrderSafeGradients();
    if (options.tfjsMatMulGradient) tf.registerGradient(tfjsMatMul);
  };
  const sizes = [4, 200, 200, 1];
  const params: tf.Variable[] = [];
  for (let l = 0; l < 3; l++) {
    params.push(
      tf.variable(tf.randomNormal([sizes[l], sizes[l + 1]], 0, 1 / Math.sqrt(sizes[l]), 'float32', l + 1)),
    );
    params.push(tf.variable(tf.zeros([sizes[l + 1]])));
  }
  const H = (x: tf.Tensor) => {
    let h = x as tf.Tensor2D;
    for (let l = 0; l < 3; l++) {
      const z = tf.add(tf.matMul(h, params[2 * l] as tf.Variable<tf.Rank.R2>), params[2 * l + 1]);
      h = (l < 2 ? tf.tanh(z) : z) as tf.Tensor2D;
    }
    return tf.sum(h);
  };
  const x = tf.randomNormal([512, 4], 0, 1, 'float32', 42);
  const target = tf.randomNormal([512, 4], 0, 1, 'float32', 43);
  const optimizer = tf.train.adam(1e-3);
  const step = () => {
    const loss = optimizer.minimize(
      () => {
        const g = grad(H)(x) as tf.Tensor2D;
        const [dq, dp] = tf.split(g, 2, 1);
        return tf.mean(tf.square(tf.sub(tf.concat([dp, tf.neg(dq)], 1), target))) as tf.Scalar;
      },
      true,
      params,
    );
    loss?.dataSync();
    loss?.dispose();
  };
  const orderSafe: number[] = [];
  const tfjs: number[] = [];
  const minimalExact: number[] = [];
  const blocks = 4;
  const perBlock = Math.max(1, Math.round(steps / blocks));
  for (let b = 0; b < blocks; b++) {
    for (const mode of ['order-safe', 'tfjs', 'minimal-exact'] as const) {
      if (mode === 'order-safe') useOrderSafe();
      else useTfjsGradients();
      if (mode === 'minimal-exact') installTapeOrderFix();
      step(); // warm-up of this mode's kernels
      const sink = mode === 'tfjs' ? tfjs : mode === 'order-safe' ? orderSafe : minimalExact;
      for (let i = 0; i < perBlock; i++) sink.push(timeMs(step));
    }
  }
  useOrderSafeGradients();
  optimizer.dispose();
  tf.dispose([...params, x, target]);
  const orderSafeMs = median(orderSafe);
  const tfjsMs = median(tfjs);
  return {
    backend: `${tf.getBackend()}${options.tfjsMatMulGradient ? " (tfjs's BatchMatMul grad)" : ''}`,
    orderSafeMs,
    tfjsMs,
    minimalExactMs: median(minimalExact),
    ratio: orderSafeMs / tfjsMs,
  };
}

/** Footnote explaining the third column. */
export const MINIMAL_EXACT_NOTE =
  "* the same step with tfjs's own gradient formulas made exact by the tape-order fix (saved outputs, no " +
  "recomputation): the cost of an exact step without this package's rewrites. The wrong tfjs step is cheaper " +
  "because it drops every term through tanh'(z), i.e. 3 of the 14 matMuls.";

/** Formats results as a markdown table. */
export function formatHnnStep(results: HnnStepResult[]): string {
  return table(
    [
      'backend',
      'order-safe (ms/step)',
      'tfjs 4.22, wrong (ms/step)',
      'tfjs formulas + tape fix, exact* (ms/step)',
      'ratio order-safe / tfjs',
      'target <= 1.25x',
    ],
    results.map((r) => [
      r.backend,
      r.orderSafeMs.toFixed(1),
      r.tfjsMs.toFixed(1),
      `${r.minimalExactMs.toFixed(1)} (${(r.minimalExactMs / r.tfjsMs).toFixed(2)}x)`,
      `${r.ratio.toFixed(2)}x`,
      r.ratio <= 1.25 ? 'met' : 'NOT met',
    ]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const backend = argValue('backend', 'wasm');
  await useBackend(backend);
  console.log(formatHnnStep([benchHnnStep(Number(argValue('steps', backend === 'cpu' ? '8' : '20')))]));
  console.log(MINIMAL_EXACT_NOTE);
}
