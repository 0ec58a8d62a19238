import type { OnProgress, ProgressInfo, RunStatus } from '@noether/autodiff';
import {
  firstOrder,
  integrate,
  type ArrayLike64,
  type IntegrateResult,
  type IntegrateStatus,
  type System,
  type Method,
  type MethodName,
} from '@noether/integrators';
import * as tf from '@tensorflow/tfjs';
import { checkWeights64, flatten64, unflatten64, type Weights64 } from './dense-chain';
import { ParamSymmetryError, checkNumber, invalid } from './errors';
import { evaluateCharges, type ChargeValue } from './expected-charges';
import { chainLoss, checkData64, lossAndGradUnchecked, type Data64, type TensorData } from './mlp64';
import type { ChargeSet } from './noether-charges';

/** Progress of {@link gradientFlow}. */
export interface GradientFlowProgress extends ProgressInfo {
  /** Time `t = step * dt`. */
  t: number;
  loss: number;
}

/** Options of {@link gradientFlow}. */
export interface GradientFlowOptions<D = Data64 | TensorData> {
  /** The training data: float64 {@link Data64} for float64 weights, {@link TensorData} for tensors (borrowed). */
  data: D;
  /**
   * Integrator from `@noether/integrators`. Default `'implicitMidpoint'`. Gauss–Legendre methods
   * (`implicitMidpoint`, `gaussLegendre4`, `gaussLegendre6`) keep every quadratic charge to round-off;
   * explicit Runge–Kutta methods (`rk4`, `euler`) drift.
   */
  method?: Method | MethodName;
  /** Time step. */
  dt: number;
  /** Number of steps. */
  steps: number;
  /** Record loss and charges every this many steps (and at the end). Default `max(1, steps / 100)`. */
  sampleEvery?: number;
  /** Implicit methods: fixed-point tolerance (see `createStepper`). Default 1e-14 (float64), 1e-7 (tensor). */
  tol?: number;
  /** Implicit methods: iteration cap per step. Default 100. */
  maxIterations?: number;
  /** Called at every record; returning `false` stops the run with status `'stopped'`. */
  onProgress?: OnProgress<GradientFlowProgress>;
  /** Throw `NON_FINITE` / `NOT_CONVERGED` instead of returning the status. Default false. */
  throwOnFailure?: boolean;
}

/** Result of {@link gradientFlow}. Tensors in it are owned by the caller. */
export interface GradientFlowResult<W> {
  status: Extract<RunStatus, 'ok' | 'stopped' | 'not-converged' | 'non-finite'>;
  /** Weights at the end (float64 arrays or float32 tensors, as given). */
  weights: W;
  /** Recorded times. */
  t: number[];
  /** Loss at the recorded times. */
  losses: number[];
  /** Charges at the recorded times (evaluated in float64 from the weights). */
  charges: ChargeValue[][];
  /** Largest `|Q(t) - Q(0)| / mass(0)` over records, components and charges. */
  chargeDrift: number;
  /** Steps taken. */
  steps: number;
  /** Gradient evaluations. */
  evaluations: number;
}

function mapStatus(s: IntegrateStatus): GradientFlowResult<unknown>['status'] {
  if (s === 'ok') return 'ok';
  if (s === 'stopped') return 'stopped';
  if (s === 'non-finite') return 'non-finite';
  return 'not-converged';
}

function driftOf(charges: ChargeValue[][]): number {
  let worst = 0;
  const q0 = charges[0];
  for (const rec of charges)
    rec.forEach((c, k) => {
      for (let i = 0; i < c.value.length; i++)
        worst = Math.max(worst, Math.abs(c.value[i] - q0[k].value[i]) / q0[k].mass[i]);
    });
  return worst;
}

