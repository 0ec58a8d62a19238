import * as tf from '@tensorflow/tfjs';
import { denseChainFromModel, type DenseChain, type DenseLayer, type Weights64 } from './dense-chain';
import { invalid } from './errors';

/** The continuous symmetry group behind a charge. */
export type ChargeGroup =
  | 'positive-rescaling'
  | 'general-linear'
  | 'normalization-scale'
  | 'softmax-translation'
  | 'gradient-free-bias';

/**
 * A conserved quantity of gradient flow ("charge") of a network, from a continuous symmetry of its loss.
 * Quadratic charges (`degree: 2`) are `Q(theta) = theta^T S theta` for a symmetric `S`; linear ones
 * (`degree: 1`) are `c^T theta`. `evaluate64` applied to a gradient list gives `Q(g)` (the term of the
 * discrete law). Components are laid out as `shape` (row-major).
 */
export interface Charge {
  /** Short unique name, e.g. `'rescaling(dense_0)'`. */
  readonly name: string;
  readonly group: ChargeGroup;
  /** The layers whose weights enter it. */
  readonly layers: readonly string[];
  /** The formula in words and symbols (tfjs kernel layout `K` `[in, out]`). */
  readonly formula: string;
  readonly degree: 1 | 2;
  /** Shape of the charge: `[h]` per neuron, `[h, h]` for GL(h), `[1]` scalar. */
  readonly shape: readonly number[];
  /** The charge on float64 weights (or `Q(g)` on a gradient list). */
  evaluate64(weights: Weights64): Float64Array;
  /**
   * The scale each component is measured against: `theta^T |S| theta` (sum of the squared norms that enter
   * it; for GL entries `sqrt(m_i m_j)`), or `|c| . |theta|` for linear charges. Never below `1e-300`.
   */
  mass64(weights: Weights64): Float64Array;
  /** The charge on float32 weight tensors (borrowed); returns a new tensor of `shape`. */
  evaluate(weights: readonly tf.Tensor[]): tf.Tensor;
}

/** A discrete symmetry of a hidden layer (no conserved quantity; used by alignment and canonical forms). */
export interface DiscreteSymmetry {
  readonly kind: 'permutation' | 'sign-flip';
  /** The hidden layer (its neurons are permuted / flipped, with the next layer's inputs). */
  readonly layer: string;
  readonly size: number;
}

/** The symmetry structure of a network: its charges and its discrete symmetries. */
export interface ChargeSet {
  readonly chain: DenseChain;
  readonly charges: readonly Charge[];
  readonly discrete: readonly DiscreteSymmetry[];
}

/** The exponent `alpha` of a positively homogeneous activation, or undefined. */
export function homogeneityDegree(layer: DenseLayer): number | undefined {
  const a = layer.activation;
  if (a.kind === 'relu' || a.kind === 'leakyRelu' || a.kind === 'linear') return 1;
  if (a.kind === 'homogeneous') return a.degree;
  return undefined;
}

/** Whether a hidden layer's activation is odd (sign flip of a neuron is a symmetry). */
export function isOdd(layer: DenseLayer): boolean {
  const k = layer.activation.kind;
  return k === 'tanh' || k === 'sin' || k === 'linear' || (k === 'leakyRelu' && layer.activation.alpha === 1);
}

const FLOOR = 1e-300;

function colSq(K: Float64Array, size: { rows: number; cols: number }, j: number): number {
  const { rows, cols } = size;
  let s = 0;
  for (let i = 0; i < rows; i++) s += K[i * cols + j] * K[i * cols + j];
  return s;
}

function rowSq(K: Float64Array, cols: number, i: number): number {
  let s = 0;
  for (let j = 0; j < cols; j++) s += K[i * cols + j] * K[i * cols + j];
  return s;
}

function rescalingCharge(a: DenseLayer, b: DenseLayer, alpha: number): Charge {
  const h = a.units;
  const term = (w: Weights64, i: number, sign: number): number => {
    const bias = a.bias >= 0 ? w[a.bias][i] ** 2 : 0;
    return (
      colSq(w[a.kernel], { rows: a.inputDim, cols: h }, i) +
      bias +
      sign * alpha * rowSq(w[b.kernel], b.units, i)
    );
  };
  return Object.freeze({
    name: `rescaling(${a.name})`,
    group: 'positive-rescaling' as const,
    layers: Object.freeze([a.name, b.name]),
    formula: `q_i = |K_${a.name}[:, i]|^2 + b_${a.name}[i]^2 - ${alpha === 1 ? '' : `${alpha} `}|K_${b.name}[i, :]|^2 (hidden neuron i; sigma(c z) = c^${alpha} sigma(z), c > 0)`,
    degree: 2 as const,
    shape: Object.freeze([h]),
    evaluate64: (w: Weights64) => Float64Array.from({ length: h }, (_, i) => term(w, i, -1)),
    mass64: (w: Weights64) => Float64Array.from({ length: h }, (_, i) => Math.max(term(w, i, 1), FLOOR)),
    evaluate: (w: readonly tf.Tensor[]) =>
      tf.tidy(() => {
        let q = tf.sum(tf.square(w[a.kernel]), 0);
        if (a.bias >= 0) q = tf.add(q, tf.square(w[a.bias]));
        return tf.sub(q, tf.mul(alpha, tf.sum(tf.square(w[b.kernel]), 1)));
      }),
  });
}

