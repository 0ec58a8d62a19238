import * as tf from '@tensorflow/tfjs';
import { checkWeights64, type Activation, type DenseChain, type Weights64 } from './dense-chain';
import { ParamSymmetryError, checkNumber, invalid } from './errors';

/** The training losses of a dense chain. */
export type LossKind = 'mse' | 'cross-entropy';

/**
 * A float64 data set: `x` `[n, inputDim]` and `y` `[n, outputDim]`, row-major. For `'cross-entropy'`
 * the rows of `y` are class probabilities (one-hot labels).
 */
export interface Data64 {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly n: number;
  /** The loss fitted to this data. Default `'mse'`. */
  readonly loss?: LossKind;
}

/** A tensor data set: `x` `[n, inputDim]`, `y` `[n, outputDim]` (float32, borrowed). */
export interface TensorData {
  readonly x: tf.Tensor2D;
  readonly y: tf.Tensor2D;
  /** The loss fitted to this data. Default `'mse'`. */
  readonly loss?: LossKind;
}

/** Loss value and gradient (one array per weight, the chain's layout). */
export interface LossAndGrad64 {
  loss: number;
  grads: Float64Array[];
}

function act(a: Activation, z: number): number {
  switch (a.kind) {
    case 'linear':
    case 'softmax':
      return z;
    case 'relu':
      return z > 0 ? z : 0;
    case 'leakyRelu':
      return z > 0 ? z : a.alpha * z;
    case 'homogeneous':
      return z > 0 ? z ** a.degree : 0;
    case 'tanh':
      return Math.tanh(z);
    case 'sin':
      return Math.sin(z);
    case 'softplus':
      return z > 30 ? z : Math.log1p(Math.exp(z));
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
  }
}

function dact(a: Activation, z: number): number {
  switch (a.kind) {
    case 'linear':
    case 'softmax':
      return 1;
    case 'relu':
      return z > 0 ? 1 : 0;
    case 'leakyRelu':
      return z > 0 ? 1 : a.alpha;
    case 'homogeneous':
      return z > 0 ? a.degree * z ** (a.degree - 1) : 0;
    case 'tanh': {
      const t = Math.tanh(z);
      return 1 - t * t;
    }
    case 'sin':
      return Math.cos(z);
    case 'softplus':
      return 1 / (1 + Math.exp(-z));
    case 'sigmoid': {
      const s = 1 / (1 + Math.exp(-z));
      return s * (1 - s);
    }
  }
}

function checkSupported(fn: string, chain: DenseChain): void {
  if (chain.hamiltonian)
    throw new ParamSymmetryError(
      'UNSUPPORTED',
      `${fn}(): HNN chains (hamiltonian: true) are not trained by the dense-chain losses`,
      { fn },
    );
  chain.layers.forEach((l, i) => {
    if (l.normalization !== 'none')
      throw new ParamSymmetryError(
        'UNSUPPORTED',
        `${fn}(): layer '${l.name}' has a normalisation; the built-in losses cover plain dense chains`,
        { fn },
      );
    if (l.activation.kind === 'softmax' && i !== chain.layers.length - 1)
      throw new ParamSymmetryError('UNSUPPORTED', `${fn}(): softmax is only supported on the last layer`, {
        fn,
      });
  });
}

/** Validates a float64 data set against a chain. */
export function checkData64(fn: string, chain: DenseChain, data: Data64): void {
  if (!data || typeof data !== 'object') invalid([fn, 'data'], 'an object { x, y, n }', data);
  checkNumber([fn, 'data.n'], data.n, { min: 1, inclusive: true, integer: true });
  const d = chain.layers[0].inputDim;
  const o = chain.layers[chain.layers.length - 1].units;
  if (!(data.x instanceof Float64Array) || data.x.length !== data.n * d)
    throw new ParamSymmetryError(
      'SHAPE_MISMATCH',
      `${fn}(): argument 'data.x' must be a Float64Array of length n * ${d} = ${data.n * d}`,
      { fn },
    );
  if (!(data.y instanceof Float64Array) || data.y.length !== data.n * o)
    throw new ParamSymmetryError(
      'SHAPE_MISMATCH',
      `${fn}(): argument 'data.y' must be a Float64Array of length n * ${o} = ${data.n * o}`,
      { fn },
    );
}

