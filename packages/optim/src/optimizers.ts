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

/**
 * Adam (tfjs `tf.train.adam`) as a {@link TrainingOptimizer}; its moments are checkpointed.
 * @example
 * const opt = adamOptimizer({ learningRate: 1e-3 });
 */
export function adamOptimizer(
  options: { learningRate?: number; beta1?: number; beta2?: number; epsilon?: number } = {},
): TrainingOptimizer {
  const lr = options.learningRate ?? 1e-3;
  if (!Number.isFinite(lr) || lr <= 0)
    invalid(['adamOptimizer', 'options.learningRate'], 'a finite positive number', lr);
  const adam = tf.train.adam(lr, options.beta1 ?? 0.9, options.beta2 ?? 0.999, options.epsilon ?? 1e-8);
  return {
    name: 'adam',
    step(terms, variables) {
      const sink = { values: {} as Record<string, number> };
      const cost = adam.minimize(recordingLoss(terms, sink), true, variables as tf.Variable[]);
      const loss = cost ? cost.dataSync()[0] : NaN;
      cost?.dispose();
      return {
        loss,
        terms: sink.values,
        status: Number.isFinite(loss) ? 'running' : 'non-finite',
        evaluations: 1,
      };
    },
    async saveState() {
      const weights = await adam.getWeights();
      return weights.map((w) => ({ name: w.name, ...encodeFloat32(w.tensor.dataSync(), w.tensor.shape) }));
    },
    async loadState(state) {
      if (!Array.isArray(state))
        throw new OptimError('FORMAT', 'adamOptimizer.loadState(): state must be an array of named tensors');
      const named = (state as Array<EncodedArray & { name: string }>).map((s) => ({
        name: s.name,
        tensor: tf.tensor(decodeFloat32(s), s.shape),
      }));
      await adam.setWeights(named);
      tf.dispose(named.map((n) => n.tensor));
    },
    dispose() {
      adam.dispose();
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
      if (saved !== null && (typeof saved !== 'object' || !('x' in (saved as object)))) {
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
