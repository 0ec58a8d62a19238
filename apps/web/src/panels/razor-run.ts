// Noether's Razor live: one oscillator (its energy) or two (the u(2) algebra), trained from one-step
// transitions with @noether/razor on @noether/optim's trainer. Pure setup and measurements (no DOM): the
// panel drives `step()` and reads `diagnose()`.
import {
  generateTrajectories,
  harmonicOscillator,
  nHarmonicOscillators,
  razorSplits,
  symmetryGenerator,
  type PhysicalSystem,
} from '@noether/datasets';
import { adamOptimizer, cosineSchedule, createTrainer, type Trainer } from '@noether/optim';
import {
  createRazorModel,
  generatorToMonomials,
  razorLoss,
  readableLaws,
  symmetryDiagnostics,
  type RazorModel,
  type ReadableLaw,
  type SymmetryDiagnostics,
  transitionPairs,
} from '@noether/razor';
import * as tf from '@tensorflow/tfjs';

/** Oscillators: 1 (the energy, one law) or 2 (u(2): four laws). */
export type Oscillators = 1 | 2;

/** Settings of one run: the measured settings of `noether razor ho` / `noether razor nho --n 2`. */
export interface RazorRunSettings {
  oscillators: Oscillators;
  steps: number;
  seed: number;
  /** Trajectories x transitions of dt. */
  count: number;
  transitions: number;
  dt: number;
  batchSize: number;
  hidden: number[];
  alpha: number;
  slots: number;
  flowSamples: number;
  flowSampling: 'ball' | 'cube';
  substeps: number;
  lr: number;
  etaLr: number;
  /** Cosine decay over `steps` to this fraction of the learning rates. */
  lrFloor: number;
  etaInitStd: number;
}

/**
 * The settings of the CLI's runs (apps/demo `razor/experiment.ts` defaults, measured there): one oscillator
 * from 7 x 4 transitions with a small network and a fast η (the energy in ~300 steps); two oscillators from
 * 200 x 50 transitions, 30 slots, 64 x 64 (clean u(2) gap from ~1,000 steps of a 2,000-step schedule).
 */
export function razorRunSettings(oscillators: Oscillators, steps: number, seed: number): RazorRunSettings {
  if (oscillators === 1)
    return {
      oscillators,
      steps,
      seed,
      count: 7,
      transitions: 4,
      dt: 0.2,
      batchSize: 28,
      hidden: [16, 16],
      alpha: 2,
      slots: 2,
      flowSamples: 8,
      flowSampling: 'cube',
      substeps: 5,
      lr: 3e-3,
      etaLr: 0.1,
      lrFloor: 0.1,
      etaInitStd: 0.01,
    };
  return {
    oscillators,
    steps,
    seed,
    count: 200,
    transitions: 50,
    dt: 0.2,
    batchSize: 100,
    hidden: [64, 64],
    alpha: 1,
    slots: 30,
    flowSamples: 16,
    flowSampling: 'ball',
    substeps: 5,
    lr: 1e-3,
    etaLr: 1e-2,
    lrFloor: 0,
    etaInitStd: 0,
  };
}

/** How well the leading learned quantity matches the energy H = Σ (q_i² + p_i²)/2 up to scale and offset. */
export interface EnergyMatch {
  /** Fitted C ≈ scale · H + offset over the probe points. */
  scale: number;
  offset: number;
  /** rms(C − scale·H − offset) / std(C) over the probe points (0 = the energy exactly; 1 = unrelated). */
  relativeResidual: number;
}

/** What the panel shows after a diagnostics point. */
export interface RazorSnapshot {
  step: number;
  /** Mean NLL and KL/N since the previous snapshot. */
  nll: number;
  kl: number;
  diagnostics: SymmetryDiagnostics;
  /** Readable laws of the leading `trueDimension` directions. */
  laws: ReadableLaw[];
  /** The leading direction against the energy (one oscillator). */
  energy: EnergyMatch | null;
}

/** A live run. */
export interface RazorRun {
  readonly settings: RazorRunSettings;
  readonly trainer: Trainer;
  /** The true laws of the system (the reference span), as formulas. */
  readonly trueLaws: string[];
  /** One training step; returns the loss (−ELBO/N estimate). */
  step(): number;
  /** Diagnostics of the current generators (float64 SVD) against the true span. */
  diagnose(): RazorSnapshot;
  dispose(): void;
}

/** The system and its true generators: the energy for one oscillator, u(2) (without the total energy) for two. */
function systemOf(oscillators: Oscillators): { system: PhysicalSystem; truth: Float64Array[] } {
  const system = oscillators === 1 ? harmonicOscillator() : nHarmonicOscillators(oscillators);
  const quadratic = system.conserved.filter((c) => c.A && c.b);
  const chosen = oscillators === 1 ? quadratic : quadratic.slice(1);
  return { system, truth: chosen.map(symmetryGenerator) };
}

