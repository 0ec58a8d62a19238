import type * as tf from '@tensorflow/tfjs';
import { IntegratorError } from './errors';
import type { ScalarFunction } from './scalar-ops';

/** The array kinds a system can be written for. */
export type ArrayLike64 = Float64Array | tf.Tensor;

/**
 * A vector function of one state. Float64: `(x, out?) => y` on one state `[n]`; it may write into `out`
 * (a scratch array of the right length owned by the integrator) and return it, return a new array, or
 * return `x` itself when the function is the identity (e.g. `dTdp: (p) => p` for T = |p|^2/2, which saves a
 * copy per drift). The integrator only reads the result, before it next changes `x`; the function must not
 * modify `x`. Tensor: `(x) => y` on a batch `[batch, n]`, differentiable.
 */
export type VectorFn<A extends ArrayLike64> = A extends Float64Array
  ? (x: Float64Array, out?: Float64Array) => Float64Array
  : (x: tf.Tensor) => tf.Tensor;

/**
 * A scalar energy. Float64: a {@link ScalarFunction} `(x, s) => N` written against `ScalarOps`, so the
 * float64 path can differentiate it exactly with dual numbers; or a plain `(x: Float64Array) => number`
 * when its gradient is given too (it is then only evaluated, e.g. by diagnostics). Tensor: `(x: [batch, n]) => [batch]`.
 */
export type EnergyFn<A extends ArrayLike64> = A extends Float64Array
  ? ScalarFunction | ((x: Float64Array) => number)
  : (x: tf.Tensor) => tf.Tensor;

/** Vector field of a first-order system. Float64: `(x, t, out?) => dx/dt`; tensor: `(x, t) => dx/dt` (batched). */
export type FieldFn<A extends ArrayLike64> = A extends Float64Array
  ? (x: Float64Array, t: number, out?: Float64Array) => Float64Array
  : (x: tf.Tensor, t: number) => tf.Tensor;

/** What {@link separable} takes. Each gradient may be omitted when its energy is given. */
export interface SeparableSpec<A extends ArrayLike64> {
  /** dT/dp (the drift velocity). */
  dTdp?: VectorFn<A>;
  /** dV/dq (minus the force). */
  dVdq?: VectorFn<A>;
  /** Kinetic energy T(p). */
  T?: EnergyFn<A>;
  /** Potential energy V(q). */
  V?: EnergyFn<A>;
}

/** A separable Hamiltonian system H(q, p) = T(p) + V(q), state `x = (q, p)`. */
export interface SeparableSystem<A extends ArrayLike64 = Float64Array> extends SeparableSpec<A> {
  readonly type: 'separable';
}

/** What {@link hamiltonian} takes. */
export interface HamiltonianSpec<A extends ArrayLike64> {
  /** The Hamiltonian H(x), x = (q, p). */
  H: EnergyFn<A>;
  /** Its gradient `[dH/dq, dH/dp]`; computed from `H` (dual numbers / autodiff) when omitted. */
  dH?: VectorFn<A>;
}

/** A general (possibly non-separable) Hamiltonian system: `dx/dt = J grad H(x)`. */
export interface HamiltonianSystem<A extends ArrayLike64 = Float64Array> extends HamiltonianSpec<A> {
  readonly type: 'hamiltonian';
}

/** A first-order system `dx/dt = f(x, t)`. */
export interface FirstOrderSystem<A extends ArrayLike64 = Float64Array> {
  readonly type: 'first-order';
  readonly f: FieldFn<A>;
}

/** Any system {@link integrate} accepts. */
export type System<A extends ArrayLike64 = Float64Array> =
  SeparableSystem<A> | HamiltonianSystem<A> | FirstOrderSystem<A>;

