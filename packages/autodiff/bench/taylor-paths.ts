/**
 * Benchmark: the Taylor-mode paths before/after in ONE process, rounds interleaved. Workloads (the peer
 * benchmark's, `scripts/peer-bench/ours-task.mjs`):
 *  - kdv:     `partials` u_t, u_x, u_xxx of a 2-8x20-1 tanh MLP at 10,000 points, loss mean(r²) of the KdV
 *             residual r = u_t + u u_x + 0.0025 u_xxx and its gradient w.r.t. all 18 weights;
 *  - lapgrad: mean(Δu²) by the forward Laplacian of a 3-64-64-1 tanh MLP at 1,024 points, and its weight
 *             gradient;
 *  - laplacian, hessian: per-row Laplacians and Hessians of the same MLP (`laplacian`, `hessian`, batched).
 * Variants: `list` (one tensor per Taylor coefficient, per-kernel rules, the tape records every product) and
 * `stacked` (coefficients stacked on one axis, one tape node per elementwise kernel; the default). Prints
 * best and median ms per step, the tfjs kernel calls per step, and the loss of each (equal to float32 rounding).
 *
 *   pnpm tsx --conditions=@noether/source packages/autodiff/bench/taylor-paths.ts [--backend wasm|cpu|tensorflow]
 *     [--rounds 5]
 */
import * as tf from '@tensorflow/tfjs';
import { forwardLaplacian, hessian, laplacian, partials } from '../src/index';
import { rowJets } from '../src/taylor/row-jet';
import { argValue, median, table, useBackend } from './bench-util';

interface Workload {
  name: string;
  run: () => number;
  dispose: () => void;
}

function mlp(sizes: number[], seed: number) {
  const vars: tf.Variable[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const limit = Math.sqrt(6 / (sizes[l] + sizes[l + 1]));
    vars.push(tf.variable(tf.randomUniform([sizes[l], sizes[l + 1]], -limit, limit, 'float32', seed + l)));
    vars.push(tf.variable(tf.randomNormal([sizes[l + 1]], 0, 0.1, 'float32', seed + 20 + l)));
  }
  const apply = (x: tf.Tensor) => {
    let h = x;
    for (let i = 0; i < vars.length; i += 2) {
      h = tf.add(tf.matMul(h as tf.Tensor2D, vars[i]), vars[i + 1]);
      if (i + 2 < vars.length) h = tf.tanh(h);
    }
    return h;
  };
  return { vars, apply };
}

function lossAndGrads(loss: () => tf.Scalar, vars: tf.Variable[]): number {
  const { value, grads } = tf.variableGrads(loss, vars);
  const v = value.dataSync()[0];
  for (const g of Object.values(grads)) g.dataSync();
  tf.dispose([value, ...Object.values(grads)]);
  return v;
}

function kdv(): Workload {
  const { vars, apply } = mlp([2, 20, 20, 20, 20, 20, 20, 20, 20, 1], 1);
  const xt = tf.randomUniform([10_000, 2], 0, 2, 'float32', 7);
  const requests = [{ partial: [1] }, { partial: [0] }, { partial: [0, 0, 0] }];
  return {
    name: 'kdv (10,000 pts, 2-8x20-1)',
    run: () =>
      lossAndGrads(() => {
        const { value: u, derivatives } = partials(apply, xt, { requests, batched: true });
        const [ut, ux, uxxx] = derivatives;
        return tf.mean(tf.square(tf.add(tf.add(ut, tf.mul(u, ux)), tf.mul(uxxx, 0.0025))));
      }, vars),
    dispose: () => tf.dispose([...vars, xt]),
  };
}

function lapgrad(): Workload {
  const { vars, apply } = mlp([3, 64, 64, 1], 10);
  const x = tf.randomNormal([1024, 3], 0, 1, 'float32', 5);
  const f = (t: tf.Tensor) => tf.reshape(apply(t), [-1]);
  return {
    name: 'lapgrad (1,024 pts, 3-64-64-1)',
    run: () =>
      lossAndGrads(() => tf.mean(tf.square(forwardLaplacian(f, x, { batched: true }).laplacian)), vars),
    dispose: () => tf.dispose([...vars, x]),
  };
}

function forwardOnly(kind: 'laplacian' | 'hessian'): Workload {
  const { vars, apply } = mlp([3, 64, 64, 1], 10);
  const x = tf.randomNormal([1024, 3], 0, 1, 'float32', 5);
  const f = (t: tf.Tensor) => tf.reshape(apply(t), [-1]);
  const transform = kind === 'laplacian' ? laplacian(f, { batched: true }) : hessian(f, { batched: true });
  return {
    name: `${kind} (1,024 pts, 3-64-64-1, no weight gradient)`,
    run: () => tf.tidy(() => tf.sum(tf.abs(transform(x))).dataSync()[0]),
    dispose: () => tf.dispose([...vars, x]),
  };
}

/** tfjs kernel calls of one run (top-level and nested), counted on the engine. */
function kernelCalls(run: () => number): number {
  const engine = tf.engine() as unknown as { runKernelFunc: (...args: unknown[]) => unknown };
  const original = engine.runKernelFunc;
  let calls = 0;
  engine.runKernelFunc = function counting(this: unknown, ...args: unknown[]) {
    calls++;
    return original.apply(this, args);
  };
  try {
    run();
  } finally {
    engine.runKernelFunc = original;
  }
  return calls;
}

async function main() {
  const backend = argValue('backend', 'wasm');
  const rounds = Number(argValue('rounds', '5'));
  if (backend === 'tensorflow') {
    const moduleName = '@tensorflow/tfjs-node'; // after `pnpm setup:tfjs-node`
    await import(/* @vite-ignore */ moduleName);
  }
  await useBackend(backend);
  const variants = [
    { name: 'list', stacked: false },
    { name: 'rows', stacked: true },
  ];
  const rows: string[][] = [];
  const workloads = [kdv, lapgrad, () => forwardOnly('laplacian'), () => forwardOnly('hessian')];
  for (const make of workloads) {
    const w = make();
    const times = new Map<string, number[]>(variants.map((v) => [v.name, []]));
    const losses = new Map<string, number>();
    const calls = new Map<string, number>();
    for (const v of variants) {
      rowJets.enabled = v.stacked;
      losses.set(v.name, w.run()); // warm-up
      calls.set(v.name, kernelCalls(w.run));
    }
    for (let r = 0; r < rounds; r++) {
      for (const v of variants) {
        rowJets.enabled = v.stacked;
        const t0 = performance.now();
        w.run();
        times.get(v.name)?.push(performance.now() - t0);
      }
    }
    rowJets.enabled = true;
    for (const v of variants) {
      const t = times.get(v.name) ?? [];
      rows.push([
        w.name,
        v.name,
        Math.min(...t).toFixed(1),
        median(t).toFixed(1),
        String(calls.get(v.name)),
        (losses.get(v.name) ?? NaN).toPrecision(7),
      ]);
    }
    w.dispose();
  }
  console.log(`backend ${backend}, ${rounds} interleaved rounds`);
  console.log(table(['workload', 'variant', 'best ms', 'median ms', 'kernel calls', 'loss'], rows));
}

void main();
