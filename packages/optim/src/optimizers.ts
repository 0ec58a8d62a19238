import * as tf from '@tensorflow/tfjs';
import { createLbfgs } from './create-lbfgs';
import { variablesObjective } from './minimize';
import { tensorOps } from './vector-ops';
import type { LbfgsOptions, LbfgsState, LbfgsStatus } from './create-lbfgs';
import { decodeFloat32, encodeFloat32 } from './checkpoint';
import type { EncodedArray } from './checkpoint';
import { OptimError, invalid } from './errors';

/** Loss terms by name; the optimised loss is their sum. Called inside gradient tapes; return fresh scalars. */
export type LossTerms = () => Record<string, tf.Scalar>;

/** Outcome of one optimiser step. */
export interface OptimizerStep {
  /** Loss at the evaluation reported (Adam: before the update; L-BFGS: at the accepted point). */
  loss: number;
  /** Term values of that evaluation. */
  terms: Record<string, number>;
  /** `'running'`, or how the optimiser ended (L-BFGS: {@link LbfgsStatus}; any: `'non-finite'` loss). */
  status: LbfgsStatus;
  /** Why it ended (L-BFGS: its `LbfgsReason`), when it did. */
  reason?: string;
  /** Loss evaluations used by the step. */
  evaluations: number;
}

/** A pluggable optimiser for {@link createTrainer}: Adam from tfjs, L-BFGS from `@noether/optim`, or yours. */
export interface TrainingOptimizer {
  readonly name: string;
  /** One optimisation step on `variables` for the loss `Σ terms()`. */
  step(terms: LossTerms, variables: readonly tf.Variable[]): OptimizerStep;
  /** JSON-serialisable state (for checkpoints). */
  saveState(): Promise<unknown>;
  /** Restores {@link TrainingOptimizer.saveState} output. */
  loadState(state: unknown, variables: readonly tf.Variable[]): Promise<void>;
  /** Releases tensors held by the optimiser. */
  dispose(): void;
}

/** Sums terms inside a tape and records their values (read synchronously, tensors released). */
function recordingLoss(terms: LossTerms, sink: { values: Record<string, number> }): () => tf.Scalar {
  return () => {
    const t = terms();
    const names = Object.keys(t);
    if (names.length === 0)
      invalid(['createTrainer', 'loss'], 'a function returning at least one named scalar term', t);
    const stacked = tf.stack(names.map((k) => tf.reshape(t[k], [])));
    const values = stacked.dataSync();
    sink.values = Object.fromEntries(names.map((k, i) => [k, values[i]]));
    return tf.sum(stacked) as tf.Scalar;
  };
}

/** A learning-rate factor per step: `(step) => factor`, `step` counting completed steps from 0. */
export type LearningRateSchedule = (step: number) => number;

/**
 * Cosine decay of the learning-rate factor from 1 at step 0 to `floor` at step `steps` (and `floor` after):
 * `floor + (1 - floor) (1 + cos(pi min(step, steps) / steps)) / 2`.
 *
 * @param options - `steps` (integer >= 1), `floor` (final factor in [0, 1], default 0).
 * @throws {OptimError} `INVALID_ARGUMENT` for a bad `steps` or `floor`.
 * @example
 * const opt = adamOptimizer({ learningRate: 1e-3, schedule: cosineSchedule({ steps: 8000 }) });
 * @see I. Loshchilov & F. Hutter, "SGDR: Stochastic gradient descent with warm restarts", ICLR 2017.
 */
export function cosineSchedule(options: { steps: number; floor?: number }): LearningRateSchedule {
  const steps = options?.steps;
  if (!Number.isInteger(steps) || steps < 1)
    invalid(['cosineSchedule', 'options.steps'], 'an integer >= 1', steps);
  const floor = options.floor ?? 0;
  if (!(floor >= 0 && floor <= 1)) invalid(['cosineSchedule', 'options.floor'], 'a number in [0, 1]', floor);
  return (step) => floor + ((1 - floor) * (1 + Math.cos((Math.PI * Math.min(step, steps)) / steps))) / 2;
}

/** A group of variables with its own learning rate, for {@link adamOptimizer}. */
export interface VariableGroup {
  /** Selects the group's variables (the first group that matches wins). */
  match: (variable: tf.Variable) => boolean;
  /** The group's base learning rate (multiplied by the schedule). */
  learningRate: number;
  /** The group's own learning-rate factor per step (e.g. zero during a warm-up); default the global schedule. */
  schedule?: LearningRateSchedule;
  /**
   * Decoupled weight decay (AdamW): after each update `v ← v − rate · weightDecay · v`, with the group's current
   * (scheduled) rate. Default 0.
   */
  weightDecay?: number;
}

/** Options for {@link adamOptimizer}. */
export interface AdamOptimizerOptions {
  /** Base learning rate of variables in no group (default 1e-3). */
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Variable groups with their own learning rates (e.g. a network at 1e-3 and symmetry parameters at 1e-2). */
  groups?: readonly VariableGroup[];
  /** Learning-rate factor per step for every group (e.g. {@link cosineSchedule}); default constant 1. */
  schedule?: LearningRateSchedule;
}

