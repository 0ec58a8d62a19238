import type * as tf from '@tensorflow/tfjs';
import { float64Kind, tensorKind, type ArrayKind } from './array-kind';
import { bindSystem, type BoundSystem } from './bind-system';
import type { ButcherTableau } from './butcher-tableau';
import { IntegratorError, checkNumber } from './errors';
import { resolveMethod, type Method, type MethodName } from './methods';
import type { ScalarOps } from './scalar-ops';
import type { SplittingScheme } from './splitting-scheme';
import type { ArrayLike64, System } from './systems';

/** The state a stepper carries between steps. Treat as opaque; `x` is the full state (q first, then p). */
export interface StepperState<A> {
  /** Separable splitting: positions (float64: a view into `x`). */
  q?: A;
  /** Separable splitting: momenta (float64: a view into `x`). */
  p?: A;
  /** Full state (Runge–Kutta; and float64 splitting, aliasing q and p). */
  x?: A;
  /** Cached force dV/dq(q) (FSAL splitting) or cached last stage (FSAL tableau). */
  cache?: A;
}

/** Outcome of one step. */
export interface StepOutcome<A> {
  /** The new state (the old one must not be used afterwards: float64 splitting updates in place). */
  state: StepperState<A>;
  /** `'ok'`, or `'no-convergence'` when an implicit solve hit its iteration cap. */
  status: 'ok' | 'no-convergence';
  /** Scaled error estimate (embedded tableaux with `tolerances`): accept when <= 1. */
  error?: number;
  /** Stage derivatives (Runge–Kutta), for dense output. */
  ks?: A[];
  /** Fixed-point iterations used (implicit tableaux). */
  iterations?: number;
}

/** Options of {@link createStepper}. */
export interface StepperOptions {
  /** Array kind: `'float64'` (default), `'tensor'`, or an {@link ArrayKind} object. */
  kind?: 'float64' | 'tensor' | ArrayKind<unknown>;
  /** Scalar arithmetic of a scalar array kind (dual numbers); internal use by diagnostics. */
  ops?: ScalarOps<unknown>;
  /** Implicit solve: tolerance on `|dt| max|K_new - K|` relative to `max(1, |x|)`. Default 1e-14 (float64), 1e-6 (tensor). */
  tol?: number;
  /** Implicit solve: iteration cap. Default 100. */
  maxIterations?: number;
  /** Embedded error control tolerances (adaptive tableaux). */
  tolerances?: { rtol: number; atol: number };
}

/**
 * A method turned into a stepper for one system and array kind: explicit state in, explicit state out.
 */
export interface Stepper<A> {
  readonly method: Method;
  readonly kind: ArrayKind<A>;
  readonly system: BoundSystem<A>;
  /** A state holding a copy of `x0` (`[dim]` float64, `[batch, dim]` tensor); x0 is borrowed. */
  init(x0: A): StepperState<A>;
  /** Advances by `dt` from time `t`; consumes `state`. Tensor kind: call inside `tf.tidy`. */
  step(state: StepperState<A>, t: number, dt: number): StepOutcome<A>;
  /** A new array holding the full state `x = (q, p)`. */
  snapshot(state: StepperState<A>): A;
  /** The arrays held by `state` (to dispose tensors). */
  arrays(state: StepperState<A>): A[];
}

function kindOf(options: StepperOptions): ArrayKind<unknown> {
  const k = options.kind ?? 'float64';
  if (k === 'float64') return float64Kind as ArrayKind<unknown>;
  if (k === 'tensor') return tensorKind as ArrayKind<unknown>;
  if (k && typeof k === 'object' && typeof k.axpy === 'function') return k;
  throw new IntegratorError(
    'INVALID_ARGUMENT',
    `createStepper(): option 'kind' must be 'float64', 'tensor' or an ArrayKind, got ${String(k)}`,
  );
}

