import { grad } from '@noether/autodiff';
import * as tf from '@tensorflow/tfjs';
import type { ArrayKind } from './array-kind';
import { IntegratorError } from './errors';
import { gradient, realOps, type ScalarFunction, type ScalarOps } from './scalar-ops';
import type { System } from './systems';

/** A system's functions specialised to one array kind (internal). */
export interface BoundSystem<A> {
  readonly separable: boolean;
  /** dT/dp; `out` is a scratch buffer the function may fill (float64 only). */
  dTdp(p: A, out?: A): A;
  /** dV/dq. */
  dVdq(q: A, out?: A): A;
  /** The full vector field dx/dt (new array). */
  f(x: A, t: number): A;
  /** Function evaluations so far (vector-field evaluations; a separable field counts once). */
  evaluations: number;
}

const unsupported = (what: string) => new IntegratorError('UNSUPPORTED', what);

/**
 * Specialises `system` to the array kind `K`. `ops` is the scalar arithmetic of the scalar kind (dual numbers).
 * @internal
 */
export function bindSystem<A>(
  system: System<never>,
  K: ArrayKind<A>,
  ctx: { fn: string; ops?: ScalarOps<unknown> },
): BoundSystem<A> {
  const { fn, ops } = ctx;
  const sys = system as unknown as {
    type: string;
    dTdp?: (x: unknown, out?: unknown) => unknown;
    dVdq?: (x: unknown, out?: unknown) => unknown;
    T?: unknown;
    V?: unknown;
    H?: unknown;
    dH?: (x: unknown, out?: unknown) => unknown;
    f?: (x: unknown, t: number, out?: unknown) => unknown;
  };
  if (!sys || typeof sys !== 'object' || !['separable', 'hamiltonian', 'first-order'].includes(sys.type)) {
    throw new IntegratorError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'system' must come from separable(), hamiltonian() or firstOrder(), got ${typeof system}`,
    );
  }
  const gradOf = (energy: unknown): ((x: A) => A) => {
    if (K.name === 'tensor') {
      const E = energy as (x: tf.Tensor) => tf.Tensor;
      // @noether/autodiff's grad: exact at any nesting depth (training through rollouts of a learned H).
      const g = grad((x: tf.Tensor) => tf.sum(E(x)));
      return ((x: tf.Tensor) => g(x)) as unknown as (x: A) => A;
    }
    const E = energy as ScalarFunction;
    if (K.name === 'float64') {
      return ((x: Float64Array) => Float64Array.from(gradient(E, x, realOps))) as unknown as (x: A) => A;
    }
    if (!ops) throw unsupported(`${fn}(): the scalar array kind needs its ScalarOps`);
    return ((x: unknown[]) => gradient(E, x, ops)) as unknown as (x: A) => A;
  };
  const pick = (
    g: unknown,
    e: unknown,
    [gName, eName]: readonly [string, string],
  ): ((x: A, out?: A) => A) => {
    if (K.name === 'scalar') {
      if (typeof e !== 'function') {
        throw unsupported(
          `${fn}(): differentiating the flow map needs the energy '${eName}' written with ScalarOps (a gradient '${gName}' alone cannot be differentiated)`,
        );
      }
      return gradOf(e);
    }
    if (typeof g === 'function') return g as (x: A, out?: A) => A;
    return gradOf(e);
  };
  const bound: BoundSystem<A> = {
    separable: sys.type === 'separable',
    evaluations: 0,
    dTdp: () => {
      throw unsupported(`${fn}(): splitting methods need a separable() system`);
    },
    dVdq: () => {
      throw unsupported(`${fn}(): splitting methods need a separable() system`);
    },
    f: () => {
      throw unsupported(`${fn}(): no vector field`);
    },
  };
  if (sys.type === 'separable') {
    const dTdp = pick(sys.dTdp, sys.T, ['dTdp', 'T']);
    const dVdq = pick(sys.dVdq, sys.V, ['dVdq', 'V']);
    bound.dTdp = dTdp;
    bound.dVdq = dVdq;
    let n = -1;
    bound.f = (x: A) => {
      const d = K.dim(x);
      if (n < 0) n = d / 2;
      const [q, p] = K.split(x, n);
      bound.evaluations++;
      return K.concat(K.copy(dTdp(p)), K.neg(dVdq(q)));
    };
  } else if (sys.type === 'hamiltonian') {
    const dH = pick(sys.dH, sys.H, ['dH', 'H']);
    bound.f = (x: A) => {
      const n = K.dim(x) / 2;
      const g = dH(x);
      const [gq, gp] = K.split(g, n);
      bound.evaluations++;
      return K.concat(K.copy(gp), K.neg(gq));
    };
  } else {
    if (K.name === 'scalar')
      throw unsupported(
        `${fn}(): a firstOrder() system cannot be differentiated; use separable() or hamiltonian()`,
      );
    const f = sys.f as (x: A, t: number) => A;
    bound.f = (x: A, t: number) => {
      bound.evaluations++;
      return f(x, t);
    };
  }
  return bound;
}

/**
 * Float64 energy of a system at one state (needs `T` and `V`, or `H`), or undefined when it has none.
 * @internal
 */
export function float64Energy(system: System<Float64Array>): ((x: Float64Array) => number) | undefined {
  if (system.type === 'separable') {
    const { T, V } = system;
    if (!T || !V) return undefined;
    return (x: Float64Array) => {
      const n = x.length / 2;
      return T(x.subarray(n), realOps) + V(x.subarray(0, n), realOps);
    };
  }
  if (system.type === 'hamiltonian') {
    const H = system.H;
    return (x: Float64Array) => H(x, realOps);
  }
  return undefined;
}