type TfAdam = ReturnType<typeof tf.train.adam>;

/**
 * Adam (tfjs `tf.train.adam`) as a {@link TrainingOptimizer}; its moments are checkpointed. Optional variable
 * groups with their own learning rates (one Adam state per group, one gradient evaluation per step) and a
 * learning-rate schedule (the step counter is checkpointed with the moments).
 *
 * @throws {OptimError} `INVALID_ARGUMENT` for a non-positive learning rate, a bad group or schedule.
 * @example
 * const opt = adamOptimizer({ learningRate: 1e-3 });
 * const grouped = adamOptimizer({
 *   learningRate: 1e-3,
 *   groups: [{ match: (v) => v.name.startsWith('eta'), learningRate: 1e-2 }],
 *   schedule: cosineSchedule({ steps: 8000 }),
 * });
 */
export function adamOptimizer(options: AdamOptimizerOptions = {}): TrainingOptimizer {
  const fn = 'adamOptimizer';
  const lr = options.learningRate ?? 1e-3;
  if (!Number.isFinite(lr) || lr <= 0) invalid([fn, 'options.learningRate'], 'a finite positive number', lr);
  const groups = options.groups ?? [];
  if (!Array.isArray(groups)) invalid([fn, 'options.groups'], 'an array of { match, learningRate }', groups);
  groups.forEach((g, i) => {
    if (!g || typeof g.match !== 'function')
      invalid([fn, `options.groups[${i}].match`], 'a function of a tf.Variable', g?.match);
    if (!Number.isFinite(g.learningRate) || g.learningRate <= 0)
      invalid([fn, `options.groups[${i}].learningRate`], 'a finite positive number', g.learningRate);
    if (g.weightDecay !== undefined && !(Number.isFinite(g.weightDecay) && g.weightDecay >= 0))
      invalid([fn, `options.groups[${i}].weightDecay`], 'a finite number >= 0', g.weightDecay);
    if (g.schedule !== undefined && typeof g.schedule !== 'function')
      invalid([fn, `options.groups[${i}].schedule`], 'a function (step) => factor', g.schedule);
  });
  const schedule = options.schedule;
  if (schedule !== undefined && typeof schedule !== 'function')
    invalid([fn, 'options.schedule'], 'a function (step) => factor', schedule);
  const make = (rate: number) =>
    tf.train.adam(rate, options.beta1 ?? 0.9, options.beta2 ?? 0.999, options.epsilon ?? 1e-8);
  // Index 0: variables in no group; 1..: the groups.
  const rates = [lr, ...groups.map((g) => g.learningRate)];
  const adams: TfAdam[] = rates.map(make);
  const legacy = groups.length === 0;
  let completed = 0;
  const groupOf = (v: tf.Variable) => groups.findIndex((g) => g.match(v)) + 1;
  const schedules = [schedule, ...groups.map((g) => g.schedule ?? schedule)];
  const setRates = () => {
    adams.forEach((a, i) => {
      const factor = schedules[i] ? schedules[i](completed) : 1;
      if (!Number.isFinite(factor) || factor < 0)
        throw new OptimError(
          'INVALID_ARGUMENT',
          `${fn}(): a schedule returned ${factor} at step ${completed}`,
          {
            fn,
          },
        );
      (a as unknown as { learningRate: number }).learningRate = rates[i] * factor;
    });
  };
  const saveAdam = async (adam: TfAdam) =>
    (await adam.getWeights()).map((w) => ({
      name: w.name,
      ...encodeFloat32(w.tensor.dataSync(), w.tensor.shape),
    }));
  const loadAdam = async (adam: TfAdam, state: unknown) => {
    if (!Array.isArray(state))
      throw new OptimError('FORMAT', 'adamOptimizer.loadState(): state must be an array of named tensors');
    const named = (state as Array<EncodedArray & { name: string }>).map((s) => ({
      name: s.name,
      tensor: tf.tensor(decodeFloat32(s), s.shape),
    }));
    const iter = named.find((n) => n.name === 'iter');
    const steps = iter ? iter.tensor.dataSync()[0] : 0;
    await adam.setWeights(named);
    tf.dispose(named.map((n) => n.tensor));
    return steps;
  };
  return {
    name: 'adam',
    step(terms, variables) {
      setRates();
      const sink = { values: {} as Record<string, number> };
      let loss: number;
      if (legacy) {
        const cost = adams[0].minimize(recordingLoss(terms, sink), true, variables as tf.Variable[]);
        loss = cost ? cost.dataSync()[0] : NaN;
        cost?.dispose();
      } else {
        const { value, grads } = tf.variableGrads(recordingLoss(terms, sink), variables as tf.Variable[]);
        loss = value.dataSync()[0];
        const parts: tf.NamedTensorMap[] = adams.map(() => ({}));
        for (const v of variables) parts[groupOf(v)][v.name] = grads[v.name];
        parts.forEach((p, i) => {
          if (Object.keys(p).length > 0)
            adams[i].applyGradients(p as unknown as Parameters<TfAdam['applyGradients']>[0]);
        });
        groups.forEach((g, i) => {
          const decay = g.weightDecay ?? 0;
          if (decay === 0) return;
          const rate = (adams[i + 1] as unknown as { learningRate: number }).learningRate;
          for (const v of variables)
            if (groupOf(v) === i + 1) tf.tidy(() => v.assign(tf.mul(v, 1 - rate * decay)));
        });
        tf.dispose([value, ...Object.values(grads)]);
      }
      completed += 1;
      return {
        loss,
        terms: sink.values,
        status: Number.isFinite(loss) ? 'running' : 'non-finite',
        evaluations: 1,
      };
    },
    async saveState() {
      if (legacy) return saveAdam(adams[0]);
      return { step: completed, groups: await Promise.all(adams.map(saveAdam)) };
    },
    async loadState(state) {
      if (legacy) {
        completed = await loadAdam(adams[0], state);
        return;
      }
      const s = state as { step?: unknown; groups?: unknown };
      if (!s || !Array.isArray(s.groups) || s.groups.length !== adams.length || !Number.isInteger(s.step))
        throw new OptimError(
          'FORMAT',
          `adamOptimizer.loadState(): state must be { step, groups } with ${adams.length} groups`,
        );
      for (let i = 0; i < adams.length; i++) await loadAdam(adams[i], (s.groups as unknown[])[i]);
      completed = s.step as number;
    },
    dispose() {
      adams.forEach((a) => a.dispose());
    },
  };
}

