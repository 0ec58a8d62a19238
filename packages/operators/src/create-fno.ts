import * as tf from '@tensorflow/tfjs';
import { checkInt, invalid, shapeMismatch } from './errors';
import { createInit, gelu, pointwise } from './neural-operator';
import type { FnoConfig, NeuralOperator } from './neural-operator';
import { spectralConv1d, spectralConv2d, spectralTables1d, spectralTables2d } from './spectral-conv';
import type { SpectralTables1d, SpectralTables2d } from './spectral-conv';

/** Options of {@link createFno1d} and {@link createFno2d}. */
export interface FnoOptions {
  /** Input channels (without the appended grid). */
  inChannels: number;
  /** Output channels; default `inChannels`. */
  outChannels?: number;
  /** Kept modes: 1D a number (default 16); 2D `[m1, m2]` (default [12, 12]). */
  modes?: number | [number, number];
  /** Channel width; default 64 (1D) / 32 (2D). */
  width?: number;
  /** Fourier layers; default 4. */
  layers?: number;
  /** Hidden width of the projection; default 128. */
  projectionWidth?: number;
  /** Append the coordinate grid as channels (as in the FNO paper); default true. */
  appendGrid?: boolean;
  /** Predict the increment: `out = x + net(x)`; default false. */
  residual?: boolean;
  /** Seed of the initial weights (integer); default 0. */
  seed?: number;
}

function resolveConfig(fn: string, options: FnoOptions, dims: 1 | 2): FnoConfig {
  if (options === null || typeof options !== 'object') invalid([fn, 'options'], 'an options object', options);
  const inChannels = checkInt([fn, 'options.inChannels'], options.inChannels);
  const outChannels = checkInt([fn, 'options.outChannels'], options.outChannels ?? inChannels);
  const modes = options.modes ?? (dims === 1 ? 16 : [12, 12]);
  if (dims === 1) checkInt([fn, 'options.modes'], modes);
  else if (!Array.isArray(modes) || modes.length !== 2)
    invalid([fn, 'options.modes'], 'a pair [m1, m2]', modes);
  else modes.forEach((m, i) => checkInt([fn, `options.modes[${i}]`], m));
  const residual = options.residual ?? false;
  if (residual && inChannels !== outChannels)
    invalid([fn, 'options.residual'], 'false unless inChannels = outChannels', residual);
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) invalid([fn, 'options.seed'], 'an integer', seed);
  return {
    inChannels,
    outChannels,
    modes: modes,
    width: checkInt([fn, 'options.width'], options.width ?? (dims === 1 ? 64 : 32)),
    layers: checkInt([fn, 'options.layers'], options.layers ?? 4),
    projectionWidth: checkInt([fn, 'options.projectionWidth'], options.projectionWidth ?? 128),
    appendGrid: options.appendGrid ?? true,
    residual,
    seed,
  };
}

/** Grid coordinates `j / n` as a `[1, n, 1]` (1D) or `[1, nx, ny, 2]` (2D) constant. */
function gridChannels(space: number[]): tf.Tensor {
  if (space.length === 1) {
    const [n] = space;
    return tf.tensor3d(
      Float32Array.from({ length: n }, (_, j) => j / n),
      [1, n, 1],
    );
  }
  const [nx, ny] = space;
  const v = new Float32Array(nx * ny * 2);
  for (let i = 0; i < nx; i++)
    for (let j = 0; j < ny; j++) {
      v[2 * (i * ny + j)] = i / nx;
      v[2 * (i * ny + j) + 1] = j / ny;
    }
  return tf.tensor4d(v, [1, nx, ny, 2]);
}

