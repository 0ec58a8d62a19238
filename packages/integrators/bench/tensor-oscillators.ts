/**
 * Tensor path benchmark: 1e4 harmonic oscillators x 1e3 leapfrog steps as one batched float32 rollout
 * on the wasm and cpu backends, in trajectory-steps per second, against the float64 path doing the same
 * work (1e4 independent Float64Array rollouts) in the same run.
 * Run: pnpm --filter @noether/integrators bench  (or: pnpm tsx --conditions=@noether/source bench/tensor-oscillators.ts)
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import ndarray from 'ndarray';
import { integrate, separable } from '../src/index';

const BATCH = 10_000;
const STEPS = 1_000;
const DT = 0.01;

const osc = separable<tf.Tensor>({
  dTdp: (p) => p,
  dVdq: (q) => q,
});
const osc64 = separable({
  dTdp: (p, out = new Float64Array(p.length)) => {
    out[0] = p[0];
    return out;
  },
  dVdq: (q, out = new Float64Array(q.length)) => {
    out[0] = q[0];
    return out;
  },
});

const init = new Float32Array(2 * BATCH);
for (let i = 0; i < BATCH; i++) {
  init[2 * i] = Math.cos((2 * Math.PI * i) / BATCH);
  init[2 * i + 1] = Math.sin((2 * Math.PI * i) / BATCH);
}

const rows: string[] = [];
let refRate: number;
{
  const x0 = ndarray(Float64Array.from(init), [BATCH, 2]);
  integrate('leapfrog', osc64, {
    x0: ndarray(Float64Array.from(init.subarray(0, 200)), [100, 2]),
    dt: DT,
    steps: STEPS,
    saveEvery: STEPS,
  });
  const t = performance.now();
  const r = integrate('leapfrog', osc64, { x0, dt: DT, steps: STEPS, saveEvery: STEPS });
  const s = (performance.now() - t) / 1000;
  refRate = (BATCH * STEPS) / s;
  const err = Math.abs(r.final[0] - Math.cos(STEPS * DT));
  rows.push(
    `| float64 (Float64Array, per row) | ${s.toFixed(2)} | ${refRate.toExponential(2)} | 1.00 | ${err.toExponential(1)} |`,
  );
}
for (const backend of ['wasm', 'cpu'] as const) {
  await tf.setBackend(backend);
  await tf.ready();
  const x0 = tf.tensor2d(init, [BATCH, 2]);
  // warm-up (kernel compilation / first allocations)
  const w = integrate('leapfrog', osc, { x0, dt: DT, steps: 10, saveEvery: 10 });
  tf.dispose([w.x, w.final]);
  const before = tf.memory().numTensors;
  const t = performance.now();
  const r = integrate('leapfrog', osc, { x0, dt: DT, steps: STEPS, saveEvery: STEPS });
  const first = (await r.final.data())[0]; // waits for the backend to finish
  const s = (performance.now() - t) / 1000;
  const rate = (BATCH * STEPS) / s;
  tf.dispose([r.x, r.final]);
  const leaked = tf.memory().numTensors - before;
  rows.push(
    `| tensor float32, ${backend} | ${s.toFixed(2)} | ${rate.toExponential(2)} | ${(rate / refRate).toFixed(2)} | ${Math.abs(first - Math.cos(STEPS * DT)).toExponential(1)} |${leaked ? ` leaked ${leaked}` : ''}`,
  );
  x0.dispose();
}
console.log(`\nleapfrog rollout of ${BATCH} harmonic oscillators x ${STEPS} steps (dt ${DT})`);
console.log('| path | seconds | trajectory-steps/s | vs float64 | error in q (row 0) |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(r);
