import * as tf from '@tensorflow/tfjs';
import ndarray from 'ndarray';
import type { NdArray } from 'ndarray';
import type { ArrayKind } from './array-kind';
import type { ButcherTableau } from './butcher-tableau';
import {
  createStepper,
  type AdvanceOutcome,
  type Stepper,
  type StepperState,
  type StepOutcome,
} from './create-stepper';
import { IntegratorError, checkNumber, describe } from './errors';
import { resolveMethod, type Method, type MethodName } from './methods';
import type { OnProgress, ProgressInfo, RunStatus } from '@noether/autodiff';
import type { ArrayLike64, System } from './systems';

/**
 * Why a run ended: `'ok'`, `'stopped'` (`onProgress` returned false), `'non-finite'`, `'not-converged'`
 * (an implicit solve failed) or `'max-iterations'` (an adaptive run hit `maxSteps`).
 */
export type IntegrateStatus = RunStatus;

/** What {@link IntegrateOptions.onProgress} receives after each accepted step. */
export interface IntegrateProgress extends ProgressInfo {
  /** Steps done so far (of the current row for a float64 batch). */
  readonly step: number;
  /** Fixed-step runs: the number of steps of the run. Undefined for adaptive runs. */
  readonly total?: number;
  /** The time reached. */
  readonly t: number;
}

/** Options of {@link integrate}. */
export interface IntegrateOptions<A extends ArrayLike64> {
  /**
   * Initial state `x = (q, p)` (q first). Float64: a `Float64Array` `[dim]`, or an ndarray `[batch, dim]`
   * (each row integrated on its own). Tensor: `[batch, dim]` or `[dim]` (float32). Borrowed.
   */
  x0: A | (A extends Float64Array ? NdArray<Float64Array> : never);
  /** Step size (fixed-step methods) or initial step (adaptive). Negative to integrate backwards. */
  dt?: number;
  /** Start time. Default 0. */
  t0?: number;
  /** End time. Give `t1` or `steps` (fixed step); adaptive methods need `t1`. */
  t1?: number;
  /** Number of fixed steps (instead of `t1`). */
  steps?: number;
  /** Save every k-th step (fixed step). Default 1. The initial state is always saved. */
  saveEvery?: number;
  /** Save at exactly these times (fixed step: on the step grid; adaptive: by dense output). */
  saveAt?: readonly number[];
  /** Adaptive error control: relative tolerance. Default 1e-6. */
  rtol?: number;
  /** Adaptive error control: absolute tolerance. Default 1e-9 (float64), 1e-6 (tensor). */
  atol?: number;
  /** Use step-size control when the method has an embedded estimate. Default true. */
  adaptive?: boolean;
  /** Step cap of an adaptive run (status `'max-iterations'` when hit). Default 1e6. */
  maxSteps?: number;
  /** Implicit methods: fixed-point tolerance (see {@link createStepper}). */
  tol?: number;
  /** Implicit methods: fixed-point iteration cap. Default 100. */
  maxIterations?: number;
  /** Throw an {@link IntegratorError} on numerical failure instead of returning the status. Default false. */
  throwOnFailure?: boolean;
  /**
   * Called after each accepted step with `{ step, total, t }` (for progress bars); returning `false` stops
   * the run with status `'stopped'` (not a failure: never thrown).
   */
  onProgress?: OnProgress<IntegrateProgress>;
}

/** Result of {@link integrate}. Tensors in it are owned by the caller. */
export interface IntegrateResult<A extends ArrayLike64> {
  status: IntegrateStatus;
  /** Index (0-based) of the step that failed, when `status` is a failure. */
  failedStep: number | undefined;
  message: string | undefined;
  /** Saved times `[time]`. */
  t: Float64Array;
  /**
   * Saved states. Float64: an ndarray view `[time, dim]` (or `[batch, time, dim]` for a batch x0) over one
   * Float64Array. Tensor: `[batch, time, dim]` (or `[time, dim]` for a 1-D x0).
   */
  x: A extends Float64Array ? NdArray<Float64Array> : tf.Tensor;
  /** State at the last completed step (float64 batch: `[batch * dim]` row-major). */
  final: A;
  /** Steps taken (accepted). */
  steps: number;
  /** Rejected steps (adaptive). */
  rejected: number;
  /** Vector-field or force evaluations. */
  evaluations: number;
}

