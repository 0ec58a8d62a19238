import * as tf from '@tensorflow/tfjs';
import { ParamSymmetryError, checkNumber, invalid } from './errors';

/**
 * Activation of one dense layer, as far as its symmetries are concerned.
 * - `linear`: identity (GL(h) symmetry between two linear maps; odd).
 * - `relu`, `leakyRelu` (slope `alpha`): positively 1-homogeneous (per-neuron positive rescaling).
 * - `homogeneous`: `sigma(c z) = c^degree sigma(z)` for c > 0, here `sigma(z) = max(z, 0)^degree` (rescaling
 *   with exponent `degree`).
 * - `tanh`, `sin`: odd (sign flip and permutation only). `softplus`, `sigmoid`: permutation only.
 * - `softmax`: output head only (translation of the logits).
 */
export type Activation =
  | { kind: 'linear' }
  | { kind: 'relu' }
  | { kind: 'leakyRelu'; alpha: number }
  | { kind: 'homogeneous'; degree: number }
  | { kind: 'tanh' }
  | { kind: 'sin' }
  | { kind: 'softplus' }
  | { kind: 'sigmoid' }
  | { kind: 'softmax' };

/** Normalisation applied to a dense layer's pre-activation (scale invariance of the weights feeding it). */
export type Normalization = 'none' | 'layer' | 'batch';

/** One dense layer `z = x K + b`, `a = sigma(norm(z))`; kernel `K` is `[inputDim, units]` (tfjs layout). */
export interface DenseLayer {
  readonly name: string;
  readonly inputDim: number;
  readonly units: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly normalization: Normalization;
  /** Index of the kernel in the weight list. */
  readonly kernel: number;
  /** Index of the bias in the weight list (-1 without bias). */
  readonly bias: number;
}

/**
 * A chain of dense layers with the layout of its weight list (the order of `model.getWeights()`).
 * Frozen data, made by {@link defineDenseChain} or {@link denseChainFromModel}.
 */
export interface DenseChain {
  readonly layers: readonly DenseLayer[];
  /** Shapes of the weights, in order (kernels `[in, out]`, biases `[out]`, normalisation weights). */
  readonly shapes: readonly (readonly number[])[];
  /** Number of scalar parameters. */
  readonly size: number;
  /** An HNN: the network outputs H(x) and only dH/dx enters the loss (the output bias has zero gradient). */
  readonly hamiltonian: boolean;
}

/** What {@link defineDenseChain} takes. */
export interface DenseChainSpec {
  /** Input dimension. */
  inputDim: number;
  /** The layers, first to last. */
  layers: { units: number; activation?: Activation | Activation['kind']; useBias?: boolean; name?: string }[];
  /** See {@link DenseChain.hamiltonian}. Default false. */
  hamiltonian?: boolean;
}

/** A float64 weight list in the layout of a {@link DenseChain} (row-major kernels `[in, out]`). */
export type Weights64 = readonly Float64Array[];

function toActivation(fn: string, a: Activation | Activation['kind'] | undefined): Activation {
  if (a === undefined) return { kind: 'linear' };
  if (typeof a === 'string') {
    if (a === 'leakyRelu') return { kind: 'leakyRelu', alpha: 0.2 };
    if (a === 'homogeneous') invalid([fn, 'activation'], "an object { kind: 'homogeneous', degree }", a);
    if (!['linear', 'relu', 'tanh', 'sin', 'softplus', 'sigmoid', 'softmax'].includes(a))
      invalid([fn, 'activation'], 'a known activation', a);
    return { kind: a } as Activation;
  }
  if (a.kind === 'leakyRelu') checkNumber([fn, 'activation.alpha'], a.alpha, { min: 0, inclusive: true });
  if (a.kind === 'homogeneous') checkNumber([fn, 'activation.degree'], a.degree, { min: 0 });
  return Object.freeze({ ...a });
}

/**
 * Defines a dense chain from its sizes and activations (weights laid out as kernel, bias per layer).
 *
 * @throws ParamSymmetryError `INVALID_ARGUMENT` for non-positive sizes or unknown activations.
 * @example
 * ```ts
 * const chain = defineDenseChain({ inputDim: 2, layers: [{ units: 8, activation: 'relu' }, { units: 1 }] });
 * ```
 */
