import { hvp } from '@noether/autodiff';
import { densityOnGrid, lanczos, spectralDensity } from '@noether/optim';
import { applyAffine, targetConstants, tensorAffine } from '@noether/pinn-proj';
import * as tf from '@tensorflow/tfjs';
import { getCase, gridNodes, referenceOf, targetsOf } from './cases';
import type { Field } from './cases';
import { evaluationGrid, initialPoints, levelSubset, sampleCollocation, sampleData } from './setup';
import type { LevelPoints } from './setup';
import { constraintOf } from './train';
import type { RunResult, RunSettings } from './train';
import { summarize } from './seed-stats';
import type { Summary } from './seed-stats';

/** The training loss of a run as a function of its flat parameter vector (same layout as `RunResult.params`). */
export interface ParameterLoss {
  /** Number of parameters. */
  readonly size: number;
  /** Loss at `theta` `[size]` (borrowed) -> scalar (owned): exactly the objective the run was trained on. */
  loss(theta: tf.Tensor1D): tf.Scalar;
  /** Frees the constant tensors (points, targets, grid). */
  dispose(): void;
}

/**
 * The training objective of a reproduction run (residual + data (+ initial velocity) (+ lambda * penalty),
 * PINN-Proj through the same closed-form projection as `runCase`) as a pure function of the flattened
 * weights, so that Hessian-vector products can be taken with `@noether/autodiff`'s `hvp`. Points, levels
 * and targets are rebuilt from the run's settings and seed exactly as in training.
 */
export function parameterLoss(settings: RunSettings): ParameterLoss {
  if (settings.variant === 'proj' && settings.timeDerivative === 'exact')
    throw new Error(
      "parameterLoss(): argument 'settings.timeDerivative' must be 'detached' (the exact mode's loss is not rebuilt here), got 'exact'",
    );
  const c = getCase(settings.case);
  const ref = referenceOf(c);
  const dim = c.dim;
  const nodes = gridNodes(ref);
  const w = ref.weights;
  const n = w.length;
  const W = w.reduce((a, b) => a + b, 0);
  const area = dim === 1 ? 2 : 4;
  const constraint = constraintOf(c, settings.constraint);
  const targets = targetsOf(c, ref);
  const sizes = [dim + 1, ...Array<number>(settings.hidden).fill(settings.width), 1];
  const shapes: Array<[number, number]> = [];
  for (let l = 0; l + 1 < sizes.length; l++) shapes.push([sizes[l], sizes[l + 1]]);
  const size = shapes.reduce((a, [p, q]) => a + p * q + q, 0);
  const levels = levelSubset(ref, settings.levels);
  const L = levels.length;
  const colloc = sampleCollocation(ref, { total: settings.points, seed: settings.seed, levels });
  const data = sampleData(ref, { count: settings.dataPoints, seed: settings.seed, levels });
  const ic = c.initialVelocity ? initialPoints(ref, 64) : undefined;
  const toTensor = (p: LevelPoints) => tf.tensor2d(p.xt, [p.count, dim + 1]);
  const oneHot = (p: LevelPoints) => {
    const a = new Float32Array(p.count * L);
    for (let i = 0; i < p.count; i++) a[i * L + p.level[i]] = 1;
    return tf.tensor2d(a, [p.count, L]);
  };
  const collocXt = toTensor(colloc);
  const dataXt = toTensor(data);
  const dataU = tf.tensor2d(data.u, [data.count, 1]);
  const icXt = ic ? toTensor(ic) : undefined;
  const collocIdx = oneHot(colloc);
  const dataIdx = oneHot(data);
  const icIdx = ic ? oneHot(ic) : undefined;
  const gridXt = tf.tensor2d(evaluationGrid(ref, nodes, levels), [L * n, dim + 1]);
  const wCol = tf.tensor2d(Float32Array.from(w), [n, 1]);
  const levelTimes = Float64Array.from(levels, (k) => ref.t[k]);
  const tc = targetConstants(constraint, W, { slices: L, times: levelTimes });
  const gridWeights = { w: Float64Array.from(w), W };
  const c1 = tf.tensor2d(
    Float32Array.from(levels, (k) => targets.c1[k]),
    [L, 1],
  );
  const c2 = tf.tensor2d(
    Float32Array.from(levels, (k) => targets.c2[k]),
    [L, 1],
  );
  const constants = [collocXt, dataXt, dataU, icXt, collocIdx, dataIdx, icIdx, gridXt, wCol, c1, c2].filter(
    (t): t is tf.Tensor2D => t !== undefined,
  );

  const loss = (theta: tf.Tensor1D): tf.Scalar =>
    tf.tidy(() => {
      const params: tf.Tensor2D[] = [];
      let offset = 0;
      for (const [p, q] of shapes) {
        params.push(tf.reshape(tf.slice(theta, [offset], [p * q]), [p, q]));
        offset += p * q;
        params.push(tf.reshape(tf.slice(theta, [offset], [q]), [1, q]));
        offset += q;
      }
      const net: Field = (xt) => {
        let h: tf.Tensor2D = xt;
        for (let i = 0; i < params.length; i += 2) {
          h = tf.add(tf.matMul(h, params[i]), params[i + 1]);
          if (i + 2 < params.length) h = tf.tanh(h);
        }
        return h;
      };
      let field: (levels: tf.Tensor2D) => Field = () => net;
      let total: tf.Scalar = tf.scalar(0);
      if (settings.variant !== 'pinn') {
        const U = tf.reshape(net(gridXt), [L, n]) as tf.Tensor2D;
        if (settings.variant === 'penalty') {
          const kind = settings.constraint;
          let pen: tf.Tensor = tf.scalar(0);
          if (kind !== 'quadratic')
            pen = tf.add(pen, tf.mean(tf.square(tf.div(tf.sub(tf.matMul(U, wCol), c1), area))));
          if (kind !== 'linear')
            pen = tf.add(pen, tf.mean(tf.square(tf.div(tf.sub(tf.matMul(tf.square(U), wCol), c2), area))));
          total = tf.mul(settings.lambda, pen) as tf.Scalar;
        } else {
          const a = tensorAffine(U, gridWeights, { type: settings.constraint, targets: tc, eps: 1e-12 });
          field = (lv) => {
            const scaleM1 = a.scaleM1 ? tf.matMul(lv, a.scaleM1) : null;
            const shift = a.shift ? tf.matMul(lv, a.shift) : null;
            return (z) => applyAffine(net(z), { scaleM1, shift }) as tf.Tensor2D;
          };
        }
      }
      total = tf.add(total, tf.mean(tf.square(c.residual(field(collocIdx), collocXt))));
      total = tf.add(total, tf.mean(tf.square(tf.sub(field(dataIdx)(dataXt), dataU))));
      if (icXt && icIdx) {
        const uIc = field(icIdx);
        const ut = tf.slice(
          tf.grad((z: tf.Tensor) => tf.sum(uIc(z as tf.Tensor2D)))(icXt),
          [0, dim],
          [icXt.shape[0], 1],
        );
        total = tf.add(total, tf.mean(tf.square(ut)));
      }
      return total;
    });
  return { size, loss, dispose: () => tf.dispose(constants) };
}

