import * as tf from '@tensorflow/tfjs';
import { decodeFloat32, encodeFloat32 } from './checkpoint';
import type { Checkpoint, CheckpointStore, StepRecord } from './checkpoint';
import { OptimError, invalid } from './errors';
import type { LossTerms, TrainingOptimizer } from './optimizers';

/** Options for {@link createTrainer}. */
export interface TrainerOptions {
  /** Trainable variables (e.g. `model.trainableWeights.map((w) => w.read() as tf.Variable)` or your own). */
  variables: readonly tf.Variable[];
  /** Named loss terms; the loss is their sum (e.g. `{ pde, data }`, plus `{ penalty }` for the baseline). */
  loss: LossTerms;
  /** The optimiser: `adamOptimizer(...)` or `lbfgsOptimizer(...)`. */
  optimizer: TrainingOptimizer;
}

/** A trainer: explicit step counter and history around a pluggable optimiser. */
export interface Trainer {
  /** Completed steps. */
  readonly step: number;
  /** One record per completed step. */
  readonly history: readonly StepRecord[];
  /** Status of the last step (`'running'` or the optimiser's stop reason). */
  readonly status: string;
  /** Runs one optimiser step and returns its record. */
  runStep(): StepRecord;
  /** A JSON snapshot of variables, optimiser state and history. */
  snapshot(): Promise<Checkpoint>;
  /** Restores a snapshot (variables by order, checked by shape). */
  restore(checkpoint: Checkpoint): Promise<void>;
  /** Releases the optimiser's tensors. */
  dispose(): void;
}

/**
 * Creates a {@link Trainer}: the loop's state (step count, per-term loss history) around a pluggable optimiser
 * (Adam from tfjs, L-BFGS from `@noether/optim`). Pure bookkeeping: no file I/O (see {@link train} and
 * `fileCheckpointStore`).
 *
 * @throws {OptimError} `INVALID_ARGUMENT` for missing variables, loss or optimiser.
 * @example
 * const trainer = createTrainer({ variables, loss: () => ({ pde: pdeLoss(), data: dataLoss() }), optimizer: adamOptimizer() });
 */
export function createTrainer(options: TrainerOptions): Trainer {
  const fn = 'createTrainer';
  const { variables, loss, optimizer } = options ?? ({} as TrainerOptions);
  if (
    !Array.isArray(variables) ||
    variables.length === 0 ||
    variables.some((v) => !(v instanceof tf.Variable))
  ) {
    invalid([fn, 'options.variables'], 'a non-empty array of tf.Variable', variables);
  }
  if (typeof loss !== 'function')
    invalid([fn, 'options.loss'], 'a function returning named scalar terms', loss);
  if (!optimizer || typeof optimizer.step !== 'function')
    invalid([fn, 'options.optimizer'], 'a TrainingOptimizer (adamOptimizer, lbfgsOptimizer)', optimizer);
  let step = 0;
  let status = 'running';
  let history: StepRecord[] = [];
  return {
    get step() {
      return step;
    },
    get history() {
      return history;
    },
    get status() {
      return status;
    },
    runStep() {
      const start = performance.now();
      const r = optimizer.step(loss, variables);
      step += 1;
      status = Number.isFinite(r.loss) ? r.status : 'non-finite';
      const record: StepRecord = {
        step,
        loss: r.loss,
        terms: r.terms,
        ms: performance.now() - start,
        evaluations: r.evaluations,
      };
      history.push(record);
      return record;
    },
    async snapshot() {
      return {
        format: 'noether-pinn-checkpoint',
        version: 1,
        step,
        variables: variables.map((v) => ({ name: v.name, ...encodeFloat32(v.dataSync(), v.shape) })),
        optimizer: { name: optimizer.name, state: await optimizer.saveState() },
        history: history.slice(),
      };
    },
    async restore(c) {
      if (c.variables.length !== variables.length) {
        throw new OptimError(
          'CHECKPOINT_MISMATCH',
          `Trainer.restore(): checkpoint has ${c.variables.length} variables, the trainer ${variables.length}`,
        );
      }
      if (c.optimizer.name !== optimizer.name) {
        throw new OptimError(
          'CHECKPOINT_MISMATCH',
          `Trainer.restore(): checkpoint optimiser is '${c.optimizer.name}', the trainer's '${optimizer.name}'`,
        );
      }
      c.variables.forEach((e, i) => {
        const v = variables[i];
        if (e.shape.join(',') !== v.shape.join(',')) {
          throw new OptimError(
            'CHECKPOINT_MISMATCH',
            `Trainer.restore(): variable ${i} has shape [${v.shape.join(', ')}], checkpoint [${e.shape.join(', ')}]`,
          );
        }
        tf.tidy(() => v.assign(tf.tensor(decodeFloat32(e), e.shape)));
      });
      await optimizer.loadState(c.optimizer.state, variables);
      step = c.step;
      history = c.history.slice();
      status = 'running';
    },
    dispose() {
      optimizer.dispose();
    },
  };
}