/**
 * Forward pass of a dense chain in float64: the outputs `[n, outputDim]` (softmax applied on a softmax head).
 *
 * @throws ParamSymmetryError `SHAPE_MISMATCH` / `UNSUPPORTED` (normalisation layers, HNN chains).
 * @example
 * ```ts
 * const out = predict64(chain, weights, x, n);
 * ```
 */
export function predict64(
  chain: DenseChain,
  weights: Weights64,
  input: { x: Float64Array; n: number },
): Float64Array {
  const fn = 'predict64';
  checkWeights64(fn, chain, weights);
  checkSupported(fn, chain);
  const { zs, acts } = forward(chain, weights, input);
  void zs;
  return acts[acts.length - 1];
}

function forward(
  chain: DenseChain,
  weights: Weights64,
  input: { x: Float64Array; n: number },
): { zs: Float64Array[]; acts: Float64Array[] } {
  const { x, n } = input;
  const zs: Float64Array[] = [];
  const acts: Float64Array[] = [x];
  let a = x;
  for (const layer of chain.layers) {
    const { inputDim: d, units: h } = layer;
    const K = weights[layer.kernel];
    const b = layer.bias >= 0 ? weights[layer.bias] : undefined;
    const z = new Float64Array(n * h);
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < h; j++) z[r * h + j] = b ? b[j] : 0;
      for (let i = 0; i < d; i++) {
        const ai = a[r * d + i];
        if (ai === 0) continue;
        const row = i * h;
        for (let j = 0; j < h; j++) z[r * h + j] += ai * K[row + j];
      }
    }
    const out = new Float64Array(n * h);
    if (layer.activation.kind === 'softmax') {
      for (let r = 0; r < n; r++) {
        let m = -Infinity;
        for (let j = 0; j < h; j++) m = Math.max(m, z[r * h + j]);
        let s = 0;
        for (let j = 0; j < h; j++) s += out[r * h + j] = Math.exp(z[r * h + j] - m);
        for (let j = 0; j < h; j++) out[r * h + j] /= s;
      }
    } else for (let k = 0; k < z.length; k++) out[k] = act(layer.activation, z[k]);
    zs.push(z);
    acts.push(out);
    a = out;
  }
  return { zs, acts };
}

/**
 * Loss and exact gradient (reverse mode, float64) of a dense chain on a data set.
 * `data.loss` `'mse'` (default): `L = (1 / 2n) sum_i |f(x_i) - y_i|^2`; `'cross-entropy'`: `L = -(1/n) sum_i y_i . log f(x_i)`
 * (softmax head). Used by every float64 path of the package (discrete law to 1e-12, gradient flow,
 * teleportation, weight matching).
 *
 * @throws ParamSymmetryError `SHAPE_MISMATCH` / `UNSUPPORTED` (normalisation layers, HNN chains,
 *   cross-entropy without a softmax head).
 * @example
 * ```ts
 * const { loss, grads } = lossAndGrad64(chain, weights, { x, y, n: 32 });
 * ```
 */
export function lossAndGrad64(chain: DenseChain, weights: Weights64, data: Data64): LossAndGrad64 {
  const fn = 'lossAndGrad64';
  checkWeights64(fn, chain, weights);
  checkSupported(fn, chain);
  checkData64(fn, chain, data);
  return lossAndGradUnchecked(chain, weights, data);
}

