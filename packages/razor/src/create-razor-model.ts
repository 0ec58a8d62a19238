import { createRng } from '@noether/autodiff';
import * as tf from '@tensorflow/tfjs';
import type { LossTerms } from '@noether/optim';
import { checkInteger, checkPositive, invalid, RazorError } from './errors';
import {
  createMatrixNormal,
  matrixNormalKl,
  sampleMatrixNormal,
  type MatrixNormalPosterior,
} from './matrix-normal';
import type { NetworkWeights } from './observable-network';
import {
  eulerPredict,
  identityFlows,
  quadraticGenerators,
  sampleFlowCoefficients,
  sampleFlows,
  symmetrisedHamiltonian,
  type Flows,
} from './symmetrised-hamiltonian';

/** Which model: learned symmetries, the plain HNN (`vanilla`) or generators fixed to the true ones (`oracle`). */
export type RazorVariant = 'learned' | 'vanilla' | 'oracle';

/** Options of {@link createRazorModel}; defaults are the reduced settings. */
export interface RazorModelOptions {
  /** Phase-space dimension M = 2 dof (x = (q, p)). */
  dim: number;
  /** Model variant (default `learned`). */
  variant?: RazorVariant;
  /** Hidden widths of F_θ (default [64, 64]). */
  hidden?: readonly number[];
  /** ELU parameter (default 1; the paper uses 2 for one oscillator). */
  alpha?: number;
  /** Number K of learnable conserved quantities (default 30; `learned` only). */
  slots?: number;
  /** True generators `[(M + 1)^2]` row-major each (`oracle` only). */
  oracleGenerators?: readonly ArrayLike<number>[];
  /** Flows per step S (default 16). */
  flowSamples?: number;
  /** Distribution of the flow coefficients (default `ball`). */
  flowSampling?: 'ball' | 'cube';
  /** Draw flows in pairs (ε, −ε) (default false, the paper's sampling); see `sampleFlowCoefficients`. */
  antithetic?: boolean;
  /** Factor of the exponent (default π). */
  flowScale?: number;
  /** Euler substeps per transition (default 5). */
  substeps?: number;
  /** Observation variance σ² (default 1e-3). */
  sigma2?: number;
  /** Weight samples per step M_mc (default 1). */
  weightSamples?: number;
  /** `matrix-normal` (variational, default) or `map` (point weights with prior precision `mapPrecision`). */
  posterior?: 'matrix-normal' | 'map';
  /** Prior precision of MAP training (default 1). */
  mapPrecision?: number;
  /** Initial posterior std of every weight (default 1e-3). */
  posteriorStd?: number;
  /** Std of the initial symmetry parameters (default 0: η starts at zero). */
  etaInitStd?: number;
  /** Seed of the initialisation and of every random draw (default 0). */
  seed?: number;
}

/** One training batch of transitions `x -> y` over time `dt`. */
export interface TransitionBatch {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
}

/** A Noether's Razor model: its variables and pure functions of them. */
export interface RazorModel {
  /** The resolved options. */
  readonly options: Readonly<Required<Omit<RazorModelOptions, 'oracleGenerators'>>>;
  /** Every trainable variable (network posterior, first-layer scale, then η for `learned`). */
  readonly variables: readonly tf.Variable[];
  /** The symmetry parameters η (W_k `[K, M, M]`, b_k `[K, M]`); empty unless `learned`. */
  readonly symmetryVariables: readonly tf.Variable[];
  /** Current generators `[K, M+1, M+1]` (learned or oracle); null for `vanilla`. Owned by the caller. */
  generators(): tf.Tensor3D | null;
  /** The S flows of training step `step` (deterministic in seed and step). Owned by the caller. */
  flows(step: number, samples?: number): Flows;
  /** Network weights: a posterior sample (seeded) or, with `sample: null`, the posterior mean. Owned. */
  weights(sample: number | null): NetworkWeights;
  /**
   * The loss terms of one step on a batch: `nll` (mean over weight samples and batch of
   * D/2 log(2πσ²) + |y − ŷ|²/(2σ²)) and `kl` (Σ_l KL_l / N, or the MAP penalty). Sum = −ELBO / N.
   */
  lossTerms(
    batch: TransitionBatch,
    context: { dt: number; trainingSize: number; step: number },
  ): Record<string, tf.Scalar>;
  /** Prediction of y from x with the posterior mean and `flowSamples` flows (seeded). Owned. */
  predict(x: tf.Tensor2D, options: { dt: number; step?: number; flowSamples?: number }): tf.Tensor2D;
  /** The learned Ĥ at the posterior mean `[B]`. Owned. */
  hamiltonian(x: tf.Tensor2D, options?: { step?: number; flowSamples?: number }): tf.Tensor1D;
  /** Releases the variables. */
  dispose(): void;
}