interface RunOut<A> {
  status: IntegrateStatus;
  failedStep?: number;
  message?: string;
  saved: A[];
  times: number[];
  final: A;
  steps: number;
  rejected: number;
}

const FN = 'integrate';

/**
 * Integrates `system` from `x0` with `method` (a name or method data), over float64 (`Float64Array`,
 * reference accuracy) or tensors (`tf.Tensor`, batched float32, differentiable through every step).
 * Fixed-step methods take `dt` and `t1` or `steps`; `dormandPrince54` adapts its step (PI controller,
 * `rtol`/`atol`) and writes `saveAt` times by dense output. Numerical failure (non-finite state, failed
 * implicit solve, step cap) stops the run with a status and the failing step index; `throwOnFailure: true`
 * throws it instead. Non-finite tensor states are detected at save points and at the end.
 *
 * @throws IntegratorError `INVALID_ARGUMENT` / `SHAPE_MISMATCH` / `UNKNOWN_METHOD` / `UNSUPPORTED` for bad
 *   inputs; `NON_FINITE` / `NOT_CONVERGED` on failure when `throwOnFailure: true`.
 * @example
 * ```ts
 * const r = integrate('forestRuth', kepler, { x0: Float64Array.of(0.4, 0, 0, 2), dt: 0.01, steps: 1000, saveEvery: 10 });
 * r.x.shape; // [101, 4]
 * ```
 * @see E. Hairer, S. P. Nørsett, G. Wanner, Solving Ordinary Differential Equations I, 2nd ed. (1993), §II.4 (step control).
 */
