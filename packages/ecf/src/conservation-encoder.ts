import type * as tf from '@tensorflow/tfjs';
import { resolveSpec, fieldShape } from './conservation-spec';
import type { ConservationSpec, ResolvedSpec } from './conservation-spec';
import { shapeMismatch } from './errors';

/**
 * The conserved integrals of a batch of fields, per sample and channel, in float64: `linear[s * C + c] =
 * Σ_j w_j u_s(x_j, c)` and `quadratic[s * C + c] = Σ_j w_j u_s(x_j, c)²` (NaN for channels without that
 * invariant). Plain data (no tensors).
 */
export interface ConservedIntegrals {
  readonly batch: number;
  readonly channels: number;
  readonly linear: Float64Array;
  readonly quadratic: Float64Array;
}

/** The encoder returned by {@link conservationEncoder}. */
export interface ConservationEncoder {
  /** Integrals of a float32 tensor `[batch, n, C]` or `[batch, nx, ny, C]` (borrowed; one synchronous read). */
  encode(u: tf.Tensor): ConservedIntegrals;
  /** The same on float64 values with layout `[batch, n, C]` (row-major). */
  encode64(u: ArrayLike<number>, shape: readonly [number, number, number]): ConservedIntegrals;
  readonly spec: ResolvedSpec;
}

/** Σ w u and Σ w u² per (sample, channel) of row-major `[b, n, C]` values, in float64. */
export function integrate(
  values: ArrayLike<number>,
  dims: [number, number, number],
  spec: ResolvedSpec,
): ConservedIntegrals {
  const [b, n, C] = dims;
  const w = spec.grid.w;
  const linear = new Float64Array(b * C).fill(NaN);
  const quadratic = new Float64Array(b * C).fill(NaN);
  for (let c = 0; c < C; c++) {
    const t = spec.typeOf(c);
    if (t === null) continue;
    for (let s = 0; s < b; s++) {
      let s1 = 0;
      let s2 = 0;
      for (let j = 0; j < n; j++) {
        const v = values[(s * n + j) * C + c];
        s1 += w[j] * v;
        s2 += w[j] * v * v;
      }
      if (t !== 'quadratic') linear[s * C + c] = s1;
      if (t !== 'linear') quadratic[s * C + c] = s2;
    }
  }
  return { batch: b, channels: C, linear, quadratic };
}

/**
 * The conservation encoder of ECF: a parameter-free map from an operator's input to the conserved integrals
 * it carries, per sample and channel (linear `∫ u`, quadratic `∫ u²`, or both), with the given quadrature
 * weights. On a uniform periodic grid with `['linear']` this is the paper's encoder (the zero Fourier mode
 * times the cell size); any weights (trapezoid, Gauss, cell volumes of a non-uniform grid) work the same.
 * Sums run in float64 on the float32 values, so the targets are exact for the data as stored.
 *
 * @param spec - `{ weights, invariants }` (see {@link ConservationSpec}).
 * @throws {EcfError} `INVALID_ARGUMENT` for a bad spec; `SHAPE_MISMATCH` (from `encode`) for a field that
 *   does not match the weights.
 * @example
 * const enc = conservationEncoder({ weights: new Float64Array(256).fill(1 / 256), invariants: ['linear'] });
 * const { linear } = enc.encode(u0); // Σ w u per sample and channel
 * @see Dong et al., "An Exterior-Embedding Neural Operator Framework for Preserving Conservation Laws",
 *   arXiv 2511.16573 (2025).
 */
export function conservationEncoder(spec: ConservationSpec): ConservationEncoder {
  const resolved = resolveSpec(spec, 'conservationEncoder');
  return {
    spec: resolved,
    encode(u) {
      const dims = fieldShape(u, resolved, ['conservationEncoder.encode', 'u']);
      return integrate(u.dataSync(), dims, resolved);
    },
    encode64(u, shape) {
      const [b, n, C] = shape;
      if (n !== resolved.n || u.length !== b * n * C)
        shapeMismatch(
          ['conservationEncoder.encode64', 'shape'],
          `[batch, ${resolved.n}, channels] matching ${u.length} values`,
          shape,
        );
      return integrate(u, [b, n, C], resolved);
    },
  };
}
