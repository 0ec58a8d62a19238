import * as tf from '@tensorflow/tfjs';
import type { OnProgress, ProgressInfo, RunStatus } from '@noether/autodiff';
import { adamOptimizer, createTrainer, train } from '@noether/optim';
import type { CheckpointStore, StepRecord } from '@noether/optim';
import { relativeL2 } from '@noether/operators';
import { EcfError, invalid } from './errors';

/** Progress of {@link trainOperator}: the step, the total, the minibatch relative L2 and the step time. */
export interface TrainOperatorProgress extends ProgressInfo {
  readonly total: number;
  /** Minibatch relative L2 loss of this step (before the update). */
  readonly loss: number;
  /** Wall time of the step in ms. */
  readonly ms: number;
}

/** Options of {@link trainOperator}. */
export interface TrainOperatorOptions {
  /** The variables to train (e.g. `fno.variables`). */
  variables: readonly tf.Variable[];
  /** Training inputs `[N, ...]`, borrowed. */
  inputs: tf.Tensor;
  /** Training targets, same leading size, borrowed. */
  targets: tf.Tensor;
  /** Total Adam steps (a resumed run continues up to this count). */
  steps: number;
  /** Minibatch size; default 20 (the FNO paper's). */
  batchSize?: number;
  /** Peak learning rate; default 1e-3. */
  learningRate?: number;
  /** `'cosine'` (default: half a cosine from the peak to 0 over `steps`) or `'constant'`. */
  schedule?: 'cosine' | 'constant';
  /** Seed of the minibatch order (integer); default 0. */
  seed?: number;
  /** Called after every step; return `false` to stop (status `'stopped'`). */
  onProgress?: OnProgress<TrainOperatorProgress>;
  /** Checkpoints: saved every `every` steps (default 100) and at the end; resumed from unless `resume: false`. */
  checkpoint?: { store: CheckpointStore; every?: number; resume?: boolean };
  /** Throw `NON_FINITE` instead of returning status `'non-finite'`; default false. */
  throwOnFailure?: boolean;
}

/** Outcome of {@link trainOperator}. */
export interface TrainOperatorResult {
  status: Extract<RunStatus, 'ok' | 'stopped' | 'non-finite'>;
  /** Completed steps (including resumed ones). */
  steps: number;
  /** Step the run resumed from (0 for a fresh start). */
  resumedFrom: number;
  /** Last minibatch loss. */
  loss: number;
  /** One record per step of this process's run (and the resumed history). */
  history: readonly StepRecord[];
}

/** Seeded Fisher–Yates permutation of 0..n-1 (mulberry32). */
function permutation(n: number, seed: number): Int32Array {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/**
 * Trains an operator on input/target pairs with the relative-L2 loss, Adam and a cosine (or constant)
 * learning rate, on `@noether/optim`'s trainer: per-step progress, atomic checkpoints, exact resume (the
 * minibatch of step k depends only on the seed and k; the schedule position is checkpointed). Pass the
 * plain operator's `apply` for plain training, or a `withConservation` wrapper for the integrated mode.
 *
 * @param forward - the map being trained (`(x) => fno.apply(x)` or `withConservation(fno, spec)`).
 * @returns the status (`'ok'`, `'stopped'`, `'non-finite'`), steps, last loss and history.
 * @throws {EcfError} `INVALID_ARGUMENT` for bad options; `NON_FINITE` with `throwOnFailure`.
 * @example
 * const r = await trainOperator((x) => fno.apply(x), { variables: fno.variables, inputs, targets, steps: 5000,
 *   checkpoint: { store: fileCheckpointStore('out/fno.ckpt.json'), every: 200 } });
 * @see Li et al., ICLR 2021 (relative L2, Adam, batch 20).
 */
export async function trainOperator(
  forward: (x: tf.Tensor) => tf.Tensor,
  options: TrainOperatorOptions,
): Promise<TrainOperatorResult> {
  const fn = 'trainOperator';
  if (typeof forward !== 'function') invalid([fn, 'forward'], 'a function of a tensor', forward);
  const { inputs, targets, variables } = options ?? ({} as TrainOperatorOptions);
  if (
    !(inputs instanceof tf.Tensor) ||
    !(targets instanceof tf.Tensor) ||
    inputs.shape[0] !== targets.shape[0]
  )
    invalid([fn, 'options.targets'], 'inputs and targets tensors with the same number of samples', targets);
  const N = inputs.shape[0];
  const batchSize = options.batchSize ?? 20;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > N)
    invalid([fn, 'options.batchSize'], `an integer in [1, ${N}]`, batchSize);
  const steps = options.steps;
  if (!Number.isInteger(steps) || steps < 0) invalid([fn, 'options.steps'], 'an integer >= 0', steps);
  const lr = options.learningRate ?? 1e-3;
  if (!Number.isFinite(lr) || lr <= 0) invalid([fn, 'options.learningRate'], 'a finite positive number', lr);
  const schedule = options.schedule ?? 'cosine';
  if (schedule !== 'cosine' && schedule !== 'constant')
    invalid([fn, 'options.schedule'], "'cosine' or 'constant'", schedule);
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) invalid([fn, 'options.seed'], 'an integer', seed);
  const perEpoch = Math.floor(N / batchSize);
  let epochCached = -1;
  let perm: Int32Array = new Int32Array(0);
  const batchOf = (step: number) => {
    const epoch = Math.floor(step / perEpoch);
    if (epoch !== epochCached) {
      perm = permutation(N, seed * 1000003 + epoch);
      epochCached = epoch;
    }
    const start = (step % perEpoch) * batchSize;
    return perm.subarray(start, start + batchSize);
  };
  let trainer: ReturnType<typeof createTrainer> | null = null;
  const loss = () => {
    const k = trainer ? trainer.step : 0; // the step about to run (0-based)
    const idx = tf.tensor1d(batchOf(k), 'int32');
    const x = tf.gather(inputs, idx);
    const y = tf.gather(targets, idx);
    idx.dispose();
    const l = relativeL2(forward(x), y);
    tf.dispose([x, y]);
    return { relL2: l };
  };
  // cosine decay to 1e-3 of the base rate
  const factor =
    schedule === 'constant'
      ? undefined
      : (s: number) =>
          Math.max(0.5 * (1 + Math.cos((Math.PI * Math.min(s, steps)) / Math.max(steps, 1))), 1e-3);
  trainer = createTrainer({
    variables,
    loss,
    optimizer: adamOptimizer({ learningRate: lr, ...(factor ? { schedule: factor } : {}) }),
  });
  try {
    const r = await train(trainer, {
      steps,
      checkpoint: options.checkpoint,
      onProgress: (rec) => options.onProgress?.({ step: rec.step, total: steps, loss: rec.loss, ms: rec.ms }),
    });
    const status = r.status === 'non-finite' ? 'non-finite' : r.status === 'stopped' ? 'stopped' : 'ok';
    if (status === 'non-finite' && options.throwOnFailure)
      throw new EcfError('NON_FINITE', `${fn}(): the loss became ${r.loss} at step ${r.steps}`, { fn });
    return {
      status,
      steps: r.steps,
      resumedFrom: r.resumedFrom,
      loss: r.loss,
      history: trainer.history.slice(),
    };
  } finally {
    trainer.dispose();
  }
}