export function integrate<A extends ArrayLike64 = Float64Array>(
  method: Method | MethodName,
  system: System<A>,
  options: IntegrateOptions<A>,
): IntegrateResult<A> {
  const m = resolveMethod(FN, method);
  if (!options || typeof options !== 'object') {
    throw new IntegratorError(
      'INVALID_ARGUMENT',
      `${FN}(): argument 'options' must be an object with x0 and dt, got ${describe(options)}`,
    );
  }
  const x0 = options.x0 as unknown;
  const isTensor = x0 instanceof tf.Tensor;
  const isNd = !isTensor && x0 !== null && typeof x0 === 'object' && 'shape' in x0 && 'data' in x0;
  if (!isTensor && !isNd && !(x0 instanceof Float64Array)) {
    throw new IntegratorError(
      'INVALID_ARGUMENT',
      `${FN}(): argument 'x0' must be a Float64Array, an ndarray [batch, dim] or a tf.Tensor, got ${describe(x0)}`,
    );
  }
  if (isTensor && (x0 as tf.Tensor).dtype !== 'float32') {
    throw new IntegratorError(
      'INVALID_ARGUMENT',
      `${FN}(): argument 'x0' must be a float32 tensor, got ${(x0 as tf.Tensor).dtype}`,
    );
  }
  const adaptive = m.type === 'runge-kutta' && m.errorWeights !== undefined && options.adaptive !== false;
  const plan = planTime(options, adaptive);
  const throwOnFailure = options.throwOnFailure ?? false;
  const rtol = options.rtol ?? 1e-6;
  const atol = options.atol ?? (isTensor ? 1e-6 : 1e-9);
  checkNumber([FN, 'rtol'], rtol, { positive: true });
  checkNumber([FN, 'atol'], atol, { positive: true });
  const stepper = createStepper<A>(m, system, {
    kind: isTensor ? 'tensor' : 'float64',
    tol: options.tol,
    maxIterations: options.maxIterations,
    tolerances: adaptive ? { rtol, atol } : undefined,
  });

  let result: IntegrateResult<A>;
  if (isTensor) {
    const xt = x0 as tf.Tensor;
    if (xt.rank < 1 || xt.rank > 2) {
      throw new IntegratorError(
        'SHAPE_MISMATCH',
        `${FN}(): argument 'x0' must have shape [batch, dim] or [dim], got [${xt.shape.join(',')}]`,
      );
    }
    checkShapes(stepper, xt as A, system);
    const run = runOne(stepper, xt as A, { plan, adaptive, onProgress: options.onProgress });
    const x = run.saved.length ? tf.stack(run.saved as tf.Tensor[], xt.rank === 1 ? 0 : 1) : tf.zeros([0]);
    tf.dispose(run.saved as tf.Tensor[]);
    result = {
      status: run.status,
      failedStep: run.failedStep,
      message: run.message,
      t: Float64Array.from(run.times),
      x: x as IntegrateResult<A>['x'],
      final: run.final,
      steps: run.steps,
      rejected: run.rejected,
      evaluations: stepper.system.evaluations,
    };
  } else {
    const rows: Float64Array[] = [];
    let batched = false;
    if (isNd) {
      const nd = x0 as NdArray<Float64Array>;
      if (nd.shape.length !== 2) {
        throw new IntegratorError(
          'SHAPE_MISMATCH',
          `${FN}(): argument 'x0' as an ndarray must be [batch, dim], got [${nd.shape.join(',')}]`,
        );
      }
      batched = true;
      for (let b = 0; b < nd.shape[0]; b++) {
        const row = new Float64Array(nd.shape[1]);
        for (let i = 0; i < nd.shape[1]; i++) row[i] = nd.get(b, i);
        rows.push(row);
      }
      if (adaptive && !plan.saveAt) {
        throw new IntegratorError(
          'INVALID_ARGUMENT',
          `${FN}(): a batch x0 with an adaptive method needs 'saveAt' (step sequences differ per row)`,
        );
      }
    } else rows.push(x0 as Float64Array);
    checkShapes(stepper, rows[0] as A, system);
    const runs: RunOut<Float64Array>[] = [];
    let status: IntegrateStatus = 'ok';
    for (const row of rows) {
      const sub = createStepper<Float64Array>(m, system as System<Float64Array>, {
        kind: 'float64',
        tol: options.tol,
        maxIterations: options.maxIterations,
        tolerances: adaptive ? { rtol, atol } : undefined,
      });
      const run = runOne(sub, row, { plan, adaptive, onProgress: options.onProgress });
      (stepper.system as { evaluations: number }).evaluations += sub.system.evaluations;
      runs.push(run);
      if (run.status !== 'ok') {
        status = run.status;
        break;
      }
    }
    const dim = rows[0].length;
    const nt = Math.min(...runs.map((r) => r.saved.length));
    const data = new Float64Array(runs.length * nt * dim);
    runs.forEach((r, b) => r.saved.slice(0, nt).forEach((s, k) => data.set(s, (b * nt + k) * dim)));
    const final = new Float64Array(runs.length * dim);
    runs.forEach((r, b) => final.set(r.final, b * dim));
    const failed = runs.find((r) => r.status !== 'ok');
    result = {
      status,
      failedStep: failed?.failedStep,
      message: failed?.message,
      t: Float64Array.from(runs[0].times.slice(0, nt)),
      x: (batched
        ? ndarray(data, [runs.length, nt, dim])
        : ndarray(data, [nt, dim])) as IntegrateResult<A>['x'],
      final: final as A,
      steps: runs.reduce((a, r) => a + r.steps, 0),
      rejected: runs.reduce((a, r) => a + r.rejected, 0),
      evaluations: stepper.system.evaluations,
    };
  }
  if (result.status !== 'ok' && result.status !== 'stopped' && throwOnFailure) {
    if (isTensor) tf.dispose([result.x as tf.Tensor, result.final as tf.Tensor]);
    const code = result.status === 'non-finite' ? 'NON_FINITE' : 'NOT_CONVERGED';
    throw new IntegratorError(code, `${FN}(): ${result.message}`, { step: result.failedStep });
  }
  return result;
}

interface TimePlan {
  t0: number;
  t1: number;
  dt: number | undefined;
  nSteps: number;
  lastDt: number;
  saveEvery: number;
  saveAt: number[] | undefined;
  maxSteps: number;
}

