import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { forwardLaplacian, laplacian } from '@noether/autodiff';
import { partials, sampleOnTimeLevels, timeGrid } from '@noether/pinn-proj';
await tf.setBackend(process.argv[2] ?? 'wasm'); await tf.ready();
function mlpVars(sizes: number[], seed: number) { const v: tf.Variable[] = []; for (let l = 0; l + 1 < sizes.length; l++) { v.push(tf.variable(tf.randomNormal([sizes[l], sizes[l + 1]], 0, 1 / Math.sqrt(sizes[l]), 'float32', seed + l))); v.push(tf.variable(tf.randomNormal([sizes[l + 1]], 0, 0.1, 'float32', seed + 10 + l))); } return v; }
function mlp(vars: tf.Variable[], x: tf.Tensor) { let h = x; for (let i = 0; i < vars.length; i += 2) { h = tf.add(tf.matMul(h, vars[i]), vars[i + 1]); if (i + 2 < vars.length) h = tf.tanh(h); } return h; }
const lv = mlpVars([3, 64, 64, 1], 10); const lx = tf.randomNormal([1024, 3], 0, 1, 'float32', 5);
const row = (t: tf.Tensor) => tf.reshape(mlp(lv, t), [-1]);
const kv = mlpVars([2, 20, 20, 20, 20, 20, 20, 20, 20, 1], 1);
const s = sampleOnTimeLevels({ times: timeGrid(0, 0.99, 100), pointsPerLevel: 100, spatial: [[0, 2]], seed: 1 });
const xt = tf.tensor2d(s.xt, [s.count, 2]);
const ku = (x: tf.Tensor2D) => tf.tidy(() => mlp(kv, x));
const runGrad = (loss: () => tf.Scalar, vars: tf.Variable[]) => { const { value, grads } = tf.variableGrads(loss, vars); value.dataSync(); for (const g of Object.values(grads)) g.dataSync(); tf.dispose([value, ...Object.values(grads)]); };
const tasks: Record<string, () => void> = {
  'lapgrad reverse': () => runGrad(() => tf.mean(tf.square(laplacian(row, { batched: true })(lx))), lv),
  'lapgrad forward': () => runGrad(() => tf.mean(tf.square(forwardLaplacian(row, lx, { batched: true }).laplacian)), lv),
  'laplacian reverse': () => tf.tidy(() => { laplacian(row, { batched: true })(lx).dataSync(); }),
  'laplacian forward': () => tf.tidy(() => { forwardLaplacian(row, lx, { batched: true }).laplacian.dataSync(); }),
  'kdv reverse': () => runGrad(() => { const d = partials(ku, xt, { names: ['t', 'x', 'xxx'], mode: 'reverse' }); return tf.mean(tf.square(tf.add(tf.add(d.t, tf.mul(d.u, d.x)), tf.mul(0.0025, d.xxx)))); }, kv),
  'kdv taylor': () => runGrad(() => { const d = partials(ku, xt, { names: ['t', 'x', 'xxx'], mode: 'taylor' }); return tf.mean(tf.square(tf.add(tf.add(d.t, tf.mul(d.u, d.x)), tf.mul(0.0025, d.xxx)))); }, kv),
};
const only = process.argv[3]?.split(',');
const best: Record<string, number> = {};
for (let round = 0; round < Number(process.argv[4] ?? 3); round++) for (const [n, f] of Object.entries(tasks)) { if (only && !only.some((o) => n.startsWith(o))) continue; f(); const t0 = performance.now(); f(); f(); const t = (performance.now() - t0) / 2; best[n] = Math.min(best[n] ?? Infinity, t); }
for (const [n, t] of Object.entries(best)) console.log(n.padEnd(20), t.toFixed(1), 'ms');
console.log('numTensors', tf.memory().numTensors);