let models = 0;

/** tf.tidy for functions returning plain objects of tensors. */
function tidyObject<T>(f: () => T): T {
  return tf.tidy(f as unknown as () => tf.TensorContainer) as unknown as T;
}

/**
 * Creates a Noether's Razor model: a Bayesian (matrix-normal) observable network F_θ symmetrised over the
 * flows of K learnable quadratic conserved quantities (`learned`), of fixed true ones (`oracle`), or not at
 * all (`vanilla`, the variational HNN). Training data are one-step transitions; the prediction is forward
 * Euler on `J ∇Ĥ` with `substeps` substeps. Use with `createTrainer` / `train` of `@noether/optim` through
 * {@link razorLoss}.
 *
 * @throws {RazorError} `INVALID_ARGUMENT` for bad options (odd or non-positive dim, missing oracle generators).
 * @example
 * const model = createRazorModel({ dim: 4, slots: 30, seed: 1 });
 * const G = model.generators(); // [30, 5, 5]
 * @see T. van der Ouderaa, M. van der Wilk, P. de Haan, "Noether's Razor: Learning Conserved Quantities",
 *   NeurIPS 2024, arXiv:2410.08087.
 */
export function createRazorModel(options: RazorModelOptions): RazorModel {
  const fn = 'createRazorModel';
  if (!options || typeof options !== 'object') invalid([fn, 'options'], 'an options object', options);
  const dim = checkInteger([fn, 'options.dim'], options.dim, 2);
  if (dim % 2 !== 0) invalid([fn, 'options.dim'], 'an even phase-space dimension', dim);
  const variant = options.variant ?? 'learned';
  if (!['learned', 'vanilla', 'oracle'].includes(variant))
    invalid([fn, 'options.variant'], "'learned', 'vanilla' or 'oracle'", variant);
  const hidden = options.hidden ?? [64, 64];
  if (!Array.isArray(hidden) || hidden.length === 0)
    invalid([fn, 'options.hidden'], 'a non-empty array of widths', hidden);
  hidden.forEach((h, i) => checkInteger([fn, `options.hidden[${i}]`], h, 1));
  const resolved = {
    dim,
    variant,
    hidden: [...hidden],
    alpha: checkPositive([fn, 'options.alpha'], options.alpha ?? 1),
    slots: checkInteger([fn, 'options.slots'], options.slots ?? 30, 1),
    flowSamples: checkInteger([fn, 'options.flowSamples'], options.flowSamples ?? 16, 1),
    flowSampling: options.flowSampling ?? 'ball',
    antithetic: options.antithetic ?? false,
    flowScale: checkPositive([fn, 'options.flowScale'], options.flowScale ?? Math.PI),
    substeps: checkInteger([fn, 'options.substeps'], options.substeps ?? 5, 1),
    sigma2: checkPositive([fn, 'options.sigma2'], options.sigma2 ?? 1e-3),
    weightSamples: checkInteger([fn, 'options.weightSamples'], options.weightSamples ?? 1, 1),
    posterior: options.posterior ?? 'matrix-normal',
    mapPrecision: checkPositive([fn, 'options.mapPrecision'], options.mapPrecision ?? 1),
    posteriorStd: checkPositive([fn, 'options.posteriorStd'], options.posteriorStd ?? 1e-3),
    etaInitStd: options.etaInitStd ?? 0,
    seed: checkInteger([fn, 'options.seed'], options.seed ?? 0, [0, Number.MAX_SAFE_INTEGER]),
  } as const;
  if (resolved.flowSampling !== 'ball' && resolved.flowSampling !== 'cube')
    invalid([fn, 'options.flowSampling'], "'ball' or 'cube'", resolved.flowSampling);
  if (resolved.posterior !== 'matrix-normal' && resolved.posterior !== 'map')
    invalid([fn, 'options.posterior'], "'matrix-normal' or 'map'", resolved.posterior);
  if (!(resolved.etaInitStd >= 0)) invalid([fn, 'options.etaInitStd'], 'a number >= 0', resolved.etaInitStd);
  const m = dim + 1;
  let oracle: tf.Tensor3D | null = null;
  if (variant === 'oracle') {
    const gens = options.oracleGenerators;
    if (!Array.isArray(gens) || gens.length === 0)
      invalid([fn, 'options.oracleGenerators'], `a non-empty array of [${m * m}] generators`, gens);
    gens.forEach((g, i) => {
      if (!g || g.length !== m * m)
        invalid([fn, `options.oracleGenerators[${i}]`], `an array of length ${m * m}`, g);
    });
    oracle = tf.tensor3d(Float32Array.from(gens.flatMap((g) => Array.from(g as ArrayLike<number>))), [
      gens.length,
      m,
      m,
    ]);
  }
  const id = ++models;
  const seed = resolved.seed;
  const widths = [dim, ...resolved.hidden];
  // Hidden layers carry their bias as an extra row of W (input augmented with 1); the read-out has none.
  const posteriors: MatrixNormalPosterior[] = [];
  for (let l = 0; l < resolved.hidden.length; l++) {
    posteriors.push(
      createMatrixNormal(widths[l] + 1, widths[l + 1], {
        seed: seed * 1000 + l + 1,
        meanStd: 1 / Math.sqrt(widths[l]),
        std: resolved.posteriorStd,
        name: `razor${id}/layer${l}`,
      }),
    );
  }
  const h = resolved.hidden[resolved.hidden.length - 1];
  posteriors.push(
    createMatrixNormal(h, 1, {
      seed: seed * 1000 + 99,
      meanStd: 1 / Math.sqrt(h),
      std: resolved.posteriorStd,
      name: `razor${id}/readout`,
    }),
  );
  const scale = tf.tidy(() => tf.variable(tf.scalar(1), true, `razor${id}/scale`));
  const networkVariables: tf.Variable[] = [scale];
  for (const p of posteriors) {
    networkVariables.push(p.mean);
    if (resolved.posterior === 'matrix-normal')
      networkVariables.push(p.rowRaw, p.rowLogDiag, p.colRaw, p.colLogDiag);
  }
  const symmetryVariables: tf.Variable[] = [];
  if (variant === 'learned') {
    const k = resolved.slots;
    const std = resolved.etaInitStd;
    const init = (shape: number[], s: number) =>
      std > 0 ? tf.randomNormal(shape, 0, std, 'float32', s) : tf.zeros(shape);
    symmetryVariables.push(
      tf.tidy(() => tf.variable(init([k, dim, dim], seed * 1000 + 501), true, `razor${id}/etaW`)),
      tf.tidy(() => tf.variable(init([k, dim], seed * 1000 + 502), true, `razor${id}/etaB`)),
    );
  }
  const generators = (): tf.Tensor3D | null => {
    if (variant === 'vanilla') return null;
    if (oracle) return oracle.clone();
    return quadraticGenerators(symmetryVariables[0] as tf.Tensor3D, symmetryVariables[1] as tf.Tensor2D);
  };
  const flows = (step: number, samples = resolved.flowSamples): Flows => {
    if (variant === 'vanilla') return identityFlows(dim);
    return tidyObject(() => {
      const g = generators();
      if (!g) throw new RazorError('INVALID_ARGUMENT', `flows(): the ${variant} model has no generators`);
      const k = g.shape[0];
      const eps = sampleFlowCoefficients(createRng(seed, step), [samples, k], {
        kind: resolved.flowSampling,
        antithetic: resolved.antithetic,
      });
      return sampleFlows(g, tf.tensor2d(eps, [samples, k]), resolved.flowScale);
    });
  };
  const toWeights = (ws: tf.Tensor2D[]): NetworkWeights => ({
    layers: ws.map((w, l) =>
      l < ws.length - 1
        ? {
            w: tf.slice(w, [0, 0], [w.shape[0] - 1, w.shape[1]]) as tf.Tensor2D,
            b: tf.slice(w, [w.shape[0] - 1, 0], [1, w.shape[1]]).reshape([-1]) as tf.Tensor1D,
          }
        : { w },
    ),
    scale: tf.clone(scale) as tf.Scalar,
  });
  const weights = (sample: number | null): NetworkWeights =>
    tidyObject(() =>
      toWeights(
        posteriors.map((p, l) =>
          sample === null || resolved.posterior === 'map'
            ? (tf.clone(p.mean) as tf.Tensor2D)
            : sampleMatrixNormal(p, (seed * 7919 + sample * 131 + l) % 2147483647),
        ),
      ),
    );
  const logNorm = 0.5 * dim * Math.log(2 * Math.PI * resolved.sigma2);
  return {
    options: resolved,
    variables: [...networkVariables, ...symmetryVariables],
    symmetryVariables,
    generators,
    flows,
    weights,
    lossTerms(batch, context) {
      return tf.tidy(() => {
        const f = flows(context.step);
        const per: tf.Scalar[] = [];
        for (let r = 0; r < resolved.weightSamples; r++) {
          const w = weights(context.step * resolved.weightSamples + r + 1);
          const yHat = eulerPredict({ weights: w, flows: f, alpha: resolved.alpha }, batch.x, {
            dt: context.dt,
            substeps: resolved.substeps,
          });
          const sq = tf.mean(tf.sum(tf.square(tf.sub(batch.y, yHat)), 1));
          per.push(tf.add(logNorm, tf.div(sq, 2 * resolved.sigma2)) as tf.Scalar);
        }
        const nll = (per.length === 1 ? per[0] : tf.mean(tf.stack(per))) as tf.Scalar;
        const klSum =
          resolved.posterior === 'map'
            ? tf.mul(0.5 * resolved.mapPrecision, tf.addN(posteriors.map((p) => tf.sum(tf.square(p.mean)))))
            : tf.addN(posteriors.map((p) => matrixNormalKl(p)));
        return { nll, kl: tf.div(klSum, context.trainingSize) as tf.Scalar };
      });
    },
    predict(x, o) {
      return tf.tidy(() => {
        const f = flows(o.step ?? 0, o.flowSamples);
        return eulerPredict({ weights: weights(null), flows: f, alpha: resolved.alpha }, x, {
          dt: o.dt,
          substeps: resolved.substeps,
        });
      });
    },
    hamiltonian(x, o = {}) {
      return tf.tidy(() =>
        symmetrisedHamiltonian(
          { weights: weights(null), flows: flows(o.step ?? 0, o.flowSamples), alpha: resolved.alpha },
          x,
        ),
      );
    },
    dispose() {
      tf.dispose([...networkVariables, ...symmetryVariables]);
      for (const p of posteriors)
        if (resolved.posterior === 'map') tf.dispose([p.rowRaw, p.rowLogDiag, p.colRaw, p.colLogDiag]);
      oracle?.dispose();
    },
  };
}

