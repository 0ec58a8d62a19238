import * as tf from '@tensorflow/tfjs';
import { applyAffine, targetConstants, tensorAffine } from '@noether/pinn-proj';
import type { Constraint } from '@noether/pinn-proj';
import { resolveSpec, fieldShape } from './conservation-spec';
import type { ConservationSpec, ResolvedSpec } from './conservation-spec';
import type { ConservedIntegrals } from './conservation-encoder';
import { invalid, shapeMismatch } from './errors';

/** Options of {@link ConservationDecoder.decode}. */
export interface DecodeOptions {
  /**
   * Float64 projection coefficients with correctly rounded outputs (`true`, default; one synchronous read per
   * call) or pure float32 (`false`; no read, for backends where reads are costly). See `tensorAffine` of
   * `@noether/pinn-proj`.
   */
  precise?: boolean;
  /** Denominator floor of the quadratic/joint scalings; default 1e-12. */
  varianceFloor?: number;
}

/** The decoder returned by {@link conservationDecoder}. */
export interface ConservationDecoder {
  /**
   * Projects `v` (`[batch, n, C]` or `[batch, nx, ny, C]`, borrowed) so each conserved channel carries the
   * target integrals; returns a tensor of the same shape, owned by the caller. Differentiable in `v`.
   */
  decode(v: tf.Tensor, targets: ConservedIntegrals, options?: DecodeOptions): tf.Tensor;
  readonly spec: ResolvedSpec;
}

/** The decoder on a resolved spec (shared with `withConservation` and the layer). */
export function decodeWith(
  spec: ResolvedSpec,
  v: tf.Tensor,
  options: DecodeOptions & { targets: ConservedIntegrals },
): tf.Tensor {
  const { targets } = options;
  const fn = 'conservationDecoder.decode';
  const [b, n, C] = fieldShape(v, spec, [fn, 'v']);
  if (!targets || targets.batch !== b || targets.channels !== C || !(targets.linear instanceof Float64Array))
    shapeMismatch([fn, 'targets'], `integrals of ${b} samples x ${C} channels (from the encoder)`, targets);
  const eps = options.varianceFloor ?? 1e-12;
  if (!Number.isFinite(eps) || eps <= 0)
    invalid([fn, 'options.varianceFloor'], 'a finite positive number', eps);
  return tf.tidy(() => {
    const v3 = tf.reshape(v, [b, n, C]);
    const columns: tf.Tensor[] = [];
    for (let c = 0; c < C; c++) {
      const type = spec.typeOf(c);
      const col = C === 1 ? v3 : tf.slice(v3, [0, 0, c], [-1, -1, 1]);
      if (type === null) {
        columns.push(col);
        continue;
      }
      const c1 = Float64Array.from({ length: b }, (_, s) => targets.linear[s * C + c]);
      const c2 = Float64Array.from({ length: b }, (_, s) => targets.quadratic[s * C + c]);
      const constraint: Constraint =
        type === 'linear' ? { type, c1 } : type === 'quadratic' ? { type, c2 } : { type, c1, c2 };
      const k = targetConstants(constraint, spec.grid.W, { slices: b, policy: 'clamp', fn });
      const U = tf.reshape(col, [b, n]) as tf.Tensor2D;
      const projected = applyAffine(
        U,
        tensorAffine(U, spec.grid, { type, targets: k, eps, precise: options.precise }),
      );
      columns.push(tf.reshape(projected, [b, n, 1]));
    }
    const out = columns.length === 1 ? columns[0] : tf.concat(columns, 2);
    return tf.reshape(out, v.shape);
  });
}

/**
 * The conservation decoder of ECF: corrects an operator's prediction so that, per sample and conserved
 * channel, `Σ w ṽ = c1` and/or `Σ w ṽ² = c2` hold exactly (to float32 rounding of the outputs), by the
 * weighted L2 projection of `@noether/pinn-proj`:
 * linear `ṽ = v + (c1 − Σ w v)/W` (on a uniform grid: replace the mean, i.e. the zero Fourier mode — the
 * paper's decoder); quadratic `ṽ = v √(c2 / Σ w v²)`; joint `ṽ = c1/W + (v − m) √((c2 − c1²/W)/S)`.
 * Infeasible quadratic targets are clamped to the nearest feasible value. Differentiable in `v` (train
 * through it: the integrated mode).
 *
 * @throws {EcfError} `INVALID_ARGUMENT` for a bad spec; `SHAPE_MISMATCH` (from `decode`) for mismatched
 *   fields or targets.
 * @example
 * const spec = { weights: q.weights, invariants: ['linear', 'quadratic'] as const };
 * const targets = conservationEncoder(spec).encode(u0);
 * const corrected = conservationDecoder(spec).decode(prediction, targets);
 * @see Dong et al., arXiv 2511.16573 (2025); Baez et al., arXiv 2511.09048 (2025) (the projection).
 */
export function conservationDecoder(spec: ConservationSpec): ConservationDecoder {
  const resolved = resolveSpec(spec, 'conservationDecoder');
  return {
    spec: resolved,
    decode: (v, targets, options) => decodeWith(resolved, v, { ...options, targets }),
  };
}