function planTime(o: IntegrateOptions<ArrayLike64>, adaptive: boolean): TimePlan {
  const t0 = o.t0 ?? 0;
  checkNumber([FN, 't0'], t0);
  if (o.dt !== undefined || !adaptive) checkNumber([FN, 'dt'], o.dt, { nonZero: true });
  const dt = o.dt;
  const saveEvery = o.saveEvery ?? 1;
  checkNumber([FN, 'saveEvery'], saveEvery, { positive: true, integer: true });
  const maxSteps = o.maxSteps ?? 1e6;
  checkNumber([FN, 'maxSteps'], maxSteps, { positive: true, integer: true });
  let t1: number;
  let nSteps = 0;
  let lastDt = dt ?? 0;
  if (o.t1 !== undefined) {
    checkNumber([FN, 't1'], o.t1);
    t1 = o.t1;
    if (o.steps !== undefined)
      throw new IntegratorError('INVALID_ARGUMENT', `${FN}(): give either 't1' or 'steps', not both`);
    if (dt !== undefined && (t1 - t0) * dt < 0) {
      throw new IntegratorError(
        'INVALID_ARGUMENT',
        `${FN}(): argument 't1' (${t1}) lies ${t1 < t0 ? 'before' : 'after'} 't0' (${t0}) but 'dt' is ${dt}; integrating backwards needs a negative dt`,
      );
    }
    if (!adaptive) {
      const n = (t1 - t0) / dt!;
      const r = Math.round(n);
      if (Math.abs(n - r) <= 1e-9 * Math.max(1, Math.abs(n))) {
        nSteps = r;
        lastDt = dt!;
      } else {
        nSteps = Math.ceil(n);
        lastDt = t1 - (t0 + (nSteps - 1) * dt!);
      }
    }
  } else {
    if (adaptive) throw new IntegratorError('INVALID_ARGUMENT', `${FN}(): adaptive methods need 't1'`);
    nSteps = checkNumber([FN, 'steps'], o.steps, { positive: true, integer: true });
    t1 = t0 + nSteps * dt!;
  }
  let saveAt: number[] | undefined;
  if (o.saveAt !== undefined) {
    if (!Array.isArray(o.saveAt) || !o.saveAt.every(Number.isFinite)) {
      throw new IntegratorError(
        'INVALID_ARGUMENT',
        `${FN}(): argument 'saveAt' must be an array of finite times, got ${describe(o.saveAt)}`,
      );
    }
    saveAt = o.saveAt.slice();
    const dir = Math.sign(t1 - t0) || 1;
    for (let i = 0; i < saveAt.length; i++) {
      const s = saveAt[i];
      if ((s - t0) * dir < -1e-12 || (t1 - s) * dir < -1e-12 || (i > 0 && (s - saveAt[i - 1]) * dir <= 0)) {
        throw new IntegratorError(
          'INVALID_ARGUMENT',
          `${FN}(): argument 'saveAt' must be strictly monotone times within [t0, t1], got ${s} at index ${i}`,
        );
      }
    }
  }
  return { t0, t1, dt, nSteps, lastDt, saveEvery, saveAt, maxSteps };
}

function checkShapes<A>(stepper: Stepper<A>, x0: A, system: System<never> | System<ArrayLike64>): void {
  const m = stepper.method;
  const K = stepper.kind;
  const dim = K.dim(x0);
  const type = (system as { type: string }).type;
  if (dim === 0 || ((type === 'separable' || type === 'hamiltonian') && dim % 2 !== 0)) {
    throw new IntegratorError(
      'SHAPE_MISMATCH',
      `${FN}(): argument 'x0' must hold (q, p) with an even, non-zero length, got length ${dim}`,
    );
  }
  K.tidy(() => {
    const f = stepper.system.f(K.copy(x0), 0);
    const shapeOf = (a: A) =>
      K.name === 'tensor' ? (a as unknown as tf.Tensor).shape.join(',') : String(K.dim(a));
    if (shapeOf(f) !== shapeOf(x0)) {
      throw new IntegratorError(
        'SHAPE_MISMATCH',
        `${FN}(): the system's derivative has shape [${shapeOf(f)}] but x0 has shape [${shapeOf(x0)}] (method '${m.name}')`,
      );
    }
    return undefined;
  });
  (stepper.system as { evaluations: number }).evaluations = 0;
}

interface RunContext {
  plan: TimePlan;
  adaptive: boolean;
  onProgress?: OnProgress<IntegrateProgress>;
}