/**
 * Turns any method (a splitting scheme or a Butcher tableau, by value or by name) into a stepper for one
 * system over one array kind. One algorithm per method family, written once against {@link ArrayKind}:
 * - splitting: the drift/kick sequence, with force reuse across steps when the scheme is FSAL;
 * - explicit Runge–Kutta: stages `k_i = f(x + dt sum_j a_ij k_j)`, FSAL reuse, embedded error estimate;
 * - implicit Runge–Kutta (Gauss–Legendre): fixed-point iteration on the stage derivatives with a
 *   tolerance and an iteration cap; non-convergence is returned as `status: 'no-convergence'`.
 *
 * @throws IntegratorError `UNKNOWN_METHOD`, `INVALID_ARGUMENT`, or `UNSUPPORTED` (a splitting method on a non-separable system).
 * @example
 * ```ts
 * const stepper = createStepper('forestRuth', kepler);
 * let s = stepper.init(Float64Array.of(0.4, 0, 0, 2));
 * for (let i = 0; i < 100; i++) s = stepper.step(s, i * 0.01, 0.01).state;
 * ```
 */
export function createStepper<A extends ArrayLike64 = Float64Array>(
  method: Method | MethodName,
  system: System<A>,
  options: StepperOptions = {},
): Stepper<A> {
  const m = resolveMethod('createStepper', method);
  const K = kindOf(options) as unknown as ArrayKind<A>;
  const sys = bindSystem<A>(system as System<never>, K, { fn: 'createStepper', ops: options.ops });
  if (m.type === 'splitting') {
    if (!sys.separable) {
      throw new IntegratorError(
        'UNSUPPORTED',
        `createStepper(): splitting method '${m.name}' needs a separable() system; use gaussLegendre4/6, implicitMidpoint or a Runge–Kutta method for '${(system as { type: string }).type}' systems`,
      );
    }
    return splittingStepper(m, sys, K);
  }
  const tol = options.tol ?? (K.name === 'tensor' ? 1e-6 : 1e-14);
  const maxIterations = options.maxIterations ?? 100;
  checkNumber(['createStepper', 'tol'], tol, { positive: true });
  checkNumber(['createStepper', 'maxIterations'], maxIterations, { positive: true, integer: true });
  return rungeKuttaStepper(m, { sys, K }, { tol, maxIterations, tolerances: options.tolerances });
}

function splittingStepper<A>(m: SplittingScheme, sys: BoundSystem<A>, K: ArrayKind<A>): Stepper<A> {
  const nFlows = m.sequence.length;
  const coef = Float64Array.from(m.sequence, (f) => f.c);
  const isDrift = Uint8Array.from(m.sequence, (f) => (f.op === 'drift' ? 1 : 0));
  const inPlace = K.name === 'float64';
  const reused: StepOutcome<A> = { state: {}, status: 'ok' };
  let tbuf: A | undefined;
  let fbuf: A | undefined;
  return {
    method: m,
    kind: K,
    system: sys,
    init(x0: A) {
      // float64 owns a copy (q and p are views into it); tensor slices are new tensors already.
      const x = K.name === 'float64' ? K.copy(x0) : x0;
      const n = K.dim(x) / 2;
      // float64: q and p are views into the owned x, updated in place.
      const [q, p] =
        K.name === 'float64'
          ? ([(x as Float64Array).subarray(0, n), (x as Float64Array).subarray(n)] as unknown as [A, A])
          : K.split(x, n);
      tbuf = K.workspace(n);
      fbuf = K.workspace(n);
      return K.name === 'float64' ? { x, q, p, cache: undefined } : { q, p };
    },
    step(state: StepperState<A>, _t: number, dt: number) {
      let q: A = state.q!;
      let p: A = state.p!;
      let force: A | undefined = state.cache;
      for (let i = 0; i < nFlows; i++) {
        const c = coef[i];
        if (isDrift[i] === 1) {
          q = K.axpy(c * dt, sys.dTdp(p, tbuf), q);
          force = undefined;
        } else {
          if (force === undefined) {
            force = sys.dVdq(q, fbuf);
            sys.evaluations++;
          }
          p = K.axpy(-c * dt, force, p);
        }
      }
      if (inPlace) {
        // float64: the state object is updated in place too (no allocation per step).
        state.cache = m.fsal ? force : undefined;
        reused.state = state;
        return reused;
      }
      return { state: { q, p, cache: m.fsal ? force : undefined }, status: 'ok' as const };
    },
    snapshot(state: StepperState<A>) {
      return state.x !== undefined ? K.copy(state.x) : K.concat(state.q!, state.p!);
    },
    arrays(state: StepperState<A>) {
      return state.x !== undefined
        ? []
        : ([state.q, state.p, state.cache].filter((v) => v !== undefined) as A[]);
    },
  };
}