function buildFno(config: FnoConfig, dims: 1 | 2): NeuralOperator {
  const init = createInit(config.seed, dims === 1 ? 'fno1d' : 'fno2d');
  const cin = config.inChannels + (config.appendGrid ? dims : 0);
  const lift = init.dense('lift', [cin, config.width]);
  const modeCount =
    dims === 1
      ? (config.modes as number)
      : 2 * (config.modes as [number, number])[0] * (config.modes as [number, number])[1];
  const blocks = Array.from({ length: config.layers }, (_, l) => ({
    spectral: init.spectral(`layer${l}/spectral`, [modeCount, config.width, config.width]),
    skip: init.dense(`layer${l}/skip`, [config.width, config.width]),
  }));
  const proj1 = init.dense('project1', [config.width, config.projectionWidth]);
  const proj2 = init.dense('project2', [config.projectionWidth, config.outChannels]);
  const cache = new Map<string, { tables: SpectralTables1d | SpectralTables2d; grid: tf.Tensor }>();
  const resources = (space: number[]) => {
    const key = space.join('x');
    let r = cache.get(key);
    if (!r) {
      const tables =
        dims === 1
          ? spectralTables1d(space[0], config.modes as number)
          : spectralTables2d(space as [number, number], config.modes as [number, number]);
      // cached across calls: keep them out of any enclosing tf.tidy (a first call inside a tidy or a tape)
      Object.values(tables).forEach((t) => t instanceof tf.Tensor && tf.keep(t));
      r = { tables, grid: tf.keep(gridChannels(space)) };
      cache.set(key, r);
    }
    return r;
  };
  const kind = dims === 1 ? 'fno1d' : 'fno2d';
  return {
    config: { kind, ...config },
    variables: init.variables,
    apply(x: tf.Tensor) {
      if (!(x instanceof tf.Tensor) || x.rank !== dims + 2 || x.shape[dims + 1] !== config.inChannels)
        shapeMismatch(
          [`${kind}.apply`, 'x'],
          `a tensor [batch, ${dims === 1 ? 'n' : 'nx, ny'}, ${config.inChannels}]`,
          x,
        );
      const space = x.shape.slice(1, dims + 1);
      const { tables, grid } = resources(space);
      return tf.tidy(() => {
        let h: tf.Tensor = x;
        if (config.appendGrid) {
          const g = tf.tile(grid, [x.shape[0], ...space.map(() => 1), 1]);
          h = tf.concat([x, g], dims + 1);
        }
        h = pointwise(h, lift.w, lift.b);
        blocks.forEach((blk, l) => {
          const s =
            dims === 1
              ? spectralConv1d(h, blk.spectral, tables as SpectralTables1d)
              : spectralConv2d(h, blk.spectral, tables as SpectralTables2d);
          const z = tf.add(s, pointwise(h, blk.skip.w, blk.skip.b));
          h = l < blocks.length - 1 ? gelu(z) : z;
        });
        const out = pointwise(gelu(pointwise(h, proj1.w, proj1.b)), proj2.w, proj2.b);
        return config.residual ? tf.add(x, out) : out;
      });
    },
    dispose() {
      for (const r of cache.values()) {
        tf.dispose(Object.values(r.tables).filter((t): t is tf.Tensor => t instanceof tf.Tensor));
        r.grid.dispose();
      }
      cache.clear();
      tf.dispose(init.variables);
    },
  };
}

/**
 * A 1D Fourier neural operator: lifting (pointwise dense from the input channels, plus the grid coordinate),
 * `layers` Fourier layers `h ← GELU(K h + W h + b)` (K the spectral convolution on the lowest `modes` modes,
 * W pointwise; no activation after the last), and a two-layer pointwise projection with GELU.
 * Runs on every backend (the DFT is a matMul against cos/sin tables, cached per grid size), exact gradients,
 * resolution-independent weights.
 *
 * @param options - see {@link FnoOptions}.
 * @returns a {@link NeuralOperator} mapping `[batch, n, inChannels]` to `[batch, n, outChannels]`.
 * @throws {OperatorsError} `INVALID_ARGUMENT` for bad options.
 * @example
 * const fno = createFno1d({ inChannels: 1, modes: 16, width: 64, seed: 0 });
 * const y = fno.apply(tf.zeros([8, 256, 1]));
 * @see Li, Kovachki, Azizzadenesheli, Liu, Bhattacharya, Stuart, Anandkumar, "Fourier Neural Operator for
 *   Parametric Partial Differential Equations", ICLR 2021.
 */
export function createFno1d(options: FnoOptions): NeuralOperator {
  return buildFno(resolveConfig('createFno1d', options, 1), 1);
}

/**
 * A 2D Fourier neural operator (the 1D architecture with 2D spectral convolutions keeping
 * `kx ∈ {0..m1-1, -m1..-1}`, `ky ∈ 0..m2-1`). Maps `[batch, nx, ny, inChannels]` to
 * `[batch, nx, ny, outChannels]`.
 *
 * @throws {OperatorsError} `INVALID_ARGUMENT` for bad options.
 * @example
 * const fno = createFno2d({ inChannels: 1, modes: [8, 8], width: 20 });
 * @see Li et al., ICLR 2021.
 */
export function createFno2d(options: FnoOptions): NeuralOperator {
  return buildFno(resolveConfig('createFno2d', options, 2), 2);
}

/** Rebuilds an FNO from its config (used by `loadOperator`). Internal. */
export function fnoFromConfig(config: FnoConfig, dims: 1 | 2): NeuralOperator {
  return buildFno(config, dims);
}
