/**
 * The closed-form projections, written once over an arithmetic interface so that the same formulas run on
 * float64 numbers (references, metrics) and on float32 tensors (training). Each projection is the
 * w-weighted nearest point on the constraint set and is an affine map per slice, written as a CORRECTION of
 * u, `u~ = u + (scaleM1 * u + shift)` (`scaleM1 = scale - 1`):
 *
 * - linear:    `u~ = u + d1 / W`                                         (`d1 = c1 - I1`)
 * - quadratic: `u~ = u + (k - 1) u`, `k = √(c2 / I2)`,
 *              `k - 1 = d2 / ((√c2 + √I2) √I2)`                         (`d2 = c2 - I2`)
 * - joint:     `u~ = u + d1 / W + (k - 1)(u - m)`, `m = I1 / W`, `k = √(R / S)`, `R = c2 - c1²/W`,
 *              `S = Σ w (u - m)²`, `R - S = d2 - d1 (c1 + I1) / W`, `k - 1 = (R - S) / ((√R + √S) √S)`
 *
 * Why this form: in float32 the map `scale * u + shift` rounds `scale = 1 + O(d)` to 2^-24 and recomputes the
 * target from rounded constants, an error of order eps·I per slice whatever the accuracy of the integrals.
 * Written as a correction, every slice's error is eps times the (small) DIFFERENCES `d1 = c1 - I1`,
 * `d2 = c2 - I2`, which the tensor path computes from compensated (double-float) integrals and double-float
 * targets (see `compensatedRowSum`); the float64 path computes them directly. `S` and `I2` in denominators
 * only need ordinary precision: their errors are multiplied by the small `d`s.
 *
 * Guards: denominators are floored at `eps` (`max(I2, eps)`, `max(S, eps)`); infeasible targets are clamped in
 * float64 (`c2 -> max(c2, 0)`, joint `c2 -> max(c2, c1²/W)`, so `R >= 0`) before the differences are formed;
 * `√c2`, `√R` are target constants, so a zero radicand has a finite gradient; `R = 0` gives `k - 1 = -1`
 * exactly (the constant `c1/W`).
 *
 * @see Baez et al., "Guaranteeing Conservation of Integrals with Projection in Physics-Informed Neural
 *   Networks", arXiv 2511.09048 (2025).
 */
import type { ConstraintType } from './constraint';

/** Element-wise arithmetic over an array kind `T` (numbers or broadcasting tensors). */
export interface Arith<T> {
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  sqrt(a: T): T;
  /** `a * s` for a float64 number `s`. */
  scaleBy(a: T, s: number): T;
  /** `max(a, eps)`. */
  atLeast(a: T, eps: number): T;
  /** `value` where `test == 0`, else `a` (element-wise; `test` is data, not differentiated). */
  ifZero(test: T, value: number, a: T): T;
}

/**
 * Per-slice moments of the values and their ACCURATE differences from the targets: `I1 = Σ w u`,
 * `I2 = Σ w u²`, `S = Σ w (u - I1/W)²`, `d1 = c1 - I1`, `d2 = c2 - I2` (c2 clamped, see `TargetConstants`).
 */
export interface Moments<T> {
  I1?: T;
  I2?: T;
  S?: T;
  d1?: T;
  d2?: T;
}

/** Per-slice target constants (see `targetConstants`): `c1`, `√c2`, `√R` with `R = c2 - c1²/W`. */
export interface TargetTerms<T> {
  c1?: T;
  sqrtC2?: T;
  sqrtR?: T;
}

/**
 * `u~ = u + (scaleM1 * u + shift)`; `null` means 0 (no term). `scale = 1 + scaleM1`. The tensor projections
 * also give float32 low parts (`scaleM1 + scaleM1Lo` and `shift + shiftLo` are the float64 coefficients to
 * about 2^-48 relative), used by `applyAffine` to round `u~` correctly.
 */
export interface Affine<T> {
  scaleM1: T | null;
  shift: T | null;
  scaleM1Lo?: T | null;
  shiftLo?: T | null;
}

/** Which moments each projection needs. */
export function neededMoments(type: ConstraintType): { I1: boolean; I2: boolean; S: boolean } {
  return { I1: type !== 'quadratic', I2: type !== 'linear', S: type === 'joint' };
}

/**
 * The per-slice affine map of the projection (as a correction of u), from moments, differences and target
 * terms; `W = Σ w` (float64).
 */
export function affineCoefficients<T>(
  ops: Arith<T>,
  type: ConstraintType,
  terms: { moments: Moments<T>; targets: TargetTerms<T>; W: number; eps: number },
): Affine<T> {
  const { moments: m, targets: k, W, eps } = terms;
  switch (type) {
    case 'linear':
      return { scaleM1: null, shift: ops.scaleBy(m.d1 as T, 1 / W) };
    case 'quadratic': {
      const rootI2 = ops.sqrt(ops.atLeast(m.I2 as T, eps));
      return {
        scaleM1: ops.div(m.d2 as T, ops.mul(ops.add(k.sqrtC2 as T, rootI2), rootI2)),
        shift: null,
      };
    }
    case 'joint': {
      const rootS = ops.sqrt(ops.atLeast(m.S as T, eps));
      // R - S = (c2 - I2) - (c1² - I1²)/W = d2 - d1 (c1 + I1)/W
      const rMinusS = ops.sub(
        m.d2 as T,
        ops.scaleBy(ops.mul(m.d1 as T, ops.add(k.c1 as T, m.I1 as T)), 1 / W),
      );
      // R = 0 (clamped infeasible target, or c2 = c1²/W): the map collapses to the constant c1/W, k - 1 = -1.
      const scaleM1 = ops.ifZero(
        k.sqrtR as T,
        -1,
        ops.div(rMinusS, ops.mul(ops.add(k.sqrtR as T, rootS), rootS)),
      );
      const shift = ops.sub(ops.scaleBy(m.d1 as T, 1 / W), ops.mul(scaleM1, ops.scaleBy(m.I1 as T, 1 / W)));
      return { scaleM1, shift };
    }
  }
}

/** {@link Arith} on plain float64 numbers. */
export const numberArith: Arith<number> = Object.freeze({
  add: (a: number, b: number) => a + b,
  sub: (a: number, b: number) => a - b,
  mul: (a: number, b: number) => a * b,
  div: (a: number, b: number) => a / b,
  sqrt: Math.sqrt,
  scaleBy: (a: number, s: number) => a * s,
  atLeast: (a: number, eps: number) => (a > eps ? a : eps),
  ifZero: (test: number, value: number, a: number) => (test === 0 ? value : a),
});
