/**
 * Benchmark: one Noether's Razor training step at the reduced settings (2 oscillators, batch 100
 * transitions, S = 16 flows, M_mc = 1, 5 Euler substeps, ELU MLP 64 x 2, K = 30 slots, Adam with groups):
 * wall-clock and CPU time per step, the share of time in MatMul kernels, and the batched symmetrisation
 * against a per-sample loop (S separate network passes) measured in the same process.
 *
 * Run: pnpm --filter @noether/razor bench [backend ...]   (default: wasm cpu; tensorflow when tfjs-node loads)
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { adamOptimizer, cosineSchedule, createTrainer, type Trainer } from '@noether/optim';
import {
  createRazorModel,
  eulerPredict,
  razorLoss,
  symmetrisedGradient,
  type Flows,
  type NetworkWeights,
} from '../src/index';
import { oscillatorTransitions } from '../src/test-fixtures';

function cpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function stepTime(backend: string, rounds: number) {
  await tf.setBackend(backend);
  await tf.ready();
  // two unit oscillators, the Razor train split (q ~ N(0, 1), p ~ N(0, 0.25)), exact rotations
  const d = oscillatorTransitions(2, { count: 200, steps: 50, dt: 0.2, seed: 12345 });
  const model = createRazorModel({ dim: 4, seed: 1, etaInitStd: 0.01 });
  let trainer: Trainer | null = null;
  const loss = razorLoss(model, d, { dt: 0.2, batchSize: 100, step: () => trainer?.step ?? 0 });
  const symmetry = new Set(model.symmetryVariables);
  trainer = createTrainer({
    variables: [...model.variables],
    loss,
    optimizer: adamOptimizer({
      learningRate: 1e-3,
      groups: [{ match: (v) => symmetry.has(v), learningRate: 1e-2 }],
      schedule: cosineSchedule({ steps: 8000 }),
    }),
  });
  const created = trainer;
  for (let i = 0; i < 3; i++) created.runStep();
  // MatMul share: time BatchMatMul kernels via the profiler on one step.
  const profile = await tf.profile(() => {
    created.runStep();
  });
  const kernelMs = profile.kernels.reduce((a, k) => a + (Number(k.kernelTimeMs) || 0), 0);
  const matMulMs = profile.kernels
    .filter((k) => k.name === 'BatchMatMul' || k.name === '_FusedMatMul')
    .reduce((a, k) => a + (Number(k.kernelTimeMs) || 0), 0);
  const t0 = performance.now();
  const c0 = cpuSeconds();
  for (let i = 0; i < rounds; i++) trainer.runStep();
  const wall = (performance.now() - t0) / 1000 / rounds;
  const cpu = (cpuSeconds() - c0) / rounds;
  // Batched symmetrisation vs a per-sample loop (forward + training gradient), same weights and flows.
  const weights = model.weights(1);
  const flows = model.flows(0);
  const xb = tf.slice(d.x, [0, 0], [100, 4]) as tf.Tensor2D;
  const perSample = (w: NetworkWeights, f: Flows, x: tf.Tensor2D) => {
    const s = f.linear.shape[0];
    const parts: tf.Tensor[] = [];
    for (let i = 0; i < s; i++) {
      const one = {
        linear: tf.slice(f.linear, [i, 0, 0], [1, 4, 4]) as tf.Tensor3D,
        shift: tf.slice(f.shift, [i, 0], [1, 4]) as tf.Tensor2D,
      };
      parts.push(symmetrisedGradient({ weights: w, flows: one }, x));
    }
    return tf.mul(tf.addN(parts), 1 / s) as tf.Tensor2D;
  };
  const time = (f: () => void, n: number) => {
    f();
    const t = performance.now();
    for (let i = 0; i < n; i++) f();
    return (performance.now() - t) / n;
  };
  const batchedMs = time(
    () => tf.tidy(() => void eulerPredict({ weights, flows }, xb, { dt: 0.2, substeps: 5 })),
    5,
  );
  const loopMs = time(
    () =>
      tf.tidy(() => {
        let x = xb;
        for (let k = 0; k < 5; k++) x = tf.add(x, tf.mul(perSample(weights, flows, x), 0.04)) as tf.Tensor2D;
      }),
    5,
  );
  tf.dispose([
    weights as unknown as tf.TensorContainer,
    flows as unknown as tf.TensorContainer,
    xb,
    d.x,
    d.y,
  ]);
  trainer.dispose();
  model.dispose();
  return { backend, wall, cpu, matMulShare: matMulMs / kernelMs, batchedMs, loopMs };
}

async function main() {
  const backends = process.argv.slice(2).length ? process.argv.slice(2) : ['wasm', 'cpu'];
  try {
    await import('@tensorflow/tfjs-node' as string);
    if (!backends.includes('tensorflow')) backends.unshift('tensorflow');
  } catch {
    console.log('tensorflow backend: @tensorflow/tfjs-node not installed (skipped)');
  }
  console.log(
    '| backend | wall s/step | CPU s/step | MatMul share | Euler 5 substeps batched (ms) | per-sample loop (ms) |',
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const b of backends) {
    const r = await stepTime(b, b === 'cpu' ? 3 : 30);
    console.log(
      `| ${r.backend} | ${r.wall.toFixed(4)} | ${r.cpu.toFixed(4)} | ${(100 * r.matMulShare).toFixed(0)}% | ${r.batchedMs.toFixed(1)} | ${r.loopMs.toFixed(1)} |`,
    );
  }
  console.log(
    `(machine shared with other jobs: ${(await import('node:os')).loadavg()[0].toFixed(1)} load average)`,
  );
}

void main();