/**
 * Trains by integrating gradient flow `d theta / dt = -grad L(theta)` with a method of
 * `@noether/integrators`: over float64 (`Float64Array` weights, reference accuracy) or float32 tensors
 * (dispatch on the kind of `weights`). Runge–Kutta methods with `b_i a_ij + b_j a_ji = b_i b_j` (implicit
 * midpoint, Gauss–Legendre) preserve every quadratic invariant of the flow, so every quadratic charge of
 * `set` is kept to round-off (and the fixed-point tolerance); RK4 and Euler drift.
 *
 * @throws ParamSymmetryError `INVALID_ARGUMENT` / `SHAPE_MISMATCH` for bad inputs; `NON_FINITE` /
 *   `NOT_CONVERGED` on failure when `throwOnFailure`.
 * @example
 * ```ts
 * const r = gradientFlow(set, initWeights64(chain, { seed: 1 }), { data, method: 'implicitMidpoint', dt: 0.02, steps: 400 });
 * r.chargeDrift; // ~1e-15
 * ```
 * @see E. Hairer, C. Lubich, G. Wanner, Geometric Numerical Integration, 2nd ed. (2006), Thm IV.2.2.
 */
export function gradientFlow(
  set: ChargeSet,
  weights: Weights64,
  options: GradientFlowOptions<Data64>,
): GradientFlowResult<Float64Array[]>;
export function gradientFlow(
  set: ChargeSet,
  weights: readonly tf.Tensor[],
  options: GradientFlowOptions<TensorData>,
): GradientFlowResult<tf.Tensor[]>;
export function gradientFlow(
  set: ChargeSet,
  weights: Weights64 | readonly tf.Tensor[],
  options: GradientFlowOptions,
): GradientFlowResult<Float64Array[] | tf.Tensor[]> {
  const fn = 'gradientFlow';
  if (!options || typeof options !== 'object')
    invalid([fn, 'options'], 'an object { data, dt, steps }', options);
  const data = options.data;
  const dt = checkNumber([fn, 'dt'], options.dt, { min: 0 });
  const steps = checkNumber([fn, 'steps'], options.steps, { min: 1, inclusive: true, integer: true });
  const sampleEvery = checkNumber(
    [fn, 'sampleEvery'],
    options.sampleEvery ?? Math.max(1, Math.floor(steps / 100)),
    {
      min: 1,
      inclusive: true,
      integer: true,
    },
  );
  const method = options.method ?? 'implicitMidpoint';
  const isTensor = Array.isArray(weights) && weights.length > 0 && weights[0] instanceof tf.Tensor;
  const chain = set.chain;
  const out = isTensor
    ? runTensor(set, weights as tf.Tensor[], {
        ...options,
        data: data as TensorData,
        method,
        dt,
        steps,
        sampleEvery,
      })
    : (() => {
        checkWeights64(fn, chain, weights);
        checkData64(fn, chain, data as Data64);
        return run64(set, weights as Weights64, {
          ...options,
          data: data as Data64,
          method,
          dt,
          steps,
          sampleEvery,
        });
      })();
  if (out.status !== 'ok' && out.status !== 'stopped' && options.throwOnFailure) {
    if (isTensor) tf.dispose(out.weights as tf.Tensor[]);
    throw new ParamSymmetryError(
      out.status === 'non-finite' ? 'NON_FINITE' : 'NOT_CONVERGED',
      `${fn}(): the flow stopped at step ${out.steps} with status '${out.status}'`,
      { fn },
    );
  }
  return out;
}

type Plan<D> = GradientFlowOptions<D> & { method: Method | MethodName; sampleEvery: number };

/** How {@link flowSegments} samples one array kind along the flow. */
interface Sampler<A extends ArrayLike64> {
  lossAt(x: A): number;
  chargesAt(x: A): ChargeValue[];
  /** Frees a finished segment's outputs and the state it started from (tensors); nothing for float64. */
  release(r: IntegrateResult<A>, previous: A): void;
}