export function defineDenseChain(spec: DenseChainSpec): DenseChain {
  const fn = 'defineDenseChain';
  if (!spec || typeof spec !== 'object') invalid([fn, 'spec'], 'an object', spec);
  checkNumber([fn, 'inputDim'], spec.inputDim, { min: 1, inclusive: true, integer: true });
  if (!Array.isArray(spec.layers) || spec.layers.length === 0)
    invalid([fn, 'layers'], 'a non-empty array', spec.layers);
  const layers: DenseLayer[] = [];
  const shapes: number[][] = [];
  let inputDim = spec.inputDim;
  spec.layers.forEach((l, i) => {
    checkNumber([fn, `layers[${i}].units`], l.units, { min: 1, inclusive: true, integer: true });
    const useBias = l.useBias ?? true;
    const kernel = shapes.length;
    shapes.push([inputDim, l.units]);
    const bias = useBias ? shapes.length : -1;
    if (useBias) shapes.push([l.units]);
    layers.push(
      Object.freeze({
        name: l.name ?? `dense_${i}`,
        inputDim,
        units: l.units,
        activation: toActivation(fn, l.activation),
        useBias,
        normalization: 'none' as const,
        kernel,
        bias,
      }),
    );
    inputDim = l.units;
  });
  return freezeChain(layers, shapes, spec.hamiltonian ?? false);
}

function freezeChain(layers: DenseLayer[], shapes: number[][], hamiltonian: boolean): DenseChain {
  const size = shapes.reduce((a, s) => a + s.reduce((p, d) => p * d, 1), 0);
  return Object.freeze({
    layers: Object.freeze(layers),
    shapes: Object.freeze(shapes.map((s) => Object.freeze(s))),
    size,
    hamiltonian,
  });
}

function activationOf(name: string, layer: string): Activation {
  switch (name) {
    case 'linear':
      return { kind: 'linear' };
    case 'relu':
      return { kind: 'relu' };
    case 'tanh':
      return { kind: 'tanh' };
    case 'softplus':
      return { kind: 'softplus' };
    case 'sigmoid':
      return { kind: 'sigmoid' };
    case 'softmax':
      return { kind: 'softmax' };
    default:
      throw new ParamSymmetryError(
        'UNSUPPORTED',
        `denseChainFromModel(): layer '${layer}' has activation '${name}', which has no symmetry rule (supported: linear, relu, LeakyReLU layers, tanh, softplus, sigmoid, softmax)`,
        { fn: 'denseChainFromModel' },
      );
  }
}

/**
 * Reads the dense-chain structure of a tfjs model: `Dense` layers (activations linear, relu, tanh, softplus,
 * sigmoid, softmax), `LeakyReLU` / `Activation` layers after a dense layer, and `LayerNormalization` /
 * `BatchNormalization` after a dense layer (its weights keep their place in the weight list). Weight
 * indices follow `model.getWeights()`.
 *
 * @throws ParamSymmetryError `UNSUPPORTED` for any other layer kind or activation.
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 8, activation: 'relu' }), tf.layers.dense({ units: 1 })] });
 * const chain = denseChainFromModel(model);
 * ```
 */