function runOne<A>(stepper: Stepper<A>, x0: A, ctx: RunContext): RunOut<A> {
  return ctx.adaptive ? runAdaptive(stepper, x0, ctx) : runFixed(stepper, x0, ctx);
}

function replaceState<A>(stepper: Stepper<A>, old: StepperState<A>, next: StepperState<A>): void {
  if (stepper.kind.name !== 'tensor') return;
  const keep = new Set(stepper.arrays(next));
  stepper.kind.dispose(stepper.arrays(old).filter((a) => !keep.has(a)));
}

function runFixed<A>(stepper: Stepper<A>, x0: A, { plan, onProgress }: RunContext): RunOut<A> {
  const K = stepper.kind;
  const { t0, nSteps, saveEvery } = plan;
  const dt = plan.dt!;
  let saveIdx: Set<number> | undefined;
  if (plan.saveAt) {
    saveIdx = new Set();
    for (const s of plan.saveAt) {
      const k = (s - t0) / dt;
      const r = Math.round(k);
      const onGrid = Math.abs(k - r) <= 1e-9 * Math.max(1, Math.abs(k));
      if (!onGrid && !(Math.abs(s - plan.t1) <= 1e-12 * Math.max(1, Math.abs(s)))) {
        throw new IntegratorError(
          'INVALID_ARGUMENT',
          `${FN}(): 'saveAt' time ${s} is not on the step grid t0 + k dt of a fixed-step method`,
        );
      }
      saveIdx.add(onGrid ? Math.min(r, nSteps) : nSteps);
    }
  }
  let state = stepper.init(x0);
  const saved: A[] = [];
  const times: number[] = [];
  const isSave = (k: number) => (saveIdx ? saveIdx.has(k) : k % saveEvery === 0 || k === nSteps);
  /** Time after `k` steps (the last step may be shorter and end exactly at t1). */
  const timeAt = (k: number) => (k === nSteps ? plan.t1 : t0 + k * dt);
  const save = (k: number, t: number) => {
    if (!isSave(k)) return false;
    saved.push(stepper.snapshot(state));
    times.push(t);
    return true;
  };
  save(0, t0);
  const finish = (end: Pick<RunOut<A>, 'status' | 'failedStep' | 'message' | 'steps'>): RunOut<A> => {
    const final = stepper.snapshot(state);
    K.dispose(stepper.arrays(state));
    return { ...end, saved, times, final, rejected: 0 };
  };
  const out = (status: IntegrateStatus, failedStep: number | undefined, message: string | undefined) =>
    finish({ status, failedStep, message, steps: failedStep ?? nSteps });
  const stopped = (i: number, t: number) =>
    finish({ status: 'stopped', message: `onProgress returned false after step ${i} (t = ${t})`, steps: i });
  const progress = (i: number, t: number) =>
    onProgress?.({ step: i, total: nSteps, t }) === false && i < nSteps;
  const tensor = K.name === 'tensor';
  const failure = (status: 'non-finite' | 'not-converged', i: number, t: number) =>
    status === 'not-converged'
      ? out(
          status,
          i,
          `the implicit solve of '${stepper.method.name}' did not converge at step ${i} (t = ${t})`,
        )
      : out(
          status,
          i,
          `the state became non-finite at step ${i} (t = ${t})${tensor ? ' or earlier since the last save' : ''}`,
        );
  if (!tensor) {
    // Whole runs of equal steps between save points go to stepper.advance (float64 splitting runs them in
    // one loop and locates a non-finite state exactly); a shorter last step (lastDt) runs on its own.
    const saveList = saveIdx ? [...saveIdx].sort((a, b) => a - b) : undefined;
    const lastAlone = plan.lastDt !== dt;
    let next = 0;
    let i = 0;
    while (i < nSteps) {
      let end: number;
      if (onProgress) end = i + 1;
      else if (saveList) {
        while (next < saveList.length && saveList[next] <= i) next++;
        end = next < saveList.length ? saveList[next] : nSteps;
      } else end = Math.min(nSteps, (Math.floor(i / saveEvery) + 1) * saveEvery);
      let r: AdvanceOutcome<A>;
      if (lastAlone && i === nSteps - 1) {
        r = stepper.advance(state, { t0: t0 + i * dt, dt: plan.lastDt, from: 0, to: 1 });
        r.done += i;
      } else {
        if (lastAlone && end === nSteps) end = nSteps - 1;
        r = stepper.advance(state, { t0, dt, from: i, to: end });
      }
      state = r.state;
      if (r.status !== 'ok') return failure(r.status, r.done - 1, timeAt(r.done));
      i = r.done;
      const t = timeAt(i);
      save(i, t);
      if (progress(i, t)) return stopped(i, t);
    }
    return out('ok', undefined, undefined);
  }
  // Tensors: one tidy per step keeping only the new state; finiteness is checked at save points and at the end.
  let t = t0;
  for (let i = 0; i < nSteps; i++) {
    const h = i === nSteps - 1 ? plan.lastDt : dt;
    const prev = state;
    const o = K.tidy(() => {
      const r = stepper.step(prev, t, h);
      return { state: r.state, status: r.status };
    }) as StepOutcome<A>;
    replaceState(stepper, prev, o.state);
    state = o.state;
    t = timeAt(i + 1);
    if (o.status !== 'ok') return failure('not-converged', i, t);
    const didSave = save(i + 1, t);
    if (didSave || i === nSteps - 1) {
      const last = didSave ? saved[saved.length - 1] : undefined;
      const finite =
        last !== undefined
          ? K.allFinite(last)
          : state.x !== undefined
            ? K.allFinite(state.x)
            : K.tidy(() => K.allFinite(stepper.snapshot(state)));
      if (!finite) {
        if (didSave) {
          K.dispose(saved.pop()!);
          times.pop();
        }
        return failure('non-finite', i, t);
      }
    }
    if (progress(i + 1, t)) return stopped(i + 1, t);
  }
  return out('ok', undefined, undefined);
}

