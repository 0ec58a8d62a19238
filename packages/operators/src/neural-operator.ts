import * as tf from '@tensorflow/tfjs';
import { uniformRng } from './rng';

/** The serialisable description of an operator (enough to rebuild it; weights travel separately). */
export type OperatorConfig =
  ({ kind: 'fno1d' } & FnoConfig) | ({ kind: 'fno2d' } & FnoConfig) | ({ kind: 'unet1d' } & UnetConfig);

/** Configuration of an FNO (see `createFno1d` / `createFno2d`). */
export interface FnoConfig {
  inChannels: number;
  outChannels: number;
  /** Kept Fourier modes (1D: one number; 2D: `[m1, m2]`). */
  modes: number | [number, number];
  /** Channel width of the Fourier layers. */
  width: number;
  /** Number of Fourier layers. */
  layers: number;
  /** Hidden width of the projection MLP. */
  projectionWidth: number;
  /** Append the grid coordinate(s) in [0, 1) as input channels. */
  appendGrid: boolean;
  /** Add the input to the output (`out = x + net(x)`; needs inChannels = outChannels). */
  residual: boolean;
  seed: number;
}

/** Configuration of the 1D U-Net baseline (see `createUnet1d`). */
export interface UnetConfig {
  inChannels: number;
  outChannels: number;
  /** Channels at the finest level (doubled per level). */
  width: number;
  /** Down/up-sampling levels (n must be divisible by 2^levels). */
  levels: number;
  /** Convolution kernel size (odd). */
  kernelSize: number;
  /** `'zero'` ('same' convolutions) or `'periodic'` (wrap-around padding). */
  padding: 'zero' | 'periodic';
  residual: boolean;
  seed: number;
}

/**
 * A neural operator as plain data and a function: named variables and `apply`, which maps
 * `[batch, ...space, inChannels]` to `[batch, ...space, outChannels]`. Differentiable (use it inside
 * `tf.grad` or a trainer's loss). The tensors it returns are owned by the caller; its variables are owned by
 * the operator (`dispose()` releases them and its cached DFT tables).
 */
export interface NeuralOperator {
  readonly config: OperatorConfig;
  /** Trainable variables in a fixed order (the order of save/load and checkpoints). */
  readonly variables: readonly tf.Variable[];
  apply(x: tf.Tensor): tf.Tensor;
  dispose(): void;
}

/** Exact GELU `x Φ(x) = x (1 + erf(x / √2)) / 2` (erf's gradient is order-safe in tfjs). */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))));
}

/** Pointwise dense layer on the last axis: `x W + b`, x `[..., cin]`, W `[cin, cout]`. */
export function pointwise(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const shape = x.shape;
    const cin = shape[shape.length - 1];
    const flat = tf.reshape(x, [-1, cin]);
    const y = tf.add(tf.matMul(flat, w), b);
    return tf.reshape(y, [...shape.slice(0, -1), w.shape[1] as number]);
  });
}

/** Creates named variables from a seeded uniform initialiser. Internal helper of the factories. */
export function createInit(seed: number, prefix: string) {
  const next = uniformRng(seed);
  const variables: tf.Variable[] = [];
  const make = (name: string, shape: number[], init: { scale: number; centred: boolean }) => {
    const { scale, centred } = init;
    const size = shape.reduce((a, c) => a * c, 1);
    const v = new Float32Array(size);
    for (let i = 0; i < size; i++) v[i] = centred ? scale * (2 * next() - 1) : scale * next();
    const initial = tf.tensor(v, shape);
    const variable = tf.variable(initial, true, `${prefix}/${name}_${uniqueId()}`);
    initial.dispose();
    variables.push(variable);
    return variable;
  };
  return {
    variables,
    /** Glorot-uniform dense weights `[cin, cout]` and zero bias. */
    dense(name: string, [cin, cout]: [number, number]) {
      const w = make(`${name}/kernel`, [cin, cout], { scale: Math.sqrt(6 / (cin + cout)), centred: true });
      const b = make(`${name}/bias`, [cout], { scale: 0, centred: true });
      return { w, b };
    },
    /** FNO's initialisation of complex spectral weights: `U[0, 1) / (cin cout)`. */
    spectral(name: string, [modes, cin, cout]: [number, number, number]) {
      const s = 1 / (cin * cout);
      const init = { scale: s, centred: false };
      return {
        wr: make(`${name}/wr`, [modes, cin, cout], init),
        wi: make(`${name}/wi`, [modes, cin, cout], init),
      };
    },
    /** He-uniform conv kernel `[k, cin, cout]` and zero bias. */
    conv(name: string, [k, cin, cout]: [number, number, number]) {
      const w = make(`${name}/kernel`, [k, cin, cout], { scale: Math.sqrt(6 / (k * cin)), centred: true });
      const b = make(`${name}/bias`, [cout], { scale: 0, centred: true });
      return { w, b };
    },
  };
}

let counter = 0;
function uniqueId(): number {
  counter += 1;
  return counter;
}