/** {@link lossAndGrad64} without argument checks (hot loops after one checked call). */
export function lossAndGradUnchecked(chain: DenseChain, weights: Weights64, data: Data64): LossAndGrad64 {
  const { n } = data;
  const lossKind = data.loss ?? 'mse';
  const last = chain.layers[chain.layers.length - 1];
  if (lossKind === 'cross-entropy' && last.activation.kind !== 'softmax')
    throw new ParamSymmetryError(
      'UNSUPPORTED',
      "lossAndGrad64(): loss 'cross-entropy' needs a softmax head on the last layer",
      { fn: 'lossAndGrad64' },
    );
  const { zs, acts } = forward(chain, weights, data);
  const out = acts[acts.length - 1];
  const o = last.units;
  let loss = 0;
  let dA = new Float64Array(n * o);
  if (lossKind === 'mse') {
    for (let k = 0; k < out.length; k++) {
      const e = out[k] - data.y[k];
      loss += e * e;
      dA[k] = e / n;
    }
    loss /= 2 * n;
  } else {
    for (let k = 0; k < out.length; k++) {
      if (data.y[k] !== 0) loss -= data.y[k] * Math.log(out[k]);
    }
    loss /= n;
  }
  const grads: Float64Array[] = chain.shapes.map((s) => new Float64Array(s.reduce((a, d) => a * d, 1)));
  for (let l = chain.layers.length - 1; l >= 0; l--) {
    const layer = chain.layers[l];
    const { inputDim: d, units: h } = layer;
    const z = zs[l];
    const p = acts[l + 1];
    const dz = new Float64Array(n * h);
    if (layer.activation.kind === 'softmax') {
      for (let r = 0; r < n; r++) {
        if (lossKind === 'cross-entropy') {
          let ys = 0;
          for (let j = 0; j < h; j++) ys += data.y[r * h + j];
          for (let j = 0; j < h; j++) dz[r * h + j] = (p[r * h + j] * ys - data.y[r * h + j]) / n;
        } else {
          let dot = 0;
          for (let j = 0; j < h; j++) dot += dA[r * h + j] * p[r * h + j];
          for (let j = 0; j < h; j++) dz[r * h + j] = p[r * h + j] * (dA[r * h + j] - dot);
        }
      }
    } else for (let k = 0; k < dz.length; k++) dz[k] = dA[k] * dact(layer.activation, z[k]);
    const a = acts[l];
    const gK = grads[layer.kernel];
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < d; i++) {
        const ai = a[r * d + i];
        if (ai === 0) continue;
        for (let j = 0; j < h; j++) gK[i * h + j] += ai * dz[r * h + j];
      }
    }
    if (layer.bias >= 0) {
      const gb = grads[layer.bias];
      for (let r = 0; r < n; r++) for (let j = 0; j < h; j++) gb[j] += dz[r * h + j];
    }
    if (l > 0) {
      const K = weights[layer.kernel];
      const next = new Float64Array(n * d);
      for (let r = 0; r < n; r++)
        for (let i = 0; i < d; i++) {
          let s = 0;
          for (let j = 0; j < h; j++) s += dz[r * h + j] * K[i * h + j];
          next[r * d + i] = s;
        }
      dA = next;
    }
  }
  return { loss, grads };
}

function tensorAct(a: Activation, z: tf.Tensor): tf.Tensor {
  switch (a.kind) {
    case 'linear':
      return z;
    case 'relu':
      return tf.relu(z);
    case 'leakyRelu':
      return tf.leakyRelu(z, a.alpha);
    case 'homogeneous':
      return tf.pow(tf.relu(z), a.degree);
    case 'tanh':
      return tf.tanh(z);
    case 'sin':
      return tf.sin(z);
    case 'softplus':
      return tf.softplus(z);
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'softmax':
      return tf.softmax(z);
  }
}

/**
 * Loss of a dense chain on tensors (float32, differentiable in the weights): the tensor twin of
 * {@link lossAndGrad64} with the same definitions. Call inside `tf.tidy` or `tf.grads`; returns a scalar.
 *
 * @throws ParamSymmetryError `UNSUPPORTED` (normalisation layers, HNN chains).
 * @example
 * ```ts
 * const loss = tf.tidy(() => chainLoss(chain, weights, { x, y }));
 * ```
 */
export function chainLoss(chain: DenseChain, weights: readonly tf.Tensor[], data: TensorData): tf.Scalar {
  checkSupported('chainLoss', chain);
  const kind = data.loss ?? 'mse';
  return tf.tidy(() => {
    let a: tf.Tensor = data.x;
    const lastIdx = chain.layers.length - 1;
    chain.layers.forEach((layer, l) => {
      let z = tf.matMul(a as tf.Tensor2D, weights[layer.kernel] as tf.Tensor2D) as tf.Tensor;
      if (layer.bias >= 0) z = tf.add(z, weights[layer.bias]);
      a =
        l === lastIdx && layer.activation.kind === 'softmax' && kind === 'cross-entropy'
          ? z
          : tensorAct(layer.activation, z);
    });
    const n = data.x.shape[0];
    if (kind === 'mse') return tf.div(tf.sum(tf.square(tf.sub(a, data.y))), 2 * n) as tf.Scalar;
    return tf.div(tf.neg(tf.sum(tf.mul(data.y, tf.logSoftmax(a)))), n) as tf.Scalar;
  });
}
