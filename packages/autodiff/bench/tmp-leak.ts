import * as tf from '@tensorflow/tfjs';
import '../src/index';
import { reversePass } from '../src/core-gradients';
import { fastPaths } from '../src/fast-paths';
import { useOrderSafeGradients } from '../src/register-gradients';
await tf.setBackend('cpu');
const nth = (f: (t: tf.Tensor) => tf.Tensor, t: tf.Tensor, k: number): tf.Tensor => k === 0 ? f(t) : reversePass(() => tf.sum(nth(f, t, k - 1)), t).grad;
const check = (name: string, fn: () => void) => { fn(); const n0 = tf.memory().numTensors; fn(); console.log(name, tf.memory().numTensors - n0); };
for (const k of [1, 2, 3]) check(`tanh order ${k}`, () => tf.tidy(() => { nth(tf.tanh, tf.tensor1d([0.5, 1]), k); }));
check('sum', () => tf.tidy(() => { nth((x) => tf.sum(tf.square(x)), tf.tensor1d([0.5, 1]), 2); }));
check('mean', () => tf.tidy(() => { nth((x) => tf.mean(tf.square(x)), tf.tensor1d([0.5, 1]), 2); }));
check('add', () => tf.tidy(() => { nth((x) => tf.add(tf.square(x), x), tf.tensor1d([0.5, 1]), 2); }));
fastPaths.fusedActivationGrads = false;
for (const k of [1, 2, 3]) check(`unfused tanh order ${k}`, () => tf.tidy(() => { nth(tf.tanh, tf.tensor1d([0.5, 1]), k); }));
fastPaths.leanGradients = false; useOrderSafeGradients();
for (const k of [1, 2, 3]) check(`no lean tanh order ${k}`, () => tf.tidy(() => { nth(tf.tanh, tf.tensor1d([0.5, 1]), k); }));
import { grad } from '../src/index';
fastPaths.fusedActivationGrads = true; fastPaths.leanGradients = true; useOrderSafeGradients();
const p = [tf.randomNormal([2, 5]), tf.randomNormal([5]), tf.randomNormal([5, 1])];
const x = tf.randomNormal([3, 2]);
const H = (q: tf.Tensor[]) => (t: tf.Tensor) => tf.sum(tf.matMul(tf.tanh(tf.add(tf.matMul(t as tf.Tensor2D, q[0] as tf.Tensor2D), q[1])), q[2] as tf.Tensor2D));
const target = tf.randomNormal([3, 2]);
const cases: Record<string, (...q: tf.Tensor[]) => tf.Scalar> = {
  plain: (...q) => tf.sum(grad(H(q))(x)) as tf.Scalar,
  split: (...q) => { const [a, b] = tf.split(grad(H(q))(x), 2, 1); return tf.sum(tf.add(a, b)) as tf.Scalar; },
  concat: (...q) => { const g = grad(H(q))(x); return tf.sum(tf.concat([g, tf.neg(g)], 1)) as tf.Scalar; },
  mean: (...q) => tf.mean(tf.square(grad(H(q))(x))) as tf.Scalar,
  sub: (...q) => tf.sum(tf.sub(grad(H(q))(x), target)) as tf.Scalar,
};
for (const [name, f] of Object.entries(cases)) {
  for (const lean of [true, false]) {
    fastPaths.leanGradients = lean; useOrderSafeGradients();
    check(`${name} lean=${lean}`, () => tf.tidy(() => { tf.valueAndGrads(f)(p); }));
  }
}
