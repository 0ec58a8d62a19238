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
  /** `'ok'`, or `'not-converged'` when an implicit solve hit its iteration cap. */
  status: 'ok' | 'not-converged';
  /** Scaled error estimate (embedded tableaux with `tolerances`): accept when <= 1. */
  error?: number;
  /** Stage derivatives (Runge–Kutta), for dense output. */
  ks?: A[];
  /** Fixed-point iterations used (implicit tableaux). */
  iterations?: number;
}

/** Steps `from .. to - 1` of a fixed grid: step `k` starts at `t0 + k dt` and has size `dt` (see {@link Stepper.advance}). */
export interface StepRange {
  t0: number;
  dt: number;
  from: number;
  to: number;
}

/** Outcome of {@link Stepper.advance}. */
export interface AdvanceOutcome<A> {
  /** The state after the last step taken (after the failing step when `status` is not `'ok'`). */
  state: StepperState<A>;
  /** Grid index after the last step taken: `to` on success, `k + 1` when step `k` failed. */
  done: number;
  /** `'ok'`, `'non-finite'` (the state after step `done - 1` has a non-finite entry) or `'not-converged'`. */
  status: 'ok' | 'non-finite' | 'not-converged';
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
  /**
   * Takes the fixed steps of `range` and stops after the first step whose state is non-finite or whose
   * implicit solve failed; consumes `state`. Same arithmetic as calling {@link Stepper.step} step by step
   * (bit-identical for float64), without the per-step call overhead: float64 splitting runs whole chunks in
   * one loop, checks finiteness once per chunk and, on failure, replays the chunk from a checkpoint one step
   * at a time to find the exact failing step (a non-finite entry stays non-finite under the in-place
   * updates `y += a v`). Tensor kind: manages its own `tidy` per step; checks finiteness every step (a sync read).
   */
  advance(state: StepperState<A>, range: StepRange): AdvanceOutcome<A>;
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
 *   tolerance and an iteration cap; non-convergence is returned as `status: 'not-converged'`.
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

/** Steps per finiteness check of the float64 splitting fast path (a failure is located exactly by replay). */
const CHECK_EVERY = 64;

function splittingStepper<A>(m: SplittingScheme, sys: BoundSystem<A>, K: ArrayKind<A>): Stepper<A> {
  const nFlows = m.sequence.length;
  const coef = Float64Array.from(m.sequence, (f) => f.c);
  const isDrift = Uint8Array.from(m.sequence, (f) => (f.op === 'drift' ? 1 : 0));
  if (K.name === 'float64') {
    return splittingStepper64(m, sys as unknown as BoundSystem<Float64Array>, {
      coef,
      isDrift,
    }) as unknown as Stepper<A>;
  }
  const stepper: Stepper<A> = {
    method: m,
    kind: K,
    system: sys,
    init(x0: A) {
      // Tensor slices are new tensors already.
      const [q, p] = K.split(x0, K.dim(x0) / 2);
      return { q, p };
    },
    step(state: StepperState<A>, _t: number, dt: number) {
      let q: A = state.q!;
      let p: A = state.p!;
      let force: A | undefined = state.cache;
      for (let i = 0; i < nFlows; i++) {
        const c = coef[i];
        if (isDrift[i] === 1) {
          q = K.axpy(c * dt, sys.dTdp(p), q);
          force = undefined;
        } else {
          if (force === undefined) {
            force = sys.dVdq(q);
            sys.evaluations++;
          }
          p = K.axpy(-c * dt, force, p);
        }
      }
      return { state: { q, p, cache: m.fsal ? force : undefined }, status: 'ok' as const };
    },
    advance: (state: StepperState<A>, range: StepRange) => advanceEach(stepper, state, range),
    snapshot(state: StepperState<A>) {
      return K.concat(state.q!, state.p!);
    },
    arrays(state: StepperState<A>) {
      return [state.q, state.p, state.cache].filter((v) => v !== undefined) as A[];
    },
  };
  return stepper;
}

/**
 * The splitting algorithm specialised to `Float64Array`: the same drift/kick sequence (`coef`, `isDrift`)
 * and the same system functions, with the state owned by the stepper and updated in place (q and p are
 * views into x) and the axpy loops written out, so that V8 compiles a whole run of steps into one loop with
 * the system functions inlined. No allocation per step.
 */
function splittingStepper64(
  m: SplittingScheme,
  sys: BoundSystem<Float64Array>,
  { coef, isDrift }: { coef: Float64Array; isDrift: Uint8Array },
): Stepper<Float64Array> {
  const nFlows = coef.length;
  const hs = new Float64Array(nFlows);
  const fsal = m.fsal;
  const dTdp = sys.dTdp;
  const dVdq = sys.dVdq;
  const reused: StepOutcome<Float64Array> = { state: {}, status: 'ok' };
  let tbuf = new Float64Array(0);
  let fbuf = new Float64Array(0);
  let xCheck = new Float64Array(0);
  let fCheck = new Float64Array(0);
  /** `steps` steps of size `dt` in place on `state`. */
  const run = (state: StepperState<Float64Array>, dt: number, steps: number): void => {
    const q = state.q!;
    const p = state.p!;
    const n = q.length;
    const n4 = n - (n % 4);
    const tb = tbuf;
    const fb = fbuf;
    // `force` stays a Float64Array (monomorphic loads); `fresh` says whether it holds dV/dq at the current q.
    let force = state.cache ?? fb;
    let fresh = state.cache !== undefined;
    let evaluations = 0;
    for (let i = 0; i < nFlows; i++) hs[i] = coef[i] * dt;
    for (let s = 0; s < steps; s++) {
      for (let i = 0; i < nFlows; i++) {
        const h = hs[i];
        if (isDrift[i] === 1) {
          const v = dTdp(p, tb);
          // Unrolled by 4: V8 re-checks both arrays on every loop iteration, so short loops pay mostly overhead.
          let j = 0;
          for (; j < n4; j += 4) {
            q[j] += h * v[j];
            q[j + 1] += h * v[j + 1];
            q[j + 2] += h * v[j + 2];
            q[j + 3] += h * v[j + 3];
          }
          if (j < n) q[j] += h * v[j];
          if (j + 1 < n) q[j + 1] += h * v[j + 1];
          if (j + 2 < n) q[j + 2] += h * v[j + 2];
          fresh = false;
        } else {
          if (!fresh) {
            force = dVdq(q, fb);
            fresh = true;
            evaluations++;
          }
          let j = 0;
          for (; j < n4; j += 4) {
            p[j] -= h * force[j];
            p[j + 1] -= h * force[j + 1];
            p[j + 2] -= h * force[j + 2];
            p[j + 3] -= h * force[j + 3];
          }
          if (j < n) p[j] -= h * force[j];
          if (j + 1 < n) p[j + 1] -= h * force[j + 1];
          if (j + 2 < n) p[j + 2] -= h * force[j + 2];
        }
      }
    }
    state.cache = fsal && fresh ? force : undefined;
    sys.evaluations += evaluations;
  };
  const finite = (x: Float64Array): boolean => {
    for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return false;
    return true;
  };
  return {
    method: m,
    kind: float64Kind,
    system: sys,
    init(x0: Float64Array) {
      // The stepper owns a copy; q and p are views into it, updated in place.
      const x = x0.slice();
      const n = x.length / 2;
      tbuf = new Float64Array(n);
      fbuf = new Float64Array(n);
      return { x, q: x.subarray(0, n), p: x.subarray(n), cache: undefined };
    },
    step(state: StepperState<Float64Array>, _t: number, dt: number) {
      run(state, dt, 1);
      reused.state = state;
      return reused;
    },
    advance(state: StepperState<Float64Array>, { dt, from, to }: StepRange) {
      const x = state.x!;
      for (let k = from; k < to;) {
        const chunk = Math.min(CHECK_EVERY, to - k);
        if (chunk === 1) {
          run(state, dt, 1);
          if (!finite(x)) return { state, done: k + 1, status: 'non-finite' as const };
          k++;
          continue;
        }
        // Checkpoint, run the chunk in one loop, check once.
        if (xCheck.length !== x.length) xCheck = new Float64Array(x.length);
        xCheck.set(x);
        const cache = state.cache;
        if (cache !== undefined) {
          if (fCheck.length !== cache.length) fCheck = new Float64Array(cache.length);
          fCheck.set(cache);
        }
        const evaluations = sys.evaluations;
        run(state, dt, chunk);
        if (!finite(x)) {
          // Replay from the checkpoint step by step: the first non-finite state is the failing step.
          x.set(xCheck);
          state.cache = cache === undefined ? undefined : fCheck;
          sys.evaluations = evaluations;
          for (let j = 0; j < chunk; j++) {
            run(state, dt, 1);
            if (!finite(x)) return { state, done: k + j + 1, status: 'non-finite' as const };
          }
          // A system function that is not deterministic: the replayed steps are finite, carry on from them.
        }
        k += chunk;
      }
      return { state, done: to, status: 'ok' as const };
    },
    snapshot: (state: StepperState<Float64Array>) => state.x!.slice(),
    arrays: () => [],
  };
}

/**
 * The generic {@link Stepper.advance}: one {@link Stepper.step} per grid step (in its own `tidy` for
 * tensors, releasing the previous state), with a status and finiteness check after every step.
 */
function advanceEach<A>(stepper: Stepper<A>, state: StepperState<A>, range: StepRange): AdvanceOutcome<A> {
  const K = stepper.kind;
  const { t0, dt, from, to } = range;
  let s = state;
  for (let k = from; k < to; k++) {
    const prev = s;
    const t = t0 + k * dt;
    let o: StepOutcome<A>;
    if (K.name === 'tensor') {
      o = K.tidy(() => {
        const r = stepper.step(prev, t, dt);
        return { state: r.state, status: r.status };
      }) as StepOutcome<A>;
      const keep = new Set(stepper.arrays(o.state));
      K.dispose(stepper.arrays(prev).filter((a) => !keep.has(a)));
    } else o = stepper.step(prev, t, dt);
    s = o.state;
    if (o.status !== 'ok') return { state: s, done: k + 1, status: o.status };
    const finite = s.x !== undefined ? K.allFinite(s.x) : K.tidy(() => K.allFinite(stepper.snapshot(s)));
    if (!finite) return { state: s, done: k + 1, status: 'non-finite' };
  }
  return { state: s, done: to, status: 'ok' };
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
    return { state: { x: xNew }, status: converged ? 'ok' : 'not-converged', ks, iterations: it };
  };
  const stepper: Stepper<A> = {
    method: m,
    kind: K,
    system: sys,
    init: (x0: A) => ({ x: K.copy(x0) }),
    step: m.explicit ? explicitStep : implicitStep,
    advance: (state: StepperState<A>, range: StepRange) => advanceEach(stepper, state, range),
    snapshot: (state: StepperState<A>) => K.copy(state.x!),
    arrays: (state: StepperState<A>) => [state.x, state.cache].filter((v) => v !== undefined) as A[],
  };
  return stepper;
}