function glCharge(a: DenseLayer, b: DenseLayer): Charge {
  const h = a.units;
  const d = a.inputDim;
  const o = b.units;
  const value = (w: Weights64): Float64Array => {
    const K1 = w[a.kernel];
    const K2 = w[b.kernel];
    const bias = a.bias >= 0 ? w[a.bias] : undefined;
    const C = new Float64Array(h * h);
    for (let i = 0; i < h; i++)
      for (let j = i; j < h; j++) {
        let s = 0;
        for (let r = 0; r < d; r++) s += K1[r * h + i] * K1[r * h + j];
        if (bias) s += bias[i] * bias[j];
        for (let c = 0; c < o; c++) s -= K2[i * o + c] * K2[j * o + c];
        C[i * h + j] = s;
        C[j * h + i] = s;
      }
    return C;
  };
  return Object.freeze({
    name: `general-linear(${a.name})`,
    group: 'general-linear' as const,
    layers: Object.freeze([a.name, b.name]),
    formula: `C = K_${a.name}^T K_${a.name} + b_${a.name} b_${a.name}^T - K_${b.name} K_${b.name}^T (h x h; W1 W1^T - W2^T W2 with W = K^T, GL(h) acting between two linear maps)`,
    degree: 2 as const,
    shape: Object.freeze([h, h]),
    evaluate64: value,
    mass64: (w: Weights64) => {
      const m = Float64Array.from(
        { length: h },
        (_, i) =>
          colSq(w[a.kernel], { rows: d, cols: h }, i) +
          (a.bias >= 0 ? w[a.bias][i] ** 2 : 0) +
          rowSq(w[b.kernel], o, i),
      );
      const out = new Float64Array(h * h);
      for (let i = 0; i < h; i++)
        for (let j = 0; j < h; j++) out[i * h + j] = Math.max(Math.sqrt(m[i] * m[j]), FLOOR);
      return out;
    },
    evaluate: (w: readonly tf.Tensor[]) =>
      tf.tidy(() => {
        const K1 = w[a.kernel] as tf.Tensor2D;
        const K2 = w[b.kernel] as tf.Tensor2D;
        let C = tf.matMul(tf.transpose(K1), K1);
        if (a.bias >= 0) {
          const bv = w[a.bias].reshape([h, 1]) as tf.Tensor2D;
          C = tf.add(C, tf.matMul(bv, tf.transpose(bv)));
        }
        return tf.sub(C, tf.matMul(K2, tf.transpose(K2)));
      }),
  });
}

function normalizationCharge(a: DenseLayer): Charge {
  const h = a.units;
  const perUnit = a.normalization === 'batch';
  const value = (w: Weights64): Float64Array => {
    const q = Float64Array.from(
      { length: h },
      (_, j) => colSq(w[a.kernel], { rows: a.inputDim, cols: h }, j) + (a.bias >= 0 ? w[a.bias][j] ** 2 : 0),
    );
    return perUnit ? q : Float64Array.of(q.reduce((s, v) => s + v, 0));
  };
  return Object.freeze({
    name: `normalization-scale(${a.name})`,
    group: 'normalization-scale' as const,
    layers: Object.freeze([a.name]),
    formula: perUnit
      ? `q_j = |K_${a.name}[:, j]|^2 + b_${a.name}[j]^2 (batch normalisation: each unit is scale invariant; exact as its epsilon -> 0)`
      : `q = |K_${a.name}|^2 + |b_${a.name}|^2 (layer normalisation: the layer is scale invariant; exact as its epsilon -> 0)`,
    degree: 2 as const,
    shape: Object.freeze([perUnit ? h : 1]),
    evaluate64: value,
    mass64: (w: Weights64) => value(w).map((v) => Math.max(v, FLOOR)),
    evaluate: (w: readonly tf.Tensor[]) =>
      tf.tidy(() => {
        let q = tf.sum(tf.square(w[a.kernel]), 0);
        if (a.bias >= 0) q = tf.add(q, tf.square(w[a.bias]));
        return perUnit ? q : tf.reshape(tf.sum(q), [1]);
      }),
  });
}

