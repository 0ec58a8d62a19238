import * as tf from '@tensorflow/tfjs';
import { decodeFloat32, encodeFloat32 } from './checkpoint';
import type { Checkpoint, CheckpointStore, StepRecord } from './checkpoint';
import type { OnProgress, ProgressInfo, RunStatus } from '@noether/autodiff';
import type { LbfgsStatus } from './create-lbfgs';
import { OptimError, invalid } from './errors';
import { canonicalJson, settingsDiff } from './settings-hash';
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
  /** Status of the last step: `'running'`, or how the optimiser ended (`'non-finite'` for a NaN loss). */
  readonly status: LbfgsStatus;
  /** Why the optimiser ended (its `reason`, e.g. `'grad-tol'`), when it did. */
  readonly reason: string | undefined;
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
  let status: LbfgsStatus = 'running';
  let reason: string | undefined;
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
    get reason() {
      return reason;
    },
    runStep() {
      const start = performance.now();
      const r = optimizer.step(loss, variables);
      step += 1;
      status = Number.isFinite(r.loss) ? r.status : 'non-finite';
      reason = Number.isFinite(r.loss) ? r.reason : 'non-finite';
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
      reason = undefined;
    },
    dispose() {
      optimizer.dispose();
    },
  };
}

/** Outcome of {@link train}. */
export interface TrainResult {
  /**
   * `'ok'` (all steps run, or the optimiser met its tolerance: see `reason`), `'stopped'` (onProgress
   * returned false), `'non-finite'` (NaN/Infinity loss), `'not-converged'` (L-BFGS line search failed) or
   * `'max-iterations'` (L-BFGS evaluation budget spent).
   */
  status: RunStatus;
  /** The optimiser's reason when it ended the run (`'grad-tol'`, `'change-tol'`, ...), else undefined. */
  reason: string | undefined;
  /** Completed steps (including resumed ones). */
  steps: number;
  /** Step the run resumed from (0 for a fresh start). */
  resumedFrom: number;
  /** Final loss. */
  loss: number;
  /** Loss evaluations of the whole run, across resumes (the sum over the history). */
  evaluations: number;
  /**
   * The first checkpoint save that failed (a full disk, a removed folder), when one did. Training goes on
   * after a failed save (the next save is tried at the next interval), so the run's results are not lost.
   */
  checkpointError?: Error;
  /** Whether the last good checkpoint was kept instead of saving a non-finite state. */
  keptLastFiniteCheckpoint?: boolean;
}

/** What {@link TrainOptions.onProgress} receives after every step: the step's record plus the target. */
export interface TrainProgress extends ProgressInfo, Readonly<StepRecord> {
  /** Completed steps (1-based step number of the record). */
  readonly step: number;
  /** The step count the run aims for (`options.steps`). */
  readonly total: number;
}

/** Options for {@link train}. */
export interface TrainOptions {
  /** Total steps to reach (a resumed run continues up to this count). */
  steps: number;
  /** Called after every step with `{ step, total, loss, terms, ms }`; return `false` to stop. */
  onProgress?: OnProgress<TrainProgress>;
  /** Checkpointing: saved every `every` steps and at the end; resumed from on start unless `resume: false`. */
  checkpoint?: {
    store: CheckpointStore;
    every?: number;
    resume?: boolean;
    /**
     * Every setting that changes the result (JSON data). Saved in each checkpoint; a checkpoint whose settings
     * differ is refused with `CHECKPOINT_MISMATCH` naming the differing settings. See `settingsHash`.
     */
    settings?: Record<string, unknown>;
  };
  /** Throw a `OptimError` (`NON_FINITE`) instead of returning status `'non-finite'`. */
  throwOnFailure?: boolean;
}

/**
 * Runs a trainer for `steps` steps with per-step progress callbacks and atomic checkpoints; resumes from the
 * store's latest checkpoint when there is one. Numerical failure (non-finite loss) stops the loop and is
 * reported in the status (thrown with `throwOnFailure`).
 *
 * @throws {OptimError} `NON_FINITE` with `throwOnFailure`; `CHECKPOINT_MISMATCH` for an incompatible checkpoint.
 * @example
 * const result = await train(trainer, {
 *   steps: 2000,
 *   onProgress: (r) => void bar.tick(1, `loss ${r.loss.toExponential(2)}`),
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
  if (ck?.settings !== undefined) canonicalJson(ck.settings); // validates: JSON data only
  if (ck && ck.resume !== false) {
    const saved = await ck.store.load();
    if (saved) {
      if (ck.settings !== undefined) {
        const diff = settingsDiff(saved.settings ?? {}, ck.settings);
        if (diff.length > 0)
          throw new OptimError(
            'CHECKPOINT_MISMATCH',
            `train(): the checkpoint belongs to another run; differing settings: ${diff.join('; ')} (remove the checkpoint or restore the settings)`,
            { fn },
          );
      }
      await trainer.restore(saved);
      resumedFrom = saved.step;
    }
  }
  let status: RunStatus = 'ok';
  let reason: string | undefined;
  let lastSaved = trainer.step;
  let checkpointError: Error | undefined;
  let keptLastFiniteCheckpoint = false;
  /** Saves unless the state is non-finite; a failed save is recorded, not fatal. */
  const save = async () => {
    if (!ck) return;
    const snapshot = await trainer.snapshot();
    const last = snapshot.history[snapshot.history.length - 1];
    if ((last && !Number.isFinite(last.loss)) || !variablesFinite(snapshot)) {
      keptLastFiniteCheckpoint = true;
      return;
    }
    try {
      await ck.store.save(ck.settings !== undefined ? { ...snapshot, settings: ck.settings } : snapshot);
      lastSaved = trainer.step;
    } catch (error) {
      checkpointError ??= error instanceof Error ? error : new Error(String(error));
    }
  };
  let loss = trainer.history.length ? trainer.history[trainer.history.length - 1].loss : NaN;
  while (trainer.step < steps) {
    const record = trainer.runStep();
    loss = record.loss;
    const s = trainer.status;
    const stop = options.onProgress?.({ ...record, total: steps }) === false;
    if (ck && trainer.step % every === 0) await save();
    if (s === 'non-finite') {
      status = 'non-finite';
      reason = 'non-finite';
      if (options.throwOnFailure) {
        throw new OptimError('NON_FINITE', `train(): the loss became ${loss} at step ${trainer.step}`);
      }
      break;
    }
    if (s !== 'running') {
      status = s;
      reason = trainer.reason;
      break;
    }
    if (stop) {
      status = 'stopped';
      break;
    }
  }
  // Every exit (completed, converged, stopped) leaves the latest finite state in the store.
  if (ck && trainer.step !== lastSaved) await save();
  const evaluations = trainer.history.reduce((a, r) => a + (r.evaluations ?? 0), 0);
  return {
    status,
    reason,
    steps: trainer.step,
    resumedFrom,
    loss,
    evaluations,
    ...(checkpointError ? { checkpointError } : {}),
    ...(keptLastFiniteCheckpoint ? { keptLastFiniteCheckpoint } : {}),
  };
}

function variablesFinite(c: Checkpoint): boolean {
  return c.variables.every((v) => decodeFloat32(v).every((x) => Number.isFinite(x)));
}
