import * as tf from '@tensorflow/tfjs';

/** Point weights of the observable network F_θ (one weight sample of the posterior). */
export interface NetworkWeights {
  /** Hidden layers: `w` `[in, out]`, bias `b` `[out]`; the last entry is the linear read-out `[hidden, 1]`, no bias. */
  readonly layers: readonly { readonly w: tf.Tensor2D; readonly b?: tf.Tensor1D }[];
  /** Learnable scalar multiplying the first layer's pre-activation. */
  readonly scale: tf.Scalar;
}

/** ELU with parameter alpha: `z` for z > 0, `alpha (exp(z) - 1)` otherwise (tf.elu is alpha = 1). */
export function eluAlpha(z: tf.Tensor, alpha: number): tf.Tensor {
  const e = tf.elu(z);
  return alpha === 1 ? e : tf.add(e, tf.mul(alpha - 1, tf.minimum(e, 0)));
}

/**
 * Derivative of {@link eluAlpha} from its input `z` and output `a`: 1 for z > 0, `a + alpha` (= alpha exp z)
 * otherwise; written as `1 + (a + alpha − 1) [z <= 0]` with the mask from `tf.step` (zero derivative), so that
 * it costs four element-wise ops whose own gradients are plain products (the derivative of a training loss that
 * contains it is exact, and cheaper than through `tf.minimum`).
 */
function eluAlphaDerivative(z: tf.Tensor, a: tf.Tensor, alpha: number): tf.Tensor {
  const negative = tf.sub(1, tf.step(z));
  return tf.add(tf.mul(alpha === 1 ? a : tf.add(a, alpha - 1), negative), 1);
}

interface Pass {
  layers: { w: tf.Tensor2D; b?: tf.Tensor }[];
  pre: tf.Tensor[];
  act: tf.Tensor[];
  out: tf.Tensor;
}

/** The layers with the first-layer scale folded into its (small) weight matrix and bias. */
function scaledLayers(weights: NetworkWeights) {
  const [first, ...rest] = weights.layers;
  return [
    {
      w: tf.mul(first.w, weights.scale) as tf.Tensor2D,
      b: first.b ? tf.mul(first.b, weights.scale) : undefined,
    },
    ...rest,
  ];
}

function forward(weights: NetworkWeights, y: tf.Tensor2D, alpha: number): Pass {
  const layers = scaledLayers(weights);
  const pre: tf.Tensor[] = [];
  const act: tf.Tensor[] = [];
  let h: tf.Tensor = y;
  for (let l = 0; l < layers.length - 1; l++) {
    const { w, b } = layers[l];
    let z: tf.Tensor = tf.matMul(h, w);
    if (b) z = tf.add(z, b);
    pre.push(z);
    h = eluAlpha(z, alpha);
    act.push(h);
  }
  const out = tf.matMul(h, layers[layers.length - 1].w);
  return { layers, pre, act, out };
}

/**
 * The observable network F_θ: an MLP `R^M -> R` with ELU(alpha) activations, a learnable scalar on the first
 * pre-activation and a linear read-out without bias: `F(y) = w_L^T elu(... elu(s (W_1 y + b_1)) ...)`.
 *
 * @param weights - point weights (borrowed).
 * @param y - `[N, M]` inputs (borrowed).
 * @param alpha - ELU parameter (the paper: 2 for one oscillator, 1 otherwise).
 * @returns `[N]` values, owned by the caller.
 * @example const f = networkValue(weights, tf.randomNormal([10, 2]), 1);
 * @see T. van der Ouderaa, M. van der Wilk, P. de Haan, "Noether's Razor", NeurIPS 2024 (appendix: model).
 */
export function networkValue(weights: NetworkWeights, y: tf.Tensor2D, alpha: number): tf.Tensor1D {
  return tf.tidy(() => forward(weights, y, alpha).out.reshape([-1]) as tf.Tensor1D);
}

/**
 * The input gradient `∇_y F(y)` `[N, M]` of {@link networkValue} by an explicit reverse pass over the layers
 * (transposes materialised once): one batched matMul per layer and two element-wise ops per activation. Built
 * from differentiable ops, so a loss that contains it (Hamiltonian dynamics) is differentiated exactly with
 * one ordinary reverse pass; equals `tf.grad` of {@link networkValue} (tested).
 *
 * @param weights - point weights (borrowed).
 * @param y - `[N, M]` (borrowed).
 * @param alpha - ELU parameter.
 * @returns `[N, M]`, owned by the caller.
 * @example const g = networkInputGradient(weights, y, 1); // same as tf.grad((t) => tf.sum(networkValue(weights, t, 1)))(y)
 */
export function networkInputGradient(weights: NetworkWeights, y: tf.Tensor2D, alpha: number): tf.Tensor2D {
  return tf.tidy(() => {
    const { layers, pre, act } = forward(weights, y, alpha);
    const last = layers.length - 1;
    // d F / d a_{last hidden} = w_L^T, the same row for every point.
    let g: tf.Tensor = tf.reshape(layers[last].w, [1, -1]);
    for (let l = last - 1; l >= 0; l--) {
      g = tf.mul(g, eluAlphaDerivative(pre[l], act[l], alpha));
      g = tf.matMul(g, tf.transpose(layers[l].w));
    }
    return g as tf.Tensor2D;
  });
}
