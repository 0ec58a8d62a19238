import { writeFileAtomic } from '@noether/files';
import { join } from 'node:path';
import {
  createTrainer,
  fileCheckpointStore,
  lbfgsOptimizer,
  settingsHash,
  train,
  type TrainOptions,
} from '@noether/optim';
import { withProjection } from '@noether/pinn-proj';
import type { Constraint } from '@noether/pinn-proj';
import * as tf from '@tensorflow/tfjs';
import { getCase, gridNodes, referenceOf, targetsOf } from './cases';
import type { CaseName, Field, PinnCase } from './cases';
import { conservationErrors, constraintError, constraintErrorSeries, relativeL2 } from './metrics';
import type { ConstraintKind } from './metrics';
import {
  createMlp,
  evaluationGrid,
  initialPoints,
  levelSubset,
  sampleCollocation,
  sampleData,
} from './setup';
import type { LevelPoints } from './setup';

/** Training variants compared in the paper. */
export type Variant = 'pinn' | 'penalty' | 'proj';
export const variants: readonly Variant[] = ['pinn', 'penalty', 'proj'];
export const constraintKinds: readonly ConstraintKind[] = ['linear', 'quadratic', 'joint'];

/** Settings of one reproduction run (all have defaults except case, constraint, variant). */
export interface RunSettings {
  case: CaseName;
  constraint: ConstraintKind;
  variant: Variant;
  /** L-BFGS iteration cap. Paper: until convergence (gradient tolerance 1e-6). */
  iterations: number;
  /** Collocation points (rounded to a multiple of the 100 time levels). Paper: 10,000. */
  points: number;
  /** IC/BC data points. Paper: 100. */
  dataPoints: number;
  /** Network and sampling seed. */
  seed: number;
  /** Penalty weight of the soft-constraint baseline. Paper: 10. */
  lambda: number;
  /** L-BFGS history. Paper: 50. */
  history: number;
  /** Shared time levels of the training points (a subset of the reference's 100, t = 0 first). Default 100. */
  levels: number;
  /** Hidden layers x width. Paper: 8 x 20. */
  hidden: number;
  width: number;
  /**
   * PINN-Proj only: `detached` (default; the 2025 code: u~_t ignores the t-dependence of the correction) or
   * `exact` (the 2024 workshop code: through `withProjection`'s exact mode; constant targets only).
   */
  timeDerivative?: 'detached' | 'exact';
}

/** Defaults: the paper's setup, except the iteration cap (which the paper does not state). */
export const defaultSettings = {
  iterations: 1000,
  points: 10000,
  dataPoints: 100,
  seed: 0,
  lambda: 10,
  history: 50,
  levels: 100,
  hidden: 8,
  width: 20,
} as const;

/**
 * Stopping tolerances of the reproduction's L-BFGS, the paper's (PyTorch `LBFGS(tolerance_grad=1e-6,
 * tolerance_change=np.finfo(float).eps)`, whose strong-Wolfe search keeps its own 1e-9 interval tolerance):
 * a change tolerance of 1e-9 would end runs whose loss is ~1e-6 while they still make progress.
 */
export const lbfgsTolerances = {
  gradTol: 1e-6,
  changeTol: Number.EPSILON,
  lineSearch: { tolerance: 1e-9 },
} as const;

