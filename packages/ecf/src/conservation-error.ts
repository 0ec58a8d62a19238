import { shapeMismatch } from './errors';
import type { ConservedIntegrals } from './conservation-encoder';

/** Per-invariant conservation errors of a prediction against reference integrals. */
export interface ConservationErrors {
  /** max over samples and linear channels of `|Σ w v − c1| / Σ w |u_ref|` (NaN if none). */
  linear: number;
  /** max over samples and quadratic channels of `|Σ w v² − c2| / c2` (NaN if none). */
  quadratic: number;
}

/**
 * Relative conservation errors of `actual` integrals against `reference` ones (both from the encoder).
 * The linear error is scaled by `scale[s * C + c] = Σ w |u_ref|` (pass it: a zero-mean field has `c1 = 0`),
 * the quadratic one by `c2`.
 *
 * @throws {EcfError} `SHAPE_MISMATCH` when the integrals have different layouts.
 * @example
 * const err = conservationErrors(enc.encode(pred), enc.encode(u0), absMass);
 */
export function conservationErrors(
  actual: ConservedIntegrals,
  reference: ConservedIntegrals,
  scale: ArrayLike<number>,
): ConservationErrors {
  if (
    actual.batch !== reference.batch ||
    actual.channels !== reference.channels ||
    scale.length !== actual.linear.length
  )
    shapeMismatch(
      ['conservationErrors', 'reference'],
      `integrals of ${actual.batch} x ${actual.channels}`,
      reference,
    );
  let lin = NaN;
  let quad = NaN;
  for (let i = 0; i < actual.linear.length; i++) {
    const a = actual.linear[i];
    const r = reference.linear[i];
    if (!Number.isNaN(r)) {
      const e = Math.abs(a - r) / Math.max(scale[i], 1e-300);
      lin = Number.isNaN(lin) ? e : Math.max(lin, e);
    }
    const q = actual.quadratic[i];
    const rq = reference.quadratic[i];
    if (!Number.isNaN(rq)) {
      const e = Math.abs(q - rq) / Math.max(rq, 1e-300);
      quad = Number.isNaN(quad) ? e : Math.max(quad, e);
    }
  }
  return { linear: lin, quadratic: quad };
}