function rungeKuttaStepper<A>(
  m: ButcherTableau,
  { sys, K }: { sys: BoundSystem<A>; K: ArrayKind<A> },
  opts: { tol: number; maxIterations: number; tolerances?: { rtol: number; atol: number } },
): Stepper<A> {
  const s = m.stages;
  const rows = m.a.map((row, i) => row.slice(0, i));
  const rowUsed = rows.map((row) => row.some((v) => v !== 0));
  const scaled = (coef: readonly number[], dt: number) => {
    const out = new Array<number>(coef.length);
    for (let j = 0; j < coef.length; j++) out[j] = coef[j] * dt;
    return out;
  };
  const explicitStep = (state: StepperState<A>, t: number, dt: number): StepOutcome<A> => {
    const x: A = state.x!;
    const ks: A[] = [];
    for (let i = 0; i < s; i++) {
      if (i === 0 && m.fsal && state.cache !== undefined) {
        ks.push(state.cache);
        continue;
      }
      const xi: A = rowUsed[i] ? K.combine(x, scaled(rows[i], dt), ks) : x;
      ks.push(sys.f(xi, t + m.c[i] * dt));
    }
    const xNew = K.combine(x, scaled(m.b, dt), ks);
    const out: StepOutcome<A> = {
      state: { x: xNew, cache: m.fsal ? ks[s - 1] : undefined },
      status: 'ok',
      ks,
    };
    if (m.errorWeights && opts.tolerances) {
      const err = K.lincomb(
        m.errorWeights.map((v) => v * dt),
        ks,
      );
      out.error = K.errorNorm(err, [x, xNew], opts.tolerances);
    }
    return out;
  };
  const implicitStep = (state: StepperState<A>, t: number, dt: number): StepOutcome<A> => {
    const x: A = state.x!;
    const f0 = sys.f(x, t);
    let ks: A[] = Array.from({ length: s }, () => f0);
    const scale = Math.max(1, K.maxAbs(x));
    let converged = false;
    let it = 0;
    while (it < opts.maxIterations) {
      it++;
      const next: A[] = [];
      for (let i = 0; i < s; i++) {
        next.push(
          sys.f(
            K.combine(
              x,
              m.a[i].map((v) => v * dt),
              ks,
            ),
            t + m.c[i] * dt,
          ),
        );
      }
      let diff = 0;
      for (let i = 0; i < s; i++) diff = Math.max(diff, K.maxAbsDiff(next[i], ks[i]));
      ks = next;
      if (!Number.isFinite(diff)) break;
      if (Math.abs(dt) * diff <= opts.tol * scale) {
        converged = true;
        break;
      }
    }
    const xNew = K.combine(
      x,
      m.b.map((v) => v * dt),
      ks,
    );
    return { state: { x: xNew }, status: converged ? 'ok' : 'no-convergence', ks, iterations: it };
  };
  return {
    method: m,
    kind: K,
    system: sys,
    init: (x0: A) => ({ x: K.copy(x0) }),
    step: m.explicit ? explicitStep : implicitStep,
    snapshot: (state: StepperState<A>) => K.copy(state.x!),
    arrays: (state: StepperState<A>) => [state.x, state.cache].filter((v) => v !== undefined) as A[],
  };
}

/** @internal the tensor kind, re-exported for typing convenience. */
export type TensorStepper = Stepper<tf.Tensor>;