export function denseChainFromModel(
  model: tf.LayersModel,
  options: { hamiltonian?: boolean } = {},
): DenseChain {
  const fn = 'denseChainFromModel';
  if (!(model instanceof tf.LayersModel)) invalid([fn, 'model'], 'a tf.LayersModel', model);
  const layers: DenseLayer[] = [];
  const shapes: number[][] = [];
  const mutable = (): { activation: Activation; normalization: Normalization } =>
    layers[layers.length - 1] as unknown as { activation: Activation; normalization: Normalization };
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    const config = layer.getConfig() as Record<string, unknown>;
    if (cls === 'InputLayer') continue;
    if (cls === 'Dense') {
      const kernelShape = layer.weights[0].shape as number[];
      const useBias = config.useBias !== false;
      const kernel = shapes.length;
      shapes.push([...kernelShape]);
      const bias = useBias ? shapes.length : -1;
      if (useBias) shapes.push([kernelShape[1]]);
      layers.push({
        name: layer.name,
        inputDim: kernelShape[0],
        units: kernelShape[1],
        activation: activationOf(String(config.activation ?? 'linear'), layer.name),
        useBias,
        normalization: 'none',
        kernel,
        bias,
      });
      continue;
    }
    const last = layers.length > 0 ? mutable() : undefined;
    if (last && cls === 'LeakyReLU' && last.activation.kind === 'linear') {
      last.activation = { kind: 'leakyRelu', alpha: Number(config.alpha ?? 0.3) };
    } else if (last && cls === 'Activation' && last.activation.kind === 'linear') {
      last.activation = activationOf(String(config.activation), layer.name);
    } else if (
      last &&
      (cls === 'LayerNormalization' || cls === 'BatchNormalization') &&
      last.normalization === 'none' &&
      last.activation.kind === 'linear'
    ) {
      last.normalization = cls === 'LayerNormalization' ? 'layer' : 'batch';
      for (const w of layer.weights) shapes.push([...(w.shape as number[])]);
    } else {
      throw new ParamSymmetryError(
        'UNSUPPORTED',
        `${fn}(): layer '${layer.name}' (${cls}) is not part of a dense chain (Dense, then optionally one LeakyReLU/Activation/LayerNormalization/BatchNormalization)`,
        { fn },
      );
    }
  }
  if (layers.length === 0) invalid([fn, 'model'], 'a model with at least one Dense layer', model);
  return freezeChain(
    layers.map((l) => Object.freeze({ ...l, activation: Object.freeze({ ...l.activation }) })),
    shapes,
    options.hamiltonian ?? false,
  );
}

/** Checks a float64 weight list against the chain's shapes. */
export function checkWeights64(
  where: string | readonly [fn: string, arg: string],
  chain: DenseChain,
  weights: unknown,
): Weights64 {
  const [fn, arg] = typeof where === 'string' ? [where, 'weights'] : where;
  if (!Array.isArray(weights) || weights.length !== chain.shapes.length)
    invalid([fn, arg], `an array of ${chain.shapes.length} Float64Array`, weights);
  weights.forEach((w, i) => {
    const n = chain.shapes[i].reduce((a, d) => a * d, 1);
    if (!(w instanceof Float64Array) || w.length !== n)
      throw new ParamSymmetryError(
        'SHAPE_MISMATCH',
        `${fn}(): argument '${arg}[${i}]' must be a Float64Array of length ${n} (shape [${chain.shapes[i].join(',')}]), got ${w instanceof Float64Array ? `length ${w.length}` : typeof w}`,
        { fn },
      );
  });
  return weights as Weights64;
}

/** Copies a tfjs weight list (tensors or `model.getWeights()`) into float64 arrays. Tensors are borrowed. */
export function readWeights64(weights: readonly tf.Tensor[]): Float64Array[] {
  return weights.map((w) => Float64Array.from(w.dataSync()));
}

/** Float32 tensors with the shapes of `chain` from a float64 weight list (owned by the caller). */
export function toTensors(chain: DenseChain, weights: Weights64): tf.Tensor[] {
  return weights.map((w, i) => tf.tensor(Float32Array.from(w), chain.shapes[i] as number[], 'float32'));
}

/** Concatenates a weight list into one vector. */
export function flatten64(weights: Weights64): Float64Array {
  const out = new Float64Array(weights.reduce((a, w) => a + w.length, 0));
  let o = 0;
  for (const w of weights) {
    out.set(w, o);
    o += w.length;
  }
  return out;
}

/** Splits a flat vector into a weight list of the chain's shapes (copies). */
export function unflatten64(chain: DenseChain, flat: Float64Array): Float64Array[] {
  const out: Float64Array[] = [];
  let o = 0;
  for (const s of chain.shapes) {
    const n = s.reduce((a, d) => a * d, 1);
    out.push(flat.slice(o, o + n));
    o += n;
  }
  return out;
}

/** Deep copy of a float64 weight list. */
export function copyWeights64(weights: Weights64): Float64Array[] {
  return weights.map((w) => w.slice());
}
