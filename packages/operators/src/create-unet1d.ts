import * as tf from '@tensorflow/tfjs';
import { checkInt, invalid, shapeMismatch } from './errors';
import { createInit, gelu } from './neural-operator';
import type { NeuralOperator, UnetConfig } from './neural-operator';

/** Options of {@link createUnet1d}. */
export interface Unet1dOptions {
  inChannels: number;
  /** Default `inChannels`. */
  outChannels?: number;
  /** Channels at the finest level, doubled per level; default 32. */
  width?: number;
  /** Down/up-sampling levels; default 2 (the grid size must be divisible by 2^levels). */
  levels?: number;
  /** Odd kernel size; default 5. */
  kernelSize?: number;
  /** `'periodic'` (wrap-around padding, for periodic domains) or `'zero'`; default `'zero'`. */
  padding?: 'zero' | 'periodic';
  /** `out = x + net(x)`; default false. */
  residual?: boolean;
  seed?: number;
}

/**
 * 1D convolution (cross-correlation, stride 1, output size n) as one matMul over shifted copies (im2col):
 * `y[j] = Σ_i x[j + i − h] W[i] + b`, with zero ('same') or periodic padding. Written with slices and matMul
 * so it trains on every backend (wasm has no Conv2DBackpropFilter kernel).
 */
export function conv1dSame(
  x: tf.Tensor,
  p: { w: tf.Tensor; b: tf.Tensor },
  padding: 'zero' | 'periodic',
): tf.Tensor {
  return tf.tidy(() => {
    const [k, cin, cout] = p.w.shape as [number, number, number];
    const [b, n] = x.shape as [number, number, number];
    const h = (k - 1) / 2;
    let padded = x;
    if (h > 0) {
      padded =
        padding === 'zero'
          ? tf.pad(x, [
              [0, 0],
              [h, h],
              [0, 0],
            ])
          : tf.concat([tf.slice(x, [0, n - h, 0], [-1, h, -1]), x, tf.slice(x, [0, 0, 0], [-1, h, -1])], 1);
    }
    const patches =
      k === 1
        ? x
        : tf.concat(
            Array.from({ length: k }, (_, i) => tf.slice(padded, [0, i, 0], [-1, n, -1])),
            2,
          );
    const y = tf.matMul(tf.reshape(patches, [b * n, k * cin]), tf.reshape(p.w, [k * cin, cout]));
    return tf.reshape(tf.add(y, p.b), [b, n, cout]);
  });
}

const conv = conv1dSame;

/**
 * A small 1D U-Net baseline (Ronneberger et al. 2015, as used for PDE surrogates by Gupta & Brandstetter
 * 2022): per level two convolutions with GELU, average-pooling by 2 on the way down, nearest-neighbour
 * upsampling and skip concatenation on the way up, a final pointwise convolution. Maps
 * `[batch, n, inChannels]` to `[batch, n, outChannels]` (n divisible by `2^levels`).
 *
 * @throws {OperatorsError} `INVALID_ARGUMENT` for bad options; `SHAPE_MISMATCH` (from `apply`) for a grid
 *   size not divisible by `2^levels`.
 * @example
 * const unet = createUnet1d({ inChannels: 1, width: 32, levels: 2, seed: 0 });
 * @see O. Ronneberger, P. Fischer, T. Brox, MICCAI 2015; J. K. Gupta, J. Brandstetter, "Towards Multi-
 *   spatiotemporal-scale Generalized PDE Modeling", arXiv 2209.15616 (2022).
 */
export function createUnet1d(options: Unet1dOptions): NeuralOperator {
  const fn = 'createUnet1d';
  if (options === null || typeof options !== 'object') invalid([fn, 'options'], 'an options object', options);
  const inChannels = checkInt([fn, 'options.inChannels'], options.inChannels);
  const kernelSize = checkInt([fn, 'options.kernelSize'], options.kernelSize ?? 5);
  if (kernelSize % 2 !== 1) invalid([fn, 'options.kernelSize'], 'odd', kernelSize);
  const padding = options.padding ?? 'zero';
  if (padding !== 'zero' && padding !== 'periodic')
    invalid([fn, 'options.padding'], "'zero' or 'periodic'", padding);
  const config: UnetConfig = {
    inChannels,
    outChannels: checkInt([fn, 'options.outChannels'], options.outChannels ?? inChannels),
    width: checkInt([fn, 'options.width'], options.width ?? 32),
    levels: checkInt([fn, 'options.levels'], options.levels ?? 2, 0),
    kernelSize,
    padding,
    residual: options.residual ?? false,
    seed: options.seed ?? 0,
  };
  if (!Number.isSafeInteger(config.seed)) invalid([fn, 'options.seed'], 'an integer', config.seed);
  if (config.residual && config.inChannels !== config.outChannels)
    invalid([fn, 'options.residual'], 'false unless inChannels = outChannels', config.residual);
  return unetFromConfig(config);
}

/** Rebuilds a U-Net from its config (used by `loadOperator`). Internal. */
export function unetFromConfig(config: UnetConfig): NeuralOperator {
  const init = createInit(config.seed, 'unet1d');
  const { width: w, levels: L, kernelSize: k } = config;
  const down = Array.from({ length: L + 1 }, (_, l) => {
    const cin = l === 0 ? config.inChannels : w * 2 ** (l - 1);
    const c = w * 2 ** l;
    return { a: init.conv(`down${l}/a`, [k, cin, c]), b: init.conv(`down${l}/b`, [k, c, c]) };
  });
  const up = Array.from({ length: L }, (_, i) => {
    const l = L - 1 - i; // target level
    const cin = w * 2 ** (l + 1) + w * 2 ** l;
    const c = w * 2 ** l;
    return { a: init.conv(`up${l}/a`, [k, cin, c]), b: init.conv(`up${l}/b`, [k, c, c]) };
  });
  const head = init.conv('head', [1, w, config.outChannels]);
  const pad = config.padding;
  return {
    config: { kind: 'unet1d', ...config },
    variables: init.variables,
    apply(x: tf.Tensor) {
      if (!(x instanceof tf.Tensor) || x.rank !== 3 || x.shape[2] !== config.inChannels)
        shapeMismatch(['unet1d.apply', 'x'], `a tensor [batch, n, ${config.inChannels}]`, x);
      const n = x.shape[1] as number;
      if (n % 2 ** L !== 0) shapeMismatch(['unet1d.apply', 'x'], `a grid size divisible by ${2 ** L}`, x);
      return tf.tidy(() => {
        const skips: tf.Tensor[] = [];
        let h: tf.Tensor = x;
        down.forEach((blk, l) => {
          if (l > 0) {
            const [b, m, c] = h.shape as number[];
            h = tf.mean(tf.reshape(h, [b, m / 2, 2, c]), 2);
          }
          h = gelu(conv(gelu(conv(h, blk.a, pad)), blk.b, pad));
          skips.push(h);
        });
        up.forEach((blk, i) => {
          const l = L - 1 - i;
          const [b, m, c] = h.shape as number[];
          const upsampled = tf.reshape(tf.tile(tf.reshape(h, [b, m, 1, c]), [1, 1, 2, 1]), [b, 2 * m, c]);
          h = tf.concat([upsampled, skips[l]], 2);
          h = gelu(conv(gelu(conv(h, blk.a, pad)), blk.b, pad));
        });
        const out = conv(h, head, 'zero');
        return config.residual ? tf.add(x, out) : out;
      });
    },
    dispose() {
      tf.dispose(init.variables);
    },
  };
}