/** Options of {@link hessianSpectrum}. */
export interface HessianSpectrumOptions {
  /** Lanczos steps for the top eigenvalues; default 30. */
  steps?: number;
  /** Probes of the stochastic Lanczos quadrature density; default 2; 0 skips the density (empty nodes, NaN trace). */
  probes?: number;
  /** Lanczos steps per density probe; default 20. */
  densitySteps?: number;
  /** How many top eigenvalues to report; default 5. */
  top?: number;
  /** Seed of the Lanczos start vector and probes; default 0. */
  seed?: number;
  /** Called after each Hessian-vector product. */
  onProgress?: (info: { step: number }) => void;
}

/** Hessian spectrum of a trained run's loss: top eigenvalues and an SLQ spectral density. */
export interface HessianSpectrum {
  /** Largest Ritz values (descending), the top Hessian eigenvalues. */
  top: number[];
  /** Smallest Ritz value of the top-eigenvalue Lanczos run (estimate of the most negative eigenvalue). */
  bottom: number;
  /** SLQ quadrature (nodes, weights summing to 1) of the spectral density. */
  nodes: number[];
  weights: number[];
  /** SLQ estimate of the Hessian trace. */
  trace: number;
  /** Loss at the parameters. */
  loss: number;
  /** Hessian-vector products used and wall time. */
  matvecs: number;
  seconds: number;
  parameters: number;
}

/**
 * Top eigenvalues (Lanczos) and spectral density (stochastic Lanczos quadrature) of the Hessian of a run's
 * training loss at the parameters `params`, with exact Hessian-vector products (reverse over reverse,
 * float32) fed to a float64 Lanczos: the analysis PyHessian does for the PINN-Proj paper (their KdV:
 * lambda_1 5122.6 for PINN vs 3525.5 for PINN-Proj).
 */