/** Outcome of one run: metrics against the float64 reference plus training facts. */
export interface RunResult {
  id: string;
  settings: RunSettings;
  /** Relative L2 error of u over the 100 x n reference grid. */
  relL2: number;
  /** Conservation error of the constrained integral(s), summed over the 100 levels (joint: linear + quadratic). */
  conservation: number;
  /** Sum over levels of |I1 - c1| and |I2 - c2| (both reported for every run). */
  linearSum: number;
  quadraticSum: number;
  /** Per-level conservation error of the constrained integral(s). */
  series: number[];
  /** How training ended (`RunStatus`; runs cached by older versions may hold other words). */
  status: string;
  /** The optimiser's reason when it ended the run early (`'grad-tol'`, `'change-tol'`, ...). */
  reason?: string;
  message: string;
  iterations: number;
  evaluations: number;
  seconds: number;
  loss: number;
  /** Loss terms at the end: residual, data, initial velocity (wave), penalty. */
  terms: Record<string, number>;
  /** Loss after each iteration. */
  losses: number[];
  /** Prediction on the reference grid `[K, n]`, float32, base64. */
  prediction: string;
  /** Final network parameters (flat float32, base64), for re-evaluation. */
  params?: string;
  /** The same metrics with the prediction (and projection) recomputed on another backend. */
  crossCheck?: BackendMetrics;
}

/** Metrics of a trained network evaluated on one tfjs backend. */
export interface BackendMetrics {
  backend: string;
  relL2: number;
  conservation: number;
  linearSum: number;
  quadraticSum: number;
}

/** Every field of {@link RunSettings} that changes a run's result (the default `timeDerivative` aside). */
const RUN_SETTING_KEYS = [
  'case',
  'constraint',
  'variant',
  'iterations',
  'points',
  'dataPoints',
  'seed',
  'lambda',
  'history',
  'levels',
  'hidden',
  'width',
] as const;

/** The settings of a run in canonical form: every field of {@link RunSettings}, nothing else. */
function canonicalSettings(s: RunSettings): RunSettings {
  return {
    ...(Object.fromEntries(RUN_SETTING_KEYS.map((k) => [k, s[k]])) as Pick<
      RunSettings,
      (typeof RUN_SETTING_KEYS)[number]
    >),
    // the default (detached) stays out, so ids of runs made before the option existed still match
    ...(s.timeDerivative === 'exact' ? { timeDerivative: 'exact' as const } : {}),
  };
}

/**
 * The identity of a run: readable case, constraint and variant, then 12 hex digits of the hash of the
 * canonical settings (every setting that changes the result: a rerun with another `lambda` is another run).
 */
export function runId(s: RunSettings): string {
  const exact = s.timeDerivative === 'exact' ? '-exact' : '';
  const hash = settingsHash({ ...canonicalSettings(s), method: methodOf(s) }).slice(0, 12);
  return `${s.case}-${s.constraint}-${s.variant}-${hash}${exact}`;
}

/**
 * What a run's result depends on besides its settings: the L-BFGS stopping rules and the kind of targets its
 * case uses (constant c(0), or the reference's c(t)). In the id, so a run cached before either changed is
 * trained again instead of being reused.
 */
function methodOf(s: RunSettings): { lbfgs: typeof lbfgsTolerances; targets: 'constant' | 'reference' } {
  return { lbfgs: lbfgsTolerances, targets: getCase(s.case).conserved ? 'constant' : 'reference' };
}

/** The constraint object of a case: constant t = 0 targets, or the reference's c(t) (linear interpolation). */
export function constraintOf(c: PinnCase, kind: ConstraintKind): Constraint {
  const ref = referenceOf(c);
  const { c1, c2 } = targetsOf(c, ref);
  const interp = (values: Float64Array) => (t: number) => {
    const x = (t - ref.t[0]) / (ref.t[1] - ref.t[0]);
    const k = Math.min(Math.max(Math.floor(x), 0), values.length - 2);
    const f = x - k;
    return values[k] * (1 - f) + values[k + 1] * f;
  };
  // An integral the reference keeps constant (to 1e-12 relative, e.g. Burgers' mass) gets a constant target
  // even when the case as a whole is not conserved.
  const constant = (v: Float64Array) =>
    c.conserved || v.every((x) => Math.abs(x - v[0]) <= 1e-12 * Math.max(1, Math.abs(v[0])));
  const t1 = constant(c1) ? c1[0] : interp(c1);
  const t2 = constant(c2) ? c2[0] : interp(c2);
  return kind === 'linear'
    ? { type: 'linear', c1: t1 }
    : kind === 'quadratic'
      ? { type: 'quadratic', c2: t2 }
      : { type: 'joint', c1: t1, c2: t2 };
}