function runAdaptive<A>(stepper: Stepper<A>, x0: A, { plan, onProgress }: RunContext): RunOut<A> {
  const m = stepper.method as ButcherTableau;
  const K = stepper.kind;
  const { t0, t1 } = plan;
  const dir = Math.sign(t1 - t0) || 1;
  let state = stepper.init(x0);
  const saved: A[] = [];
  const times: number[] = [];
  const saveAt = plan.saveAt;
  let nextSave = 0;
  if (!saveAt || Math.abs(saveAt[0] - t0) <= 1e-12 * Math.max(1, Math.abs(t0))) {
    saved.push(stepper.snapshot(state));
    times.push(t0);
    if (saveAt) nextSave = 1;
  }
  if (saveAt && !m.dense) {
    throw new IntegratorError('UNSUPPORTED', `${FN}(): method '${m.name}' has no dense output for 'saveAt'`);
  }
  // A rejected trial: release its arrays, except those it shares with the state we retry from (FSAL k1).
  const discard = (o: StepOutcome<A>) => {
    const keep = new Set(stepper.arrays(state));
    K.dispose([...stepper.arrays(o.state), ...(o.ks ?? [])].filter((a) => !keep.has(a)));
  };
  let h = plan.dt !== undefined ? Math.abs(plan.dt) : initialStep(stepper, state.x!, [t0, t1]);
  let t = t0;
  let steps = 0;
  let rejected = 0;
  let facOld = 1e-4;
  let badInRow = 0;
  let lastReject = false;
  const out = (
    status: IntegrateStatus,
    failedStep: number | undefined,
    message: string | undefined,
  ): RunOut<A> => {
    const final = stepper.snapshot(state);
    K.dispose(stepper.arrays(state));
    return { status, failedStep, message, saved, times, final, steps, rejected };
  };
  while ((t1 - t) * dir > 1e-14 * Math.max(1, Math.abs(t1))) {
    if (steps + rejected >= plan.maxSteps)
      return out('max-iterations', steps, `reached maxSteps = ${plan.maxSteps} at t = ${t}`);
    const last = Math.abs(t1 - t) <= h * (1 + 1e-12);
    const hs = last ? t1 - t : dir * h;
    const prev = state;
    const o = K.tidy(() => {
      const r = stepper.step(prev, t, hs);
      return { state: r.state, status: r.status, error: r.error, ks: r.ks };
    }) as StepOutcome<A>;
    const err = o.error ?? 0;
    if (!Number.isFinite(err) || o.status !== 'ok') {
      discard(o);
      badInRow++;
      rejected++;
      if (badInRow > 20 || h < 1e-14 * Math.max(1, Math.abs(t))) {
        return out(
          'non-finite',
          steps,
          `the trial state stayed non-finite while shrinking the step at t = ${t} (step ${steps})`,
        );
      }
      h /= 10;
      continue;
    }
    badInRow = 0;
    // PI step-size controller (Hairer's DOPRI5: beta = 0.04, alpha = 1/5 - 0.75 beta).
    const beta = 0.04;
    const fac11 = err ** (0.2 - beta * 0.75);
    if (err <= 1) {
      let fac = fac11 / facOld ** beta;
      fac = Math.max(0.1, Math.min(5, fac / 0.9));
      let hNew = h / fac;
      if (lastReject) hNew = Math.min(hNew, h);
      facOld = Math.max(err, 1e-4);
      const tNew = t + hs;
      if (saveAt) {
        while (
          nextSave < saveAt.length &&
          (saveAt[nextSave] - tNew) * dir <= 1e-12 * Math.max(1, Math.abs(tNew))
        ) {
          const theta = (saveAt[nextSave] - t) / hs;
          saved.push(K.tidy(() => denseEval(K, { m, x0: prev.x!, x1: o.state.x!, ks: o.ks!, h: hs }, theta)));
          times.push(saveAt[nextSave]);
          nextSave++;
        }
      }
      K.dispose(o.ks!.filter((k) => !stepper.arrays(o.state).includes(k)));
      replaceState(stepper, prev, o.state);
      state = o.state;
      t = last ? t1 : tNew;
      steps++;
      if (!saveAt) {
        saved.push(stepper.snapshot(state));
        times.push(t);
      }
      if (!K.allFinite(state.x!))
        return out('non-finite', steps - 1, `the state became non-finite at step ${steps - 1} (t = ${t})`);
      h = hNew;
      lastReject = false;
      if (onProgress?.({ step: steps, t }) === false && (t1 - t) * dir > 1e-14 * Math.max(1, Math.abs(t1)))
        return out('stopped', undefined, `onProgress returned false after step ${steps} (t = ${t})`);
    } else {
      discard(o);
      rejected++;
      h = h / Math.min(10, fac11 / 0.9);
      lastReject = true;
    }
  }
  return out('ok', undefined, undefined);
}