/**
 * A separable Hamiltonian system `H(q, p) = T(p) + V(q)`:
 * `dq/dt = dT/dp(p)`, `dp/dt = -dV/dq(q)`. Required for splitting methods; works with every method.
 * Give each gradient directly, or give the energy and let the integrator differentiate it
 * (float64: forward-mode dual numbers; tensor: autodiff). Energies are also used by diagnostics.
 *
 * @throws IntegratorError `INVALID_ARGUMENT` when neither a gradient nor its energy is given.
 * @example
 * ```ts
 * // Kepler problem, float64
 * const kepler = separable({
 *   dTdp: (p, out = new Float64Array(2)) => (out.set(p), out),
 *   dVdq: (q, out = new Float64Array(2)) => { const r3 = Math.hypot(q[0], q[1]) ** 3; out[0] = q[0] / r3; out[1] = q[1] / r3; return out; },
 *   T: (p, s) => s.scale(s.add(s.mul(p[0], p[0]), s.mul(p[1], p[1])), 0.5),
 *   V: (q, s) => s.neg(s.pow(s.add(s.mul(q[0], q[0]), s.mul(q[1], q[1])), -0.5)),
 * });
 * ```
 */
export function separable<A extends ArrayLike64 = Float64Array>(spec: SeparableSpec<A>): SeparableSystem<A> {
  for (const [g, e] of [
    ['dTdp', 'T'],
    ['dVdq', 'V'],
  ] as const) {
    const gi = spec[g];
    const ei = spec[e];
    if (gi === undefined && ei === undefined) {
      throw new IntegratorError('INVALID_ARGUMENT', `separable(): needs '${g}' or '${e}', got neither`);
    }
    if ((gi !== undefined && typeof gi !== 'function') || (ei !== undefined && typeof ei !== 'function')) {
      throw new IntegratorError(
        'INVALID_ARGUMENT',
        `separable(): arguments '${g}' and '${e}' must be functions`,
      );
    }
  }
  return Object.freeze({ type: 'separable' as const, ...spec });
}

/**
 * A general Hamiltonian system `dx/dt = J grad H(x)` with `x = (q, p)` (q first) and `J = [[0, I], [-I, 0]]`.
 * Without `dH`, the float64 path differentiates `H` by forward-mode dual numbers (exact, no finite
 * differences) and the tensor path by autodiff. Use implicit (Gauss–Legendre) or Runge–Kutta methods.
 *
 * @throws IntegratorError `INVALID_ARGUMENT` when `H` is not a function.
 * @example
 * ```ts
 * const pendulum = hamiltonian({ H: (x, s) => s.sub(s.scale(s.mul(x[1], x[1]), 0.5), s.cos(x[0])) });
 * ```
 */
export function hamiltonian<A extends ArrayLike64 = Float64Array>(
  spec: HamiltonianSpec<A>,
): HamiltonianSystem<A> {
  if (typeof spec.H !== 'function') {
    throw new IntegratorError(
      'INVALID_ARGUMENT',
      `hamiltonian(): argument 'H' must be a function, got ${typeof spec.H}`,
    );
  }
  if (spec.dH !== undefined && typeof spec.dH !== 'function') {
    throw new IntegratorError(
      'INVALID_ARGUMENT',
      `hamiltonian(): argument 'dH' must be a function, got ${typeof spec.dH}`,
    );
  }
  return Object.freeze({ type: 'hamiltonian' as const, ...spec });
}

/**
 * A first-order system `dx/dt = f(x, t)` for the Runge–Kutta methods.
 *
 * @throws IntegratorError `INVALID_ARGUMENT` when `f` is not a function.
 * @example
 * ```ts
 * const decay = firstOrder({ f: (x, _t, out = new Float64Array(x.length)) => { out[0] = -x[0]; return out; } });
 * ```
 */
export function firstOrder<A extends ArrayLike64 = Float64Array>(spec: {
  f: FieldFn<A>;
}): FirstOrderSystem<A> {
  if (typeof spec?.f !== 'function') {
    throw new IntegratorError(
      'INVALID_ARGUMENT',
      `firstOrder(): argument 'f' must be a function, got ${typeof spec?.f}`,
    );
  }
  return Object.freeze({ type: 'first-order' as const, f: spec.f });
}