export function hessianSpectrum(
  settings: RunSettings,
  params: Float32Array,
  options: HessianSpectrumOptions = {},
): HessianSpectrum {
  const pl = parameterLoss(settings);
  if (params.length !== pl.size) {
    pl.dispose();
    throw new Error(
      `hessianSpectrum(): argument 'params' must have ${pl.size} entries for this network, got ${params.length}`,
    );
  }
  const theta = tf.tensor1d(params);
  const started = Date.now();
  let step = 0;
  const matvec = (v: Float64Array): Float64Array => {
    const vt = tf.tensor1d(Float32Array.from(v));
    const r = hvp(pl.loss as (x: tf.Tensor) => tf.Scalar, theta, vt);
    const out = Float64Array.from(r.hvp.dataSync());
    tf.dispose([vt, r.value, r.hvp]);
    options.onProgress?.({ step: ++step });
    return out;
  };
  try {
    const lossValue = tf.tidy(() => pl.loss(theta).dataSync()[0]);
    const seed = options.seed ?? 0;
    const lz = lanczos(matvec, pl.size, { steps: options.steps ?? 30, seed });
    const dens =
      options.probes === 0
        ? { nodes: new Float64Array(0), weights: new Float64Array(0), trace: NaN, matvecs: 0 }
        : spectralDensity(matvec, pl.size, {
            probes: options.probes ?? 2,
            steps: options.densitySteps ?? 20,
            seed: seed + 1000,
          });
    return {
      top: Array.from(lz.ritzValues.subarray(0, options.top ?? 5)),
      bottom: lz.ritzValues[lz.ritzValues.length - 1],
      nodes: Array.from(dens.nodes),
      weights: Array.from(dens.weights),
      trace: dens.trace,
      loss: lossValue,
      matvecs: lz.matvecs + dens.matvecs,
      seconds: (Date.now() - started) / 1000,
      parameters: pl.size,
    };
  } finally {
    theta.dispose();
    pl.dispose();
  }
}

/** A spectral density on a symmetric-log-free linear grid spanning both spectra, Gaussian-smoothed. */
export function densityCurves(
  spectra: ReadonlyArray<{ nodes: number[]; weights: number[] }>,
  options: { points?: number; relativeWidth?: number } = {},
): { grid: number[]; densities: number[][] } {
  const all = spectra.flatMap((s) => s.nodes);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const span = hi - lo || 1;
  const m = options.points ?? 400;
  const grid = Array.from({ length: m }, (_, i) => lo - 0.05 * span + (1.1 * span * i) / (m - 1));
  const sigma = (options.relativeWidth ?? 0.01) * span;
  return {
    grid,
    densities: spectra.map((s) =>
      Array.from(
        densityOnGrid(
          { nodes: Float64Array.from(s.nodes), weights: Float64Array.from(s.weights) },
          grid,
          sigma,
        ),
      ),
    ),
  };
}

/** One seed's trained PINN and PINN-Proj runs with the Hessian spectra of their losses. */
export interface SeedSpectra {
  seed: number;
  pinn: { run: RunResult; spectrum: HessianSpectrum };
  proj: { run: RunResult; spectrum: HessianSpectrum };
}

/**
 * The paper's "improves the conditioning of the loss landscape" over seeds: per seed the top Hessian eigenvalue
 * of PINN and PINN-Proj and their ratio, mean ± sample std, and in how many seeds PINN-Proj's is lower.
 */
export function conditioningTable(
  perSeed: readonly SeedSpectra[],
  label: { case: string; constraint: string; steps: number },
): {
  markdown: string;
  seeds: Array<{ seed: number; pinn: number; proj: number; ratio: number; relL2: [number, number] }>;
  conditioning: { lower: number; seeds: number; pinn: Summary; proj: Summary; ratio: Summary };
} {
  if (perSeed.length === 0)
    throw new Error("conditioningTable(): argument 'perSeed' must hold at least one seed, got none");
  const seeds = perSeed.map((s) => ({
    seed: s.seed,
    pinn: s.pinn.spectrum.top[0],
    proj: s.proj.spectrum.top[0],
    ratio: s.pinn.spectrum.top[0] / s.proj.spectrum.top[0],
    relL2: [s.pinn.run.relL2, s.proj.run.relL2] as [number, number],
  }));
  const lower = seeds.filter((s) => s.proj < s.pinn).length;
  const conditioning = {
    lower,
    seeds: seeds.length,
    pinn: summarize(seeds.map((s) => s.pinn)),
    proj: summarize(seeds.map((s) => s.proj)),
    ratio: summarize(seeds.map((s) => s.ratio)),
  };
  const f = (v: number) => v.toPrecision(4);
  const ms = (v: Summary) => `${f(v.mean)} ± ${v.std.toPrecision(2)}`;
  const markdown = [
    `## ${label.case}: top Hessian eigenvalue over ${seeds.length} seeds (${label.constraint} constraint for PINN-Proj; Lanczos ${label.steps} steps)`,
    '',
    '| seed | lambda_1 PINN | lambda_1 PINN-Proj | PINN / PINN-Proj | rel L2 PINN | rel L2 PINN-Proj |',
    '|---:|---:|---:|---:|---:|---:|',
    ...seeds.map(
      (s) =>
        `| ${s.seed} | ${f(s.pinn)} | ${f(s.proj)} | ${s.ratio.toFixed(2)} | ${s.relL2[0].toExponential(2)} | ${s.relL2[1].toExponential(2)} |`,
    ),
    `| mean ± std | ${ms(conditioning.pinn)} | ${ms(conditioning.proj)} | ${ms(conditioning.ratio)} | | |`,
    '',
    `- "Improves the conditioning" (lambda_1 lower with PINN-Proj): ${lower} / ${seeds.length} seeds.`,
    '',
  ].join('\n');
  return { markdown, seeds, conditioning };
}