/** Hairer's starting step: h0 = 0.01 |x0| / |f0|, refined with one Euler step (scaled norms). */
function initialStep<A>(stepper: Stepper<A>, x: A, [t0, t1]: readonly [number, number]): number {
  const K = stepper.kind;
  const m = stepper.method;
  return K.tidy(() => {
    const f0 = stepper.system.f(x, t0);
    const d0 = K.maxAbs(x);
    const d1 = K.maxAbs(f0);
    let h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : (0.01 * d0) / d1;
    h0 = Math.min(h0, Math.abs(t1 - t0));
    const dir = Math.sign(t1 - t0) || 1;
    const x1 = K.combine(x, [dir * h0], [f0]);
    const f1 = stepper.system.f(x1, t0 + dir * h0);
    const d2 = K.maxAbsDiff(f1, f0) / h0;
    const mx = Math.max(d1, d2);
    const h1 = mx <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : (0.01 / mx) ** (1 / (m.order + 1));
    return Math.min(100 * h0, h1, Math.abs(t1 - t0));
  });
}

/** DOPRI5 continuous extension at `theta` in [0, 1] (Hairer, Nørsett, Wanner, §II.6). */
function denseEval<A>(
  K: ArrayKind<A>,
  { m, x0, x1, ks, h }: { m: ButcherTableau; x0: A; x1: A; ks: A[]; h: number },
  theta: number,
): A {
  const d = m.dense!;
  const s = ks.length;
  const th = theta;
  const th1 = 1 - th;
  const cr = th - th * th1 + 2 * th * th * th1;
  const cs = ks.map((_, i) => h * th * th * th1 * th1 * d[i]);
  cs[0] += h * (th * th1 - th * th * th1);
  cs[s - 1] += -h * th * th * th1;
  return K.combine(x0, [cr, -cr, ...cs], [x1, x0, ...ks]);
}