/**
 * The conserved quantity of a learned generator, C(x) = xᵀAx/2 + bᵀx (via `generatorToMonomials`),
 * fitted against the energy H(x) = |x|²/2 by least squares over a fixed grid of phase-space points in
 * [-2, 2]^dim (float64): C ≈ scale · H + offset. The relative residual is 0 exactly when C is an affine
 * function of H.
 */
export function energyMatch(generator: ArrayLike<number>, dim: number): EnergyMatch {
  const coef = generatorToMonomials(generator, dim);
  const points: number[][] = [];
  const axis = [-2, -1, -0.5, 0, 0.5, 1, 2];
  const walk = (prefix: number[]) => {
    if (prefix.length === dim) points.push(prefix);
    else for (const a of axis) walk([...prefix, a]);
  };
  walk([]);
  const C: number[] = [];
  const H: number[] = [];
  for (const x of points) {
    let c = 0;
    let m = 0;
    for (let i = 0; i < dim; i++) for (let j = i; j < dim; j++) c += coef[m++] * x[i] * x[j];
    for (let i = 0; i < dim; i++) c += coef[m++] * x[i];
    C.push(c);
    H.push(x.reduce((s, v) => s + v * v, 0) / 2);
  }
  const n = C.length;
  const mc = C.reduce((a, b) => a + b, 0) / n;
  const mh = H.reduce((a, b) => a + b, 0) / n;
  let shc = 0;
  let shh = 0;
  let scc = 0;
  for (let i = 0; i < n; i++) {
    shc += (H[i] - mh) * (C[i] - mc);
    shh += (H[i] - mh) ** 2;
    scc += (C[i] - mc) ** 2;
  }
  const scale = shc / shh;
  const offset = mc - scale * mh;
  let res = 0;
  for (let i = 0; i < n; i++) res += (C[i] - scale * H[i] - offset) ** 2;
  return { scale, offset, relativeResidual: scc > 0 ? Math.sqrt(res / scc) : 1 };
}

/** Builds the data, the model and the trainer of one run. */
export function createRazorRun(settings: RazorRunSettings): RazorRun {
  const s = settings;
  const { system, truth } = systemOf(s.oscillators);
  const data = transitionPairs(
    generateTrajectories(system, {
      count: s.count,
      samples: s.transitions + 1,
      sampleDt: s.dt,
      seed: s.seed * 17 + 1,
      initialConditions: razorSplits.train,
    }),
  );
  const model: RazorModel = createRazorModel({
    dim: system.dim,
    hidden: s.hidden,
    alpha: s.alpha,
    slots: s.slots,
    flowSamples: s.flowSamples,
    flowSampling: s.flowSampling,
    substeps: s.substeps,
    etaInitStd: s.etaInitStd,
    seed: s.seed,
  });
  let trainer: Trainer | null = null;
  const loss = razorLoss(model, data, {
    dt: s.dt,
    batchSize: Math.min(s.batchSize, data.x.shape[0]),
    step: () => trainer?.step ?? 0,
  });
  const eta = new Set(model.symmetryVariables);
  const schedule = cosineSchedule({ steps: s.steps, floor: s.lrFloor });
  const created = createTrainer({
    variables: [...model.variables],
    loss,
    optimizer: adamOptimizer({
      learningRate: s.lr,
      groups: [{ match: (v) => eta.has(v), learningRate: s.etaLr, schedule }],
      schedule,
    }),
  });
  trainer = created;
  const trueLaws = readableLaws(truth, system.dim).map((l) => l.formula);
  let window: Array<{ nll: number; kl: number }> = [];
  return {
    settings: s,
    trainer: created,
    trueLaws,
    step() {
      const record = created.runStep();
      window.push({ nll: record.terms.nll, kl: record.terms.kl });
      return record.loss;
    },
    diagnose() {
      const G = model.generators();
      if (!G) throw new Error('createRazorRun(): the learned model has no generators');
      const gens = G.arraySync().map((g) => g.flat());
      G.dispose();
      const diagnostics = symmetryDiagnostics(gens, { trueGenerators: truth });
      const L = diagnostics.trueDimension;
      const laws = readableLaws(diagnostics.directions.slice(0, L), system.dim);
      const mean = (key: 'nll' | 'kl') =>
        window.length ? window.reduce((a, r) => a + r[key], 0) / window.length : NaN;
      const snapshot: RazorSnapshot = {
        step: created.step,
        nll: mean('nll'),
        kl: mean('kl'),
        diagnostics,
        laws,
        energy: s.oscillators === 1 ? energyMatch(diagnostics.directions[0], system.dim) : null,
      };
      window = [];
      return snapshot;
    },
    dispose() {
      created.dispose();
      model.dispose();
      tf.dispose([data.x, data.y]);
    },
  };
}