/** Outcome of {@link train}. */
export interface TrainResult {
  /**
   * `'completed'` (all steps run), `'converged'` (the optimiser met its tolerance), `'stopped'` (onProgress
   * returned false), `'non-finite'` (NaN/Infinity loss), or another optimiser stop reason
   * (`'line-search-failed'`, `'max-evaluations'`, ...).
   */
  status: string;
  /** Completed steps (including resumed ones). */
  steps: number;
  /** Step the run resumed from (0 for a fresh start). */
  resumedFrom: number;
  /** Final loss. */
  loss: number;
}

/** Options for {@link train}. */
export interface TrainOptions {
  /** Total steps to reach (a resumed run continues up to this count). */
  steps: number;
  /** Called after every step; return `false` to stop. Drive a progress bar from here. */
  onProgress?: (record: StepRecord, trainer: Trainer) => boolean | void;
  /** Checkpointing: saved every `every` steps and at the end; resumed from on start unless `resume: false`. */
  checkpoint?: { store: CheckpointStore; every?: number; resume?: boolean };
  /** Throw a `OptimError` (`NON_FINITE`) instead of returning status `'non-finite'`. */
  throwOnFailure?: boolean;
}

const CONVERGED = new Set(['gradient-tolerance', 'change-tolerance']);

/**
 * Runs a trainer for `steps` steps with per-step progress callbacks and atomic checkpoints; resumes from the
 * store's latest checkpoint when there is one. Numerical failure (non-finite loss) stops the loop and is
 * reported in the status (thrown with `throwOnFailure`).
 *
 * @throws {OptimError} `NON_FINITE` with `throwOnFailure`; `CHECKPOINT_MISMATCH` for an incompatible checkpoint.
 * @example
 * const result = await train(trainer, {
 *   steps: 2000,
 *   onProgress: (r) => bar.tick(1, `loss ${r.loss.toExponential(2)}`),
 *   checkpoint: { store: fileCheckpointStore('out/kdv.json'), every: 100 },
 * });
 */
export async function train(trainer: Trainer, options: TrainOptions): Promise<TrainResult> {
  const fn = 'train';
  if (!trainer || typeof trainer.runStep !== 'function')
    invalid([fn, 'trainer'], 'a Trainer from createTrainer', trainer);
  const steps = options?.steps;
  if (!Number.isInteger(steps) || steps < 0) invalid([fn, 'options.steps'], 'an integer >= 0', steps);
  const ck = options.checkpoint;
  const every = ck?.every ?? 100;
  if (ck && (!Number.isInteger(every) || every < 1))
    invalid([fn, 'options.checkpoint.every'], 'an integer >= 1', every);
  let resumedFrom = 0;
  if (ck && ck.resume !== false) {
    const saved = await ck.store.load();
    if (saved) {
      await trainer.restore(saved);
      resumedFrom = saved.step;
    }
  }
  let status = 'completed';
  let lastSaved = trainer.step;
  let loss = trainer.history.length ? trainer.history[trainer.history.length - 1].loss : NaN;
  while (trainer.step < steps) {
    const record = trainer.runStep();
    loss = record.loss;
    const s = trainer.status;
    const stop = options.onProgress?.(record, trainer) === false;
    if (ck && trainer.step % every === 0) {
      await ck.store.save(await trainer.snapshot());
      lastSaved = trainer.step;
    }
    if (s === 'non-finite') {
      status = 'non-finite';
      if (ck && trainer.step !== lastSaved) await ck.store.save(await trainer.snapshot());
      if (options.throwOnFailure) {
        throw new OptimError('NON_FINITE', `train(): the loss became ${loss} at step ${trainer.step}`);
      }
      break;
    }
    if (s !== 'running') {
      status = CONVERGED.has(s) ? 'converged' : s;
      break;
    }
    if (stop) {
      status = 'stopped';
      break;
    }
  }
  // Every exit (completed, converged, stopped) leaves the latest state in the store.
  if (ck && trainer.step !== lastSaved) await ck.store.save(await trainer.snapshot());
  return { status, steps: trainer.step, resumedFrom, loss };
}