/** The flow in segments of `sampleEvery` steps, recording loss and charges after each and reporting progress. */
function flowSegments<A extends ArrayLike64>(
  plan: Plan<unknown>,
  flow: { sys: System<A>; x0: A; tol: number | undefined },
  sampler: Sampler<A>,
): Omit<GradientFlowResult<A>, 'weights' | 'chargeDrift' | 'evaluations'> & { x: A } {
  let x = flow.x0;
  const t: number[] = [0];
  const losses: number[] = [sampler.lossAt(x)];
  const charges: ChargeValue[][] = [sampler.chargesAt(x)];
  let done = 0;
  let status: GradientFlowResult<unknown>['status'] = 'ok';
  while (done < plan.steps) {
    const n = Math.min(plan.sampleEvery, plan.steps - done);
    const r = integrate(plan.method, flow.sys, {
      x0: x,
      dt: plan.dt,
      steps: n,
      saveEvery: n,
      throwOnFailure: false,
      tol: flow.tol,
      maxIterations: plan.maxIterations,
    });
    sampler.release(r, x);
    x = r.final;
    if (r.status !== 'ok') {
      status = mapStatus(r.status);
      done += r.failedStep ?? 0;
      break;
    }
    done += n;
    t.push(done * plan.dt);
    losses.push(sampler.lossAt(x));
    charges.push(sampler.chargesAt(x));
    const info = { step: done, total: plan.steps, t: done * plan.dt, loss: losses[losses.length - 1] };
    if (plan.onProgress?.(info) === false) {
      status = 'stopped';
      break;
    }
  }
  return { x, t, losses, charges, steps: done, status };
}

function run64(set: ChargeSet, w0: Weights64, plan: Plan<Data64>): GradientFlowResult<Float64Array[]> {
  const data = plan.data;
  const chain = set.chain;
  let evaluations = 0;
  const sys = firstOrder({
    f: (x: Float64Array, _t: number, out?: Float64Array) => {
      evaluations++;
      const { grads } = lossAndGradUnchecked(chain, unflatten64(chain, x), data);
      const dst = out ?? new Float64Array(x.length);
      let o = 0;
      for (const g of grads) for (let i = 0; i < g.length; i++) dst[o++] = -g[i];
      return dst;
    },
  });
  const { x, ...run } = flowSegments(
    plan,
    { sys, x0: flatten64(w0), tol: plan.tol },
    {
      lossAt: (v) => lossAndGradUnchecked(chain, unflatten64(chain, v), data).loss,
      chargesAt: (v) => evaluateCharges(set, unflatten64(chain, v)),
      release: () => undefined,
    },
  );
  return { ...run, weights: unflatten64(chain, x), chargeDrift: driftOf(run.charges), evaluations };
}

function runTensor(
  set: ChargeSet,
  w0: readonly tf.Tensor[],
  plan: Plan<TensorData>,
): GradientFlowResult<tf.Tensor[]> {
  const data = plan.data;
  const fn = 'gradientFlow';
  const chain = set.chain;
  if (w0.length !== chain.shapes.length)
    invalid([fn, 'weights'], `an array of ${chain.shapes.length} tensors`, w0);
  w0.forEach((w, i) => {
    if (w.shape.join(',') !== chain.shapes[i].join(','))
      throw new ParamSymmetryError(
        'SHAPE_MISMATCH',
        `${fn}(): argument 'weights[${i}]' must have shape [${chain.shapes[i].join(',')}], got [${w.shape.join(',')}]`,
        { fn },
      );
  });
  const sizes = chain.shapes.map((s) => s.reduce((a, d) => a * d, 1));
  const split = (v: tf.Tensor): tf.Tensor[] =>
    tf.split(v.reshape([-1]), sizes).map((p, i) => p.reshape(chain.shapes[i] as number[]));
  let evaluations = 0;
  const gradOf = tf.grad((v: tf.Tensor) => chainLoss(chain, split(v), data));
  const sys = firstOrder<tf.Tensor>({
    f: (x: tf.Tensor) => {
      evaluations++;
      return tf.neg(gradOf(x));
    },
  });
  const x0 = tf.tidy(() => tf.concat(w0.map((w) => w.reshape([-1]))).reshape([1, -1]));
  const { x, ...run } = flowSegments(
    plan,
    { sys, x0, tol: plan.tol ?? 1e-7 },
    {
      lossAt: (v) => tf.tidy(() => chainLoss(chain, split(v), data).dataSync()[0]),
      chargesAt: (v) => {
        let values: ChargeValue[] = [];
        tf.tidy(() => {
          values = evaluateCharges(set, split(v));
        });
        return values;
      },
      release: (r, previous) => {
        r.x.dispose();
        previous.dispose();
      },
    },
  );
  const weights = tf.tidy(() => split(x));
  x.dispose();
  return { ...run, weights, chargeDrift: driftOf(run.charges), evaluations };
}
