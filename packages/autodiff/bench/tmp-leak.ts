import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { checkGrads } from '../src/index';
await tf.setBackend('wasm');
const A = tf.randomNormal([4, 3], 0, 1, 'float32', 1);
const B = tf.randomNormal([4, 1], 0, 1, 'float32', 2);
const fA = (a: tf.Tensor) => tf.sin(tf.matMul(a as tf.Tensor2D, B as tf.Tensor2D, true, false));
const fB = (b: tf.Tensor) => tf.sin(tf.matMul(A as tf.Tensor2D, b as tf.Tensor2D, true, false));
const both = () => {
  const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, false), tf.tensor2d([[1], [2], [3]]))))([A, B]);
  // analytic: C = A^T B, L = sum(w * C): dA = B w^T, dB = A w
  const w = tf.tensor2d([[1], [2], [3]]);
  const dA = tf.matMul(B, w, false, true); const dB = tf.matMul(A, w);
  console.log('dA err', tf.max(tf.abs(tf.sub(g[0], dA))).dataSync()[0], 'dB err', tf.max(tf.abs(tf.sub(g[1], dB))).dataSync()[0]);
};
console.log(checkGrads(fA, A, { order: 2 }).status, checkGrads(fB, B, { order: 2 }).status);
both(); both();