/**
 * L-BFGS with strong-Wolfe line search from `@noether/optim` as a {@link TrainingOptimizer}: one trainer step
 * is one L-BFGS iteration (several loss evaluations). Its explicit state (iterate, gradient, (s, y) history)
 * is checkpointed. When L-BFGS stops (converged or failed) the step's `status` says why.
 *
 * @param options - `@noether/optim` L-BFGS options (the paper: `historySize: 50`, `gradTol: 1e-6`).
 * @example
 * const opt = lbfgsOptimizer({ historySize: 50, gradTol: 1e-6 });
 */
export function lbfgsOptimizer(options: LbfgsOptions = {}): TrainingOptimizer {
  const lbfgs = createLbfgs(tensorOps, {
    ...options,
    maxIterations: options.maxIterations ?? Number.MAX_SAFE_INTEGER,
  });
  let state: LbfgsState<tf.Tensor1D> | null = null;
  let pending: unknown = null;
  const encode = (v: tf.Tensor1D) => encodeFloat32(v.dataSync());
  const decode = (e: EncodedArray) => tf.tensor1d(decodeFloat32(e));
  return {
    name: 'lbfgs',
    step(terms, variables) {
      const sink = { values: {} as Record<string, number> };
      const objective = variablesObjective(recordingLoss(terms, sink), variables);
      const evals: Array<{ loss: number; terms: Record<string, number> }> = [];
      const lossAndGrad = (x: tf.Tensor1D) => {
        const r = objective.lossAndGrad(x);
        evals.push({ loss: r.loss, terms: sink.values });
        return r;
      };
      if (state === null) {
        if (pending !== null) {
          const p = pending as Record<string, unknown>;
          state = {
            ...(p as object),
            x: decode(p.x as EncodedArray),
            grad: decode(p.grad as EncodedArray),
            s: (p.s as EncodedArray[]).map(decode),
            y: (p.y as EncodedArray[]).map(decode),
          } as unknown as LbfgsState<tf.Tensor1D>;
          pending = null;
        } else {
          const x0 = objective.read();
          state = lbfgs.init(x0, lossAndGrad);
          x0.dispose();
        }
      }
      if (state.status === 'running') state = lbfgs.step(state, lossAndGrad);
      objective.assign(state.x);
      const accepted = evals.find((e) => e.loss === state?.loss) ??
        evals[evals.length - 1] ?? { loss: state.loss, terms: {} };
      return {
        loss: state.loss,
        terms: accepted.terms,
        status: state.status,
        ...(state.reason ? { reason: state.reason } : {}),
        evaluations: evals.length,
      };
    },
    async saveState() {
      if (state === null) return pending;
      const { x, grad, s, y, ...rest } = state;
      return { ...rest, x: encode(x), grad: encode(grad), s: s.map(encode), y: y.map(encode) };
    },
    async loadState(saved) {
      if (saved !== null && (typeof saved !== 'object' || !('x' in saved))) {
        throw new OptimError('FORMAT', 'lbfgsOptimizer.loadState(): state must be a saved L-BFGS state');
      }
      if (state) lbfgs.dispose(state);
      state = null;
      pending = saved;
    },
    dispose() {
      if (state) lbfgs.dispose(state);
      state = null;
    },
  };
}