const b64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const fromB64 = (s: string) => {
  const buf = Buffer.from(s, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
};
export const decodePrediction = fromB64;

/** Writes JSON with `@noether/files`' hardened atomic writer. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value));
}

/** Options of {@link runCase}. */
export interface RunCaseOptions {
  /** Directory for checkpoints (resumed when present); none when undefined. */
  checkpointDir?: string;
  /** Checkpoint every this many iterations (full L-BFGS state, via the pinn-proj trainer). Default 25. */
  checkpointEvery?: number;
  /** Also evaluate the trained network (and its projection) on this backend, e.g. `'cpu'`. */
  crossCheckBackend?: string;
  /** Called after every iteration with `{ step, total, loss, ... }`; returning `false` stops the run. */
  onProgress?: TrainOptions['onProgress'];
}

/**
 * Trains one PINN / penalty / PINN-Proj model on one case and constraint with L-BFGS (float32; the optim
 * trainer, resumable from `checkpointDir`) and measures it against the float64 reference.
 *
 * Projection in training goes through the public path users run: `withProjection(net, ...)`, prepared once
 * per loss on the time levels (`uTilde.prepare({ times, index })`: the network is evaluated once on the
 * spatial grid at the levels where all collocation and data points lie, the per-level affine map of the
 * closed-form projection is computed with compensated integrals and double-float targets), and
 * u~ = u + ((scale(t) - 1) u + shift(t)) is used in the data, residual and initial-velocity terms (each
 * point set with its own level index; time derivative 'detached', as in the 2025 code). Evaluation uses
 * `withProjection(...).gridValues`.
 */
export async function runCase(settings: RunSettings, options: RunCaseOptions = {}): Promise<RunResult> {
  const c = getCase(settings.case);
  const ref = referenceOf(c);
  const id = runId(settings);
  const dim = c.dim;
  const nodes = gridNodes(ref);
  const w = ref.weights;
  const n = w.length;
  const area = dim === 1 ? 2 : 4;
  const constraint = constraintOf(c, settings.constraint);
  const targets = targetsOf(c, ref);

  const net = createMlp(dim + 1, { seed: settings.seed, hidden: settings.hidden, width: settings.width });
  const levels = levelSubset(ref, settings.levels);
  const L = levels.length;
  const colloc = sampleCollocation(ref, { total: settings.points, seed: settings.seed, levels });
  const data = sampleData(ref, { count: settings.dataPoints, seed: settings.seed, levels });
  const ic = c.initialVelocity ? initialPoints(ref, 64) : undefined;

  const toTensor = (p: LevelPoints) => tf.tensor2d(p.xt, [p.count, dim + 1]);
  const collocXt = toTensor(colloc);
  const dataXt = toTensor(data);
  const dataU = tf.tensor2d(data.u, [data.count, 1]);
  const icXt = ic ? toTensor(ic) : undefined;
  const gridXt = tf.tensor2d(evaluationGrid(ref, nodes, levels), [L * n, dim + 1]);
  const wCol = tf.tensor2d(Float32Array.from(w), [n, 1]);
  const levelTimes = Float64Array.from(levels, (k) => ref.t[k]);
  // PINN-Proj through the public path users run: withProjection, prepared once per loss on the levels.
  const projected =
    settings.variant === 'proj'
      ? withProjection(net.apply, {
          grid: nodes,
          weights: w,
          dim,
          constraint,
          denominatorFloor: 1e-12,
          // exact: u~_t includes the t-dependence of the correction (the workshop code's setting)
          ...(settings.timeDerivative === 'exact'
            ? { timeDerivative: 'exact' as const, exactOrder: c.timeOrder }
            : {}),
        })
      : undefined;
  const pointLevels = (p: LevelPoints) => Int32Array.from(p.level);
  const collocLevels = pointLevels(colloc);
  const dataLevels = pointLevels(data);
  const icLevels = ic ? pointLevels(ic) : undefined;
  const c1 = tf.tensor2d(
    Float32Array.from(levels, (k) => targets.c1[k]),
    [L, 1],
  );
  const c2 = tf.tensor2d(
    Float32Array.from(levels, (k) => targets.c2[k]),
    [L, 1],
  );
  const constants = [collocXt, dataXt, dataU, icXt, gridXt, wCol, c1, c2];

  /** Loss terms (inside a tape): per-level grid integrals once, then the fields at each point set. */
  const terms = (): Record<string, tf.Scalar> => {
    const out: Record<string, tf.Scalar> = {};
    let field: (pointLevels: Int32Array) => Field = () => net.apply;
    if (projected && settings.timeDerivative === 'exact') {
      // the grid is evaluated per distinct time of each call
      field = () => (z) => projected(z);
    } else if (projected) {
      const uTilde = projected.prepare({ times: levelTimes, index: collocLevels });
      field = (index) => (z) => uTilde(z, index);
    } else if (settings.variant === 'penalty') {
      const U = tf.reshape(net.apply(gridXt), [L, n]) as tf.Tensor2D;
      {
        const I1 = tf.matMul(U, wCol);
        const I2 = tf.matMul(tf.square(U), wCol);
        const kind = settings.constraint;
        let pen = tf.scalar(0);
        if (kind !== 'quadratic') pen = tf.add(pen, tf.mean(tf.square(tf.div(tf.sub(I1, c1), area))));
        if (kind !== 'linear') pen = tf.add(pen, tf.mean(tf.square(tf.div(tf.sub(I2, c2), area))));
        out.penalty = pen;
      }
    }
    out.residual = tf.mean(tf.square(c.residual(field(collocLevels), collocXt))) as tf.Scalar;
    out.data = tf.mean(tf.square(tf.sub(field(dataLevels)(dataXt), dataU))) as tf.Scalar;
    if (icXt && icLevels) {
      const uIc = field(icLevels);
      const ut = tf.slice(
        tf.grad((z: tf.Tensor) => tf.sum(uIc(z as tf.Tensor2D)))(icXt),
        [0, dim],
        [icXt.shape[0], 1],
      );
      out.velocity = tf.mean(tf.square(ut)) as tf.Scalar;
    }
    return out;
  };
  // Training: the pinn-proj trainer (per-term loss history, atomic checkpoints with the full L-BFGS state,
  // resume) around @noether/optim's L-BFGS.
  const trainer = createTrainer({
    variables: net.vars,
    loss: () => {
      const t = terms();
      if (t.penalty) t.penalty = tf.mul(settings.lambda, t.penalty) as tf.Scalar;
      return t;
    },
    optimizer: lbfgsOptimizer({ historySize: settings.history, ...lbfgsTolerances }),
  });
  const ckptPath = options.checkpointDir ? join(options.checkpointDir, `${id}.ckpt.json`) : undefined;
  const trained = await train(trainer, {
    steps: settings.iterations,
    onProgress: options.onProgress,
    ...(ckptPath
      ? {
          checkpoint: {
            store: fileCheckpointStore(ckptPath),
            every: options.checkpointEvery ?? 25,
            settings: { ...canonicalSettings(settings) },
          },
        }
      : {}),
  });
  const history = trainer.history;
  const seconds = history.reduce((a, r) => a + r.ms, 0) / 1000;
  const losses = history.map((r) => r.loss);
  trainer.dispose();

  // Final loss terms (penalty unweighted).
  const finalTerms: Record<string, number> = {};
  tf.tidy(() => {
    for (const [k, v] of Object.entries(terms())) finalTerms[k] = v.dataSync()[0];
  });

  const pred = predictGrid(net.apply, settings);
  const errors = conservationErrors(pred, w, targets);
  const params = tf.tidy(
    () => tf.concat(net.vars.map((v) => tf.reshape(v, [-1]))).dataSync() as Float32Array,
  );
  const result: RunResult = {
    id,
    settings,
    relL2: relativeL2(pred, ref.u),
    conservation: constraintError(errors, settings.constraint),
    linearSum: errors.linearSum,
    quadraticSum: errors.quadraticSum,
    series: Array.from(constraintErrorSeries(errors, settings.constraint)),
    status: trained.status,
    ...(trained.reason ? { reason: trained.reason } : {}),
    message: [
      trained.resumedFrom > 0 ? `resumed from step ${trained.resumedFrom}` : '',
      trained.checkpointError ? `checkpoint not saved: ${trained.checkpointError.message}` : '',
      trained.keptLastFiniteCheckpoint ? 'the non-finite state was not checkpointed' : '',
    ]
      .filter(Boolean)
      .join('; '),
    iterations: trained.steps,
    evaluations: trained.evaluations,
    seconds,
    loss: trained.loss,
    terms: finalTerms,
    losses,
    prediction: b64(Float32Array.from(pred)),
    params: b64(params),
  };
  tf.dispose([...net.vars, ...(constants.filter((t) => t !== undefined) as tf.Tensor[])]);
  if (options.crossCheckBackend && options.crossCheckBackend !== tf.getBackend()) {
    result.crossCheck = await evaluateOnBackend(settings, params, options.crossCheckBackend);
  }
  return result;
}

/**
 * u on the 100 x n reference grid `[K * n]` (float32): the raw network for PINN and penalty, the library's
 * projection path (`withProjection(...).gridValues`) for PINN-Proj.
 */
function predictGrid(net: Field, settings: RunSettings): Float32Array {
  const c = getCase(settings.case);
  const ref = referenceOf(c);
  const nodes = gridNodes(ref);
  const n = ref.weights.length;
  const K = ref.t.length;
  const out = tf.tidy(() => {
    if (settings.variant === 'proj') {
      const constraint = constraintOf(c, settings.constraint);
      const projected = withProjection(net, { grid: nodes, weights: ref.weights, dim: c.dim, constraint });
      return projected.gridValues(ref.t);
    }
    const evalXt = tf.tensor2d(evaluationGrid(ref, nodes), [K * n, c.dim + 1]);
    return tf.reshape(net(evalXt), [K, n]);
  });
  const values = out.dataSync() as Float32Array;
  out.dispose();
  return values;
}

/**
 * Re-evaluates trained parameters (flat float32, as in `RunResult.params`) on `backend`, restoring the previous
 * backend afterwards: the float32 sums of the projection and the prediction then use that backend's kernels.
 */
export async function evaluateOnBackend(
  settings: RunSettings,
  params: Float32Array,
  backend: string,
): Promise<BackendMetrics> {
  const previous = tf.getBackend();
  await tf.setBackend(backend);
  try {
    const c = getCase(settings.case);
    const ref = referenceOf(c);
    const net = createMlp(c.dim + 1, { seed: settings.seed, hidden: settings.hidden, width: settings.width });
    const sizes = net.vars.map((v) => v.size);
    let offset = 0;
    net.vars.forEach((v, i) => {
      tf.tidy(() => v.assign(tf.tensor(params.subarray(offset, offset + sizes[i]), v.shape)));
      offset += sizes[i];
    });
    const pred = predictGrid(net.apply, settings);
    tf.dispose(net.vars);
    const errors = conservationErrors(pred, ref.weights, targetsOf(c, ref));
    return {
      backend,
      relL2: relativeL2(pred, ref.u),
      conservation: constraintError(errors, settings.constraint),
      linearSum: errors.linearSum,
      quadraticSum: errors.quadraticSum,
    };
  } finally {
    await tf.setBackend(previous);
  }
}