/** Options of {@link razorLoss}. */
export interface RazorLossOptions {
  /** Transitions per step (default 100). */
  batchSize?: number;
  /** Time between x and y. */
  dt: number;
  /** The trainer's completed steps (the batch and flows of step k are a function of seed and k). */
  step: () => number;
}

/**
 * The training loss of a {@link RazorModel} on a transition dataset, as `LossTerms` for `createTrainer`:
 * each call draws a seeded minibatch (a function of the step, so resumed runs are exact) and returns
 * `{ nll, kl }` whose sum is −ELBO / N.
 *
 * @param model - the model. @param data - all training transitions `x`, `y` `[N, M]` (borrowed; keep alive).
 * @param options - batch size, dt, the step source.
 * @throws {RazorError} `SHAPE_MISMATCH` when x and y differ or do not match the model's dim.
 * @example
 * let trainer: Trainer;
 * const loss = razorLoss(model, { x, y }, { dt: 0.2, step: () => trainer.step });
 * trainer = createTrainer({ variables: [...model.variables], loss, optimizer: adamOptimizer() });
 */
export function razorLoss(model: RazorModel, data: TransitionBatch, options: RazorLossOptions): LossTerms {
  const fn = 'razorLoss';
  const { x, y } = data ?? ({} as TransitionBatch);
  if (!(x instanceof tf.Tensor) || !(y instanceof tf.Tensor) || x.rank !== 2)
    invalid([fn, 'data'], '{ x, y } rank-2 tensors', data);
  if (x.shape.join() !== y.shape.join() || x.shape[1] !== model.options.dim) {
    throw new RazorError(
      'SHAPE_MISMATCH',
      `${fn}(): argument 'data' must hold x and y of shape [N, ${model.options.dim}], got [${x.shape.join(', ')}] and [${y.shape.join(', ')}]`,
      { fn },
    );
  }
  const n = x.shape[0];
  const batchSize = checkInteger([fn, 'options.batchSize'], options.batchSize ?? 100, [1, n]);
  const dt = checkPositive([fn, 'options.dt'], options.dt);
  const seed = model.options.seed;
  return () => {
    const step = options.step();
    const rng = createRng(seed + 104729, step);
    const idx = new Int32Array(batchSize);
    for (let i = 0; i < batchSize; i++) idx[i] = rng.int(n);
    return tf.tidy(() => {
      const index = tf.tensor1d(idx, 'int32');
      const batch = { x: tf.gather(x, index) as tf.Tensor2D, y: tf.gather(y, index) as tf.Tensor2D };
      return model.lossTerms(batch, { dt, trainingSize: n, step });
    });
  };
}