function softmaxCharge(a: DenseLayer): Charge {
  const h = a.inputDim;
  const c = a.units;
  const size = h + (a.bias >= 0 ? 1 : 0);
  const value = (w: Weights64, abs: boolean): Float64Array => {
    const K = w[a.kernel];
    const out = new Float64Array(size);
    for (let i = 0; i < h; i++)
      for (let k = 0; k < c; k++) out[i] += abs ? Math.abs(K[i * c + k]) : K[i * c + k];
    if (a.bias >= 0) for (let k = 0; k < c; k++) out[h] += abs ? Math.abs(w[a.bias][k]) : w[a.bias][k];
    return out;
  };
  return Object.freeze({
    name: `softmax-translation(${a.name})`,
    group: 'softmax-translation' as const,
    layers: Object.freeze([a.name]),
    formula: `s_i = sum_k K_${a.name}[i, k] (i < ${h})${a.bias >= 0 ? `, s_${h} = sum_k b_${a.name}[k]` : ''} (logits shifted equally for every class leave the softmax unchanged)`,
    degree: 1 as const,
    shape: Object.freeze([size]),
    evaluate64: (w: Weights64) => value(w, false),
    mass64: (w: Weights64) => value(w, true).map((v) => Math.max(v, FLOOR)),
    evaluate: (w: readonly tf.Tensor[]) =>
      tf.tidy(() => {
        const s = tf.sum(w[a.kernel], 1);
        return a.bias >= 0 ? tf.concat([s, tf.reshape(tf.sum(w[a.bias]), [1])]) : s;
      }),
  });
}

function hnnBiasCharge(a: DenseLayer): Charge {
  return Object.freeze({
    name: `gradient-free-bias(${a.name})`,
    group: 'gradient-free-bias' as const,
    layers: Object.freeze([a.name]),
    formula: `b_${a.name} (an HNN's loss sees only dH/dx, so the output bias has zero gradient)`,
    degree: 1 as const,
    shape: Object.freeze([a.units]),
    evaluate64: (w: Weights64) => w[a.bias].slice(),
    mass64: (w: Weights64) => w[a.bias].map((v) => Math.max(Math.abs(v), FLOOR)),
    evaluate: (w: readonly tf.Tensor[]) => tf.clone(w[a.bias]),
  });
}

/**
 * Detects the symmetry structure of a network and returns its charges (conserved quantities of gradient
 * flow) as named, documented objects, plus its discrete symmetries. For each hidden dense layer followed
 * by another dense layer:
 * - linear: GL(h) between the two maps, `C = W1 W1^T - W2^T W2` (with the bias as an extra input column);
 * - ReLU / leaky ReLU / `alpha`-homogeneous: per-neuron positive rescaling,
 *   `q_i = |w_in,i|^2 + b_i^2 - alpha |w_out,i|^2`;
 * - tanh, sin: sign flip and permutation only; softplus, sigmoid: permutation only (no charge).
 * Weights feeding a normalisation give `|w|^2`; a softmax head gives the class sums of its weights and
 * biases (linear); an HNN (`hamiltonian: true`) gives its output bias. These are all the laws of a
 * two-layer ReLU network (Marcotte et al. 2023).
 *
 * @throws ParamSymmetryError `UNSUPPORTED` for layers outside a dense chain.
 * @example
 * ```ts
 * const { charges } = noetherCharges(model);
 * charges.map((c) => [c.name, c.formula]);
 * ```
 * @see D. Kunin et al., "Neural Mechanics", ICLR 2021; B. Zhao et al., "Symmetries, flat minima, and the
 *   conserved quantities of gradient flow", ICLR 2023.
 */
export function noetherCharges(
  model: tf.LayersModel | DenseChain,
  options: { hamiltonian?: boolean } = {},
): ChargeSet {
  let chain: DenseChain;
  if (model instanceof tf.LayersModel) chain = denseChainFromModel(model, options);
  else if (
    model &&
    typeof model === 'object' &&
    Array.isArray((model as DenseChain).layers) &&
    Array.isArray((model as DenseChain).shapes)
  )
    chain =
      options.hamiltonian !== undefined
        ? Object.freeze({ ...model, hamiltonian: options.hamiltonian })
        : model;
  else invalid(['noetherCharges', 'model'], 'a tf.LayersModel or a DenseChain', model);
  const charges: Charge[] = [];
  const discrete: DiscreteSymmetry[] = [];
  const L = chain.layers;
  L.forEach((a, l) => {
    if (a.normalization !== 'none') charges.push(normalizationCharge(a));
    if (l === L.length - 1) return;
    const b = L[l + 1];
    discrete.push(Object.freeze({ kind: 'permutation' as const, layer: a.name, size: a.units }));
    if (isOdd(a)) discrete.push(Object.freeze({ kind: 'sign-flip' as const, layer: a.name, size: a.units }));
    if (a.normalization !== 'none') return;
    if (a.activation.kind === 'linear') charges.push(glCharge(a, b));
    else {
      const alpha = homogeneityDegree(a);
      if (alpha !== undefined) charges.push(rescalingCharge(a, b, alpha));
    }
  });
  const last = L[L.length - 1];
  if (last.activation.kind === 'softmax') charges.push(softmaxCharge(last));
  if (chain.hamiltonian && last.bias >= 0) charges.push(hnnBiasCharge(last));
  return Object.freeze({ chain, charges: Object.freeze(charges), discrete: Object.freeze(discrete) });
}
