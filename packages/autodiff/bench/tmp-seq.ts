import * as tf from '@tensorflow/tfjs';
import { grad } from '../src/index';
import { fastPaths } from '../src/fast-paths';
import { useOrderSafeGradients } from '../src/register-gradients';
import { argValue, useBackend } from './bench-util';
await useBackend(argValue('backend', 'wasm'));
const off = argValue('off', '').split(',').filter(Boolean);
for (const k of off) (fastPaths as Record<string, boolean>)[k] = false;
useOrderSafeGradients();
const sizes = [4, 200, 200, 1]; const params: tf.Tensor[] = [];
for (let l = 0; l < 3; l++) { params.push(tf.randomNormal([sizes[l], sizes[l + 1]], 0, 1 / Math.sqrt(sizes[l]), 'float32', l + 1)); params.push(tf.zeros([sizes[l + 1]])); }
const mlp = (x: tf.Tensor, p: tf.Tensor[]) => { let h = x; for (let i = 0; i < 6; i += 2) { h = tf.add(tf.matMul(h as tf.Tensor2D, p[i] as tf.Tensor2D), p[i + 1]); if (i + 2 < 6) h = tf.tanh(h); } return h; };
const x = tf.randomNormal([512, 4], 0, 1, 'float32', 42); const target = tf.randomNormal([512, 4], 0, 1, 'float32', 43);
const loss = (...p: tf.Tensor[]) => { const H = (t: tf.Tensor) => tf.sum(mlp(t, [...p, params[5]])); const [dq, dp] = tf.split(grad(H)(x), 2, 1); return tf.mean(tf.square(tf.sub(tf.concat([dp, tf.neg(dq)], 1), target))) as tf.Scalar; };
const step = () => { const { value, grads } = tf.valueAndGrads(loss)(params.slice(0, 5)); value.dataSync(); tf.dispose([value, ...grads]); };
for (let i = 0; i < 3; i++) step();
let depth = 0;
const acc = new Map<string, { n: number; ms: number }>();
const names = ['BatchMatMul','Tanh','Transpose','Multiply','Identity','Concat','SplitV','Sigmoid','Add','Sub','Abs','Mean','Sum','Reshape','Square','Neg','RealDiv','Step','Sign','Cast','Sqrt'];
for (const name of names) {
  const cfg = tf.getKernel(name, tf.getBackend()) as { kernelFunc: (a: unknown) => unknown } | undefined;
  if (!cfg) continue;
  const inner = cfg.kernelFunc;
  cfg.kernelFunc = (a: unknown) => { if (depth > 0) return inner(a); depth++; const t0 = performance.now(); let o; try { o = inner(a); } finally { depth--; } const ms = performance.now() - t0;
    const args = a as { inputs: Record<string, tf.TensorInfo> };
    const key = argValue('shapes', '') === '1' ? `${name} ${Object.values(args.inputs).map((t) => `[${t.shape}]`).join('')}` : name;
    const e = acc.get(key) ?? { n: 0, ms: 0 }; e.n++; e.ms += ms; acc.set(key, e); return o; };
}
const reps = Number(argValue('reps', '20'));
const walls: number[] = [];
for (let r = 0; r < reps; r++) { const t0 = performance.now(); step(); walls.push(performance.now() - t0); }
let tot = 0, n = 0;
for (const [k, e] of [...acc].sort((a, b) => b[1].ms - a[1].ms)) { tot += e.ms; n += e.n; console.log(k.padEnd(40), (e.n / reps).toFixed(1).padStart(5), (e.ms / reps).toFixed(3).padStart(8), 'ms'); }
walls.sort((a, b) => a - b);
console.log('kernels', (n / reps).toFixed(0), 'kernel ms', (tot / reps).toFixed(2), 'median wall', walls[reps >> 1].toFixed(2), 'min wall', walls[0].toFixed(2));
