import * as tf from '@tensorflow/tfjs';
import { SELU_SCALE, SELU_SCALE_ALPHA } from './gradients/selu-grad';

/**
 * One op case of the order-safety catalogue: a scalar function F(t) of a scalar t, written twice, in tfjs
 * (applied to a batch of points `[n]`, row-independent) and in float64 plain JavaScript. Derivatives of
 * orders 1..3 come from `analytic` when given, else from Richardson-extrapolated float64 central
 * differences of `f64`. Piecewise ops are composed with a smooth inner function `w(t)` so their second and
 * third derivatives are non-trivial, and evaluated away from kinks and ties.
 */
export interface OpCase {
  /** Display name, e.g. `tanh` or `gelu (erf)`. */
  readonly op: string;
  /** tfjs kernels whose gradients the case exercises. */
  readonly kernels: readonly string[];
  /** Evaluation points t. */
  readonly points: readonly number[];
  /** F on a batch `[n] -> [n]` in tfjs. */
  readonly tf: (t: tf.Tensor1D) => tf.Tensor;
  /** F in float64. */
  readonly f64: (t: number) => number;
  /** Exact derivatives of orders 1, 2, 3, when known in closed form. */
  readonly analytic?: readonly [(t: number) => number, (t: number) => number, (t: number) => number];
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const sigmoid64 = (t: number) => 1 / (1 + Math.exp(-t));
const elu64 = (t: number) => (t > 0 ? t : Math.exp(t) - 1);
const selu64 = (t: number) => SELU_SCALE * (t > 0 ? t : (SELU_SCALE_ALPHA / SELU_SCALE) * (Math.exp(t) - 1));

/** erf in float64 by its Maclaurin series (|t| <= 3 here; terms until below 1e-17). */
function erf64(t: number): number {
  let term = t;
  let sum = t;
  for (let n = 1; n < 200; n++) {
    term *= (-t * t) / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** Smooth inner map for piecewise ops: w(t) = 1.5 sin(1.3 t) + 0.2 t (crosses 0 only at t = 0 here). */
const w64 = (t: number) => 1.5 * Math.sin(1.3 * t) + 0.2 * t;
const wTf = (t: tf.Tensor) => tf.add(tf.mul(tf.sin(tf.mul(t, 1.3)), 1.5), tf.mul(t, 0.2));
/** Three smooth logits per point: [t, t^2/2 - 0.3, sin t]. */
const logits64 = (t: number) => [t, 0.5 * t * t - 0.3, Math.sin(t)];
const logitsTf = (t: tf.Tensor) => tf.stack([t, tf.sub(tf.mul(tf.square(t), 0.5), 0.3), tf.sin(t)], 1);
const weights = [1, -2, 0.5];
const softmax64 = (z: number[]) => {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};
const dot = (a: number[], b: number[]) => a.reduce((acc, v, i) => acc + v * b[i], 0);
const weightedRows = (y: tf.Tensor) => tf.sum(tf.mul(y, tf.tensor1d(weights)), 1) as tf.Tensor1D;
const PIECEWISE_POINTS = [-1.1, -0.4, 0.5, 1.2];
/** Fixed weights of the 3-4-1 MLP case (exercises the BatchMatMul gradient, transposes included). */
const MLP_W1 = [
  [0.8, -0.5, 0.3, 1.1],
  [-0.4, 0.2, 0.9, -0.7],
  [0.6, 1.0, -0.8, 0.25],
];
const MLP_W2 = [[1.2], [-0.9], [0.7], [0.5]];

/**
 * The catalogue: every op and activation the project relies on (30 cases), as frozen data. Add a case to
 * extend `verifyOrderSafety` and `noether autodiff-check`.
 *
 * @example
 * OP_CATALOGUE.map((c) => c.op); // ['tanh', 'sigmoid', 'exp', 'elu', ...]
 */
export const OP_CATALOGUE: readonly OpCase[] = Object.freeze([
  {
    op: 'tanh',
    kernels: ['Tanh'],
    points: [-1.3, -0.2, 0.4, 1.5],
    tf: (t) => tf.tanh(t),
    f64: Math.tanh,
    analytic: [
      (t) => 1 - Math.tanh(t) ** 2,
      (t) => -2 * Math.tanh(t) * (1 - Math.tanh(t) ** 2),
      (t) => -2 * (1 - Math.tanh(t) ** 2) * (1 - 3 * Math.tanh(t) ** 2),
    ],
  },
  {
    op: 'sigmoid',
    kernels: ['Sigmoid'],
    points: [-2.1, -0.3, 0.6, 1.7],
    tf: (t) => tf.sigmoid(t),
    f64: sigmoid64,
    analytic: [
      (t) => sigmoid64(t) * (1 - sigmoid64(t)),
      (t) => sigmoid64(t) * (1 - sigmoid64(t)) * (1 - 2 * sigmoid64(t)),
      (t) => sigmoid64(t) * (1 - sigmoid64(t)) * (1 - 6 * sigmoid64(t) + 6 * sigmoid64(t) ** 2),
    ],
  },
  {
    op: 'exp',
    kernels: ['Exp'],
    points: [-1.5, -0.2, 0.7, 1.9],
    tf: (t) => tf.exp(t),
    f64: Math.exp,
    analytic: [Math.exp, Math.exp, Math.exp],
  },
  {
    op: 'elu',
    kernels: ['Elu'],
    points: PIECEWISE_POINTS,
    tf: (t) => tf.elu(wTf(t)),
    f64: (t) => elu64(w64(t)),
  },
  {
    op: 'selu',
    kernels: ['Selu'],
    points: PIECEWISE_POINTS,
    tf: (t) => tf.selu(wTf(t)),
    f64: (t) => selu64(w64(t)),
  },
  {
    op: 'softplus',
    kernels: ['Softplus', 'Sigmoid'],
    points: [-2.3, -0.5, 0.8, 2.2],
    tf: (t) => tf.softplus(t),
    f64: (t) => Math.log1p(Math.exp(t)),
    analytic: [
      sigmoid64,
      (t) => sigmoid64(t) * (1 - sigmoid64(t)),
      (t) => sigmoid64(t) * (1 - sigmoid64(t)) * (1 - 2 * sigmoid64(t)),
    ],
  },
  {
    op: 'softmax',
    kernels: ['Softmax'],
    points: [-1.2, -0.3, 0.6, 1.4],
    tf: (t) => weightedRows(tf.softmax(logitsTf(t))),
    f64: (t) => dot(weights, softmax64(logits64(t))),
  },
  {
    op: 'logSoftmax',
    kernels: ['logSoftmax (customGrad)', 'Max', 'Exp'],
    points: [-1.2, -0.3, 0.6, 1.4],
    tf: (t) => weightedRows(tf.logSoftmax(logitsTf(t))),
    f64: (t) => dot(weights, softmax64(logits64(t)).map(Math.log)),
  },
  {
    op: 'logSumExp',
    kernels: ['Max', 'Exp', 'Log'],
    points: [-1.2, -0.3, 0.6, 1.4],
    tf: (t) => tf.logSumExp(logitsTf(t), 1) as tf.Tensor1D,
    f64: (t) => {
      const z = logits64(t);
      const m = Math.max(...z);
      return m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0));
    },
  },
  {
    op: 'max (reduction)',
    kernels: ['Max'],
    points: [-1.1, -0.4, 0.5, 1.2, 2.0],
    tf: (t) => tf.max(tf.stack([tf.sin(t), tf.cos(t), tf.mul(t, 0.3)], 1), 1) as tf.Tensor1D,
    f64: (t) => Math.max(Math.sin(t), Math.cos(t), 0.3 * t),
  },
  {
    op: 'min (reduction)',
    kernels: ['Min'],
    points: [-1.1, -0.4, 0.5, 2.0, 2.6],
    tf: (t) => tf.min(tf.stack([tf.sin(t), tf.cos(t), tf.mul(t, 0.3)], 1), 1) as tf.Tensor1D,
    f64: (t) => Math.min(Math.sin(t), Math.cos(t), 0.3 * t),
  },
  {
    op: 'maximum',
    kernels: ['Maximum'],
    points: [-1.1, -0.4, 0.5, 1.2],
    tf: (t) => tf.maximum(tf.sin(t), tf.cos(tf.mul(t, 1.3))),
    f64: (t) => Math.max(Math.sin(t), Math.cos(1.3 * t)),
  },
  {
    op: 'minimum',
    kernels: ['Minimum'],
    points: [-1.1, -0.4, 0.5, 1.2],
    tf: (t) => tf.minimum(tf.sin(t), tf.cos(tf.mul(t, 1.3))),
    f64: (t) => Math.min(Math.sin(t), Math.cos(1.3 * t)),
  },
  {
    op: 'leakyRelu',
    kernels: ['LeakyRelu'],
    points: PIECEWISE_POINTS,
    tf: (t) => tf.leakyRelu(wTf(t), 0.2),
    f64: (t) => (w64(t) > 0 ? w64(t) : 0.2 * w64(t)),
  },
  {
    op: 'prelu',
    kernels: ['Prelu'],
    points: PIECEWISE_POINTS,
    tf: (t) => tf.prelu(wTf(t), tf.scalar(0.15)),
    f64: (t) => (w64(t) > 0 ? w64(t) : 0.15 * w64(t)),
  },
  {
    op: 'relu6',
    kernels: ['Relu6'],
    points: PIECEWISE_POINTS,
    tf: (t) => tf.relu6(tf.add(tf.mul(wTf(t), 2.5), 3)),
    f64: (t) => Math.min(6, Math.max(0, 2.5 * w64(t) + 3)),
  },
  {
    op: 'clipByValue',
    kernels: ['ClipByValue'],
    points: PIECEWISE_POINTS,
    tf: (t) => tf.clipByValue(wTf(t), -1.2, 1.2),
    f64: (t) => Math.min(1.2, Math.max(-1.2, w64(t))),
  },
  {
    op: 'where (select)',
    kernels: ['Select', 'Greater'],
    points: PIECEWISE_POINTS,
    tf: (t) => {
      const w = wTf(t);
      return tf.where(tf.greater(w, 0), tf.square(w), tf.sin(w));
    },
    f64: (t) => (w64(t) > 0 ? w64(t) ** 2 : Math.sin(w64(t))),
  },
  {
    op: 'sqrt',
    kernels: ['Sqrt'],
    points: [0.3, 0.8, 1.5, 2.4],
    tf: (t) => tf.sqrt(t),
    f64: Math.sqrt,
    analytic: [(t) => 0.5 * t ** -0.5, (t) => -0.25 * t ** -1.5, (t) => 0.375 * t ** -2.5],
  },
  {
    op: 'rsqrt',
    kernels: ['Rsqrt'],
    points: [0.3, 0.8, 1.5, 2.4],
    tf: (t) => tf.rsqrt(t),
    f64: (t) => 1 / Math.sqrt(t),
    analytic: [(t) => -0.5 * t ** -1.5, (t) => 0.75 * t ** -2.5, (t) => -1.875 * t ** -3.5],
  },
  {
    op: 'pow (base)',
    kernels: ['Pow'],
    points: [0.3, 0.8, 1.5, 2.4],
    tf: (t) => tf.pow(t, tf.scalar(2.5)),
    f64: (t) => t ** 2.5,
    analytic: [(t) => 2.5 * t ** 1.5, (t) => 3.75 * t ** 0.5, (t) => 1.875 * t ** -0.5],
  },
  {
    op: 'pow (exponent)',
    kernels: ['Pow'],
    points: [-1.3, -0.2, 0.6, 1.8],
    tf: (t) => tf.pow(tf.scalar(1.7), t),
    f64: (t) => 1.7 ** t,
    analytic: [
      (t) => 1.7 ** t * Math.log(1.7),
      (t) => 1.7 ** t * Math.log(1.7) ** 2,
      (t) => 1.7 ** t * Math.log(1.7) ** 3,
    ],
  },
  {
    op: 'erf',
    kernels: ['Erf', 'Exp'],
    points: [-1.4, -0.3, 0.5, 1.2],
    tf: (t) => tf.erf(t),
    f64: erf64,
    analytic: [
      (t) => (2 / Math.sqrt(Math.PI)) * Math.exp(-t * t),
      (t) => (2 / Math.sqrt(Math.PI)) * Math.exp(-t * t) * (-2 * t),
      (t) => (2 / Math.sqrt(Math.PI)) * Math.exp(-t * t) * (4 * t * t - 2),
    ],
  },
  {
    op: 'atan2',
    kernels: ['Atan2'],
    points: [-1.4, -0.3, 0.5, 1.2],
    tf: (t) => tf.atan2(tf.sin(t), tf.add(tf.square(t), 0.5)),
    f64: (t) => Math.atan2(Math.sin(t), t * t + 0.5),
  },
  {
    op: 'silu',
    kernels: ['Sigmoid', 'Multiply'],
    points: [-2.1, -0.3, 0.6, 1.7],
    tf: (t) => tf.mul(t, tf.sigmoid(t)),
    f64: (t) => t * sigmoid64(t),
  },
  {
    op: 'gelu (tanh)',
    kernels: ['Tanh', 'Pow'],
    points: [-2.1, -0.3, 0.6, 1.7],
    tf: (t) =>
      tf.mul(
        tf.mul(t, 0.5),
        tf.add(1, tf.tanh(tf.mul(tf.add(t, tf.mul(tf.pow(t, tf.scalar(3)), 0.044715)), SQRT_2_OVER_PI))),
      ),
    f64: (t) => 0.5 * t * (1 + Math.tanh(SQRT_2_OVER_PI * (t + 0.044715 * t ** 3))),
  },
  {
    op: 'gelu (erf)',
    kernels: ['Erf', 'Exp'],
    points: [-2.1, -0.3, 0.6, 1.7],
    tf: (t) => tf.mul(tf.mul(t, 0.5), tf.add(1, tf.erf(tf.mul(t, Math.SQRT1_2)))),
    f64: (t) => 0.5 * t * (1 + erf64(t * Math.SQRT1_2)),
    analytic: [
      (t) => 0.5 * (1 + erf64(t * Math.SQRT1_2)) + t * INV_SQRT_2PI * Math.exp((-t * t) / 2),
      (t) => INV_SQRT_2PI * Math.exp((-t * t) / 2) * (2 - t * t),
      (t) => INV_SQRT_2PI * Math.exp((-t * t) / 2) * (t ** 3 - 4 * t),
    ],
  },
  {
    op: 'logSigmoid',
    kernels: ['logSigmoid (customGrad)', 'Sigmoid', 'Softplus'],
    points: [-2.1, -0.3, 0.6, 1.7],
    tf: (t) => tf.logSigmoid(t),
    f64: (t) => -Math.log1p(Math.exp(-t)),
  },
  {
    op: 'matMul (tanh MLP)',
    kernels: ['BatchMatMul', 'Tanh'],
    points: [-1.3, -0.2, 0.4, 1.5],
    tf: (t) => {
      const features = tf.stack([t, tf.square(t), tf.sin(t)], 1) as tf.Tensor2D;
      const hidden = tf.tanh(tf.matMul(features, tf.tensor2d(MLP_W1)));
      return tf.reshape(tf.matMul(hidden, tf.tensor2d(MLP_W2)), [-1]);
    },
    f64: (t) => {
      const features = [t, t * t, Math.sin(t)];
      return MLP_W2.reduce(
        (acc, [w2], j) => acc + w2 * Math.tanh(features.reduce((s, f, i) => s + f * MLP_W1[i][j], 0)),
        0,
      );
    },
  },
  {
    op: 'tanh(x^2 sin x)',
    kernels: ['Tanh', 'Sin', 'Square'],
    points: [-0.7, 0.3, 1.2, 2.0],
    tf: (t) => tf.tanh(tf.mul(tf.square(t), tf.sin(t))),
    f64: (t) => Math.tanh(t * t * Math.sin(t)),
  },
]);
