import { writeFileAtomic } from '@noether/files';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  generateTrajectories,
  harmonicOscillator,
  nHarmonicOscillators,
  planarThreeBody,
  razorSplits,
  symmetryGenerator,
  type PhysicalSystem,
} from '@noether/datasets';
import {
  adamOptimizer,
  cosineSchedule,
  createTrainer,
  fileCheckpointStore,
  train,
  type StepRecord,
  type Trainer,
} from '@noether/optim';
import {
  createRazorModel,
  readableLaws,
  razorLoss,
  symmetryDiagnostics,
  type RazorModel,
  type RazorVariant,
  transitionPairs,
} from '@noether/razor';

export const razorSystems = ['ho', 'nho', 'three-body'] as const;
export type RazorSystemName = (typeof razorSystems)[number];
export const razorVariants: readonly RazorVariant[] = ['learned', 'vanilla', 'oracle'];

/** Everything that defines one run (the run id is derived from it). */
export interface RazorSettings {
  system: RazorSystemName;
  /** Oscillators (nho). */
  n: number;
  variant: RazorVariant;
  steps: number;
  seed: number;
  /** Trajectories x transitions of the training set, time between states. */
  count: number;
  transitions: number;
  dt: number;
  batchSize: number;
  flowSamples: number;
  substeps: number;
  slots: number;
  hidden: number[];
  alpha: number;
  flowSampling: 'ball' | 'cube';
  /** Flows in pairs (ε, −ε). */
  antithetic: boolean;
  /** Learning rates of the network and of η; cosine decay over `steps` to `lrFloor` times them. */
  lr: number;
  etaLr: number;
  lrFloor: number;
  /** Std of the initial η (0 = zeros). */
  etaInitStd: number;
  /** Steps of plain-HNN warm-up (η frozen at its initial value) before η trains. */
  warmup: number;
  /** Multiplies the KL term (1 = the ELBO). */
  klWeight: number;
  /** Decoupled weight decay of η (AdamW; 0 = none, the paper's maximum-likelihood η). */
  etaDecay: number;
}

/** The issue's reduced settings per system. */
export function defaultSettings(system: RazorSystemName, n = 2): RazorSettings {
  const base = {
    system,
    n,
    variant: 'learned' as RazorVariant,
    steps: 8000,
    seed: 0,
    batchSize: 100,
    flowSamples: 16,
    substeps: 5,
    slots: 30,
    hidden: [64, 64],
    alpha: 1,
    flowSampling: 'ball' as const,
    antithetic: false,
    lr: 1e-3,
    etaLr: 1e-2,
    lrFloor: 0,
    etaInitStd: 0,
    warmup: 0,
    klWeight: 1,
    etaDecay: 0,
  };
  // One oscillator (28 transitions): a small network, 2 slots and a fast η (measured: the energy in ~300 steps).
  if (system === 'ho')
    return {
      ...base,
      n: 1,
      count: 7,
      transitions: 4,
      dt: 0.2,
      batchSize: 28,
      hidden: [16, 16],
      slots: 2,
      flowSamples: 8,
      alpha: 2,
      flowSampling: 'cube',
      lr: 3e-3,
      etaLr: 0.1,
      etaInitStd: 0.01,
      lrFloor: 0.1,
      steps: 300,
    };
  // n oscillators: a 2,000-step cosine schedule (measured, n = 2: all three targets at step 1,000; the
  // spurious singular values are Adam jitter proportional to η's learning rate and fall as it decays, so a
  // long schedule keeps them at ~0.3 for thousands of steps).
  if (system === 'nho') return { ...base, count: 200, transitions: 50, dt: 0.2, steps: 2000 };
  return { ...base, n: 3, count: 200, transitions: 50, dt: 0.1, substeps: 10, warmup: 1500, steps: 6000 };
}

export function runId(s: RazorSettings): string {
  const sys = s.system === 'nho' ? `nho${s.n}` : s.system;
  return `${sys}-${s.variant}-st${s.steps}-S${s.flowSamples}-K${s.slots}-e${s.etaInitStd}-w${s.warmup}-kl${s.klWeight}-f${s.lrFloor}${s.antithetic ? '-anti' : ''}${s.etaDecay ? `-wd${s.etaDecay}` : ''}-s${s.seed}`;
}

/** The system, its true generators (the reference span) and their dimension. */
function systemOf(s: RazorSettings): { system: PhysicalSystem; generators: Float64Array[] } {
  const system =
    s.system === 'ho'
      ? harmonicOscillator()
      : s.system === 'nho'
        ? nHarmonicOscillators(s.n)
        : planarThreeBody();
  // n-HO: conserved[0] is the energy, the sum of the I_i: the u(n) generators are the rest.
  const quadratic = system.conserved.filter((c) => c.A && c.b);
  const chosen = s.system === 'nho' ? quadratic.slice(1) : quadratic;
  return { system, generators: chosen.map(symmetryGenerator) };
}

/** One point of the diagnostics trace, every `traceEvery` steps. */
interface TracePoint {
  step: number;
  seconds: number;
  nll: number;
  kl: number;
  singularValues: number[];
  gap: number;
  countRelative: number;
  parallelnessMin: number;
}

/** What `noether razor` writes and prints. */
export interface RazorResult {
  id: string;
  settings: RazorSettings;
  backend: string;
  status: string;
  steps: number;
  resumedFrom: number;
  /** Wall-clock of this invocation: data, training, diagnostics. */
  seconds: number;
  /** Training wall-clock summed over all steps (including resumed ones). */
  trainSeconds: number;
  wallSecondsPerStep: number;
  cpuSecondsPerStep: number;
  singularValues: number[];
  count: number;
  countRelative: number;
  trueDimension: number;
  gap: number;
  parallelness: number[];
  principalAngles: number[];
  laws: string[];
  lawResiduals: number[];
  trueLaws: string[];
  testMse: Record<'test' | 'testWider' | 'testMoved', number>;
  trainMse: number;
  elbo: { negElboPerN: number; nll: number; kl: number };
  /** First traced step at which each criterion held (null: never). */
  reached: { parallel999: number | null; gap10: number | null; exactCount: number | null };
  trace: TracePoint[];
  /** Learned Ĥ on a grid (one oscillator): values [41 x 41] over q, p in [-3, 3]. */
  hamiltonianGrid?: { values: number[]; range: [number, number] };
}

export interface RunOptions {
  checkpointPath?: string;
  checkpointEvery?: number;
  traceEvery?: number;
  onProgress?: (record: StepRecord, trace: TracePoint | null) => boolean | void;
  backend?: string;
}

function generatorsOf(model: RazorModel): number[][] | null {
  const G = model.generators();
  if (!G) return null;
  const flat = G.arraySync().map((g) => g.flat());
  G.dispose();
  return flat;
}

/** Mean squared error per coordinate of one-step predictions, in chunks. */
function mse(model: RazorModel, data: { x: tf.Tensor2D; y: tf.Tensor2D }, dt: number): number {
  const n = data.x.shape[0];
  const chunk = 500;
  let acc = 0;
  for (let i = 0; i < n; i += chunk) {
    const size = Math.min(chunk, n - i);
    acc += tf
      .tidy(() => {
        const x = tf.slice(data.x, [i, 0], [size, -1]) as tf.Tensor2D;
        const y = tf.slice(data.y, [i, 0], [size, -1]);
        const p = model.predict(x, { dt, flowSamples: 2 * model.options.flowSamples });
        return tf.sum(tf.square(tf.sub(p, y)));
      })
      .dataSync()[0];
  }
  return acc / (n * data.x.shape[1]);
}

/**
 * Trains one Noether's Razor model on a `@noether/datasets` system and measures it: symmetry diagnostics
 * against the system's true generators, readable laws, test MSE on the three test splits, −ELBO.
 */
export async function runRazor(s: RazorSettings, options: RunOptions = {}): Promise<RazorResult> {
  const start = performance.now();
  const { system, generators: truth } = systemOf(s);
  const make = (split: keyof typeof razorSplits, count: number, seed: number) =>
    transitionPairs(
      generateTrajectories(system, {
        count,
        samples: s.transitions + 1,
        sampleDt: s.dt,
        seed,
        initialConditions: razorSplits[split],
      }),
    );
  const trainData = make('train', s.count, s.seed * 17 + 1);
  const testCount = Math.max(7, Math.round(s.count / 4));
  const tests = {
    test: make('test', testCount, s.seed * 17 + 2),
    testWider: make('testWider', testCount, s.seed * 17 + 3),
    testMoved: make('testMoved', testCount, s.seed * 17 + 4),
  };
  const model = createRazorModel({
    dim: system.dim,
    variant: s.variant,
    hidden: s.hidden,
    alpha: s.alpha,
    slots: s.slots,
    oracleGenerators: s.variant === 'oracle' ? truth : undefined,
    flowSamples: s.flowSamples,
    flowSampling: s.flowSampling,
    antithetic: s.antithetic,
    substeps: s.substeps,
    etaInitStd: s.etaInitStd,
    seed: s.seed,
  });
  let trainer: Trainer | null = null;
  const base = razorLoss(model, trainData, {
    dt: s.dt,
    batchSize: Math.min(s.batchSize, trainData.x.shape[0]),
    step: () => trainer?.step ?? 0,
  });
  const loss =
    s.klWeight === 1
      ? base
      : () => {
          const t = base();
          const kl = tf.mul(t.kl, s.klWeight) as tf.Scalar;
          t.kl.dispose();
          return { nll: t.nll, kl };
        };
  const symmetry = new Set(model.symmetryVariables);
  const cosine = cosineSchedule({ steps: s.steps, floor: s.lrFloor });
  const etaSchedule = (k: number) =>
    k < s.warmup
      ? 0
      : cosineSchedule({ steps: Math.max(1, s.steps - s.warmup), floor: s.lrFloor })(k - s.warmup);
  trainer = createTrainer({
    variables: [...model.variables],
    loss,
    optimizer: adamOptimizer({
      learningRate: s.lr,
      groups: [
        {
          match: (v) => symmetry.has(v),
          learningRate: s.etaLr,
          schedule: etaSchedule,
          weightDecay: s.etaDecay,
        },
      ],
      schedule: cosine,
    }),
  });
  const traceEvery = options.traceEvery ?? 100;
  const tracePath = options.checkpointPath ? `${options.checkpointPath}.trace.json` : null;
  let trace: TracePoint[] = [];
  const store = options.checkpointPath ? fileCheckpointStore(options.checkpointPath) : null;
  if (store && tracePath && existsSync(tracePath)) {
    const saved = await store.load();
    const upTo = saved?.step ?? 0;
    trace = (JSON.parse(readFileSync(tracePath, 'utf8')) as TracePoint[]).filter((t) => t.step <= upTo);
  }
  if (options.checkpointPath) mkdirSync(dirname(options.checkpointPath), { recursive: true });
  const cpu0 = process.cpuUsage();
  let window: StepRecord[] = [];
  const result = await train(trainer, {
    steps: s.steps,
    onProgress: (record) => {
      window.push(record);
      let point: TracePoint | null = null;
      if (record.step % traceEvery === 0 || record.step === s.steps) {
        const gens = generatorsOf(model);
        const d = gens ? symmetryDiagnostics(gens, { trueGenerators: truth }) : null;
        point = {
          step: record.step,
          seconds: trainer.history.reduce((a, r) => a + r.ms, 0) / 1000,
          nll: window.reduce((a, r) => a + r.terms.nll, 0) / window.length,
          kl: window.reduce((a, r) => a + r.terms.kl, 0) / window.length,
          singularValues: d ? d.singularValues.slice(0, 12) : [],
          gap: d ? d.gap : NaN,
          countRelative: d ? d.countRelative : 0,
          parallelnessMin: d && d.parallelness.length ? Math.min(...d.parallelness) : NaN,
        };
        trace.push(point);
        window = [];
        if (tracePath) writeFileAtomic(tracePath, JSON.stringify(trace));
      }
      return options.onProgress?.(record, point);
    },
    ...(store ? { checkpoint: { store, every: options.checkpointEvery ?? 200 } } : {}),
  });
  const cpu = process.cpuUsage(cpu0);
  const stepsRun = result.steps - result.resumedFrom;
  const history = trainer.history;
  const trainSeconds = history.reduce((a, r) => a + r.ms, 0) / 1000;
  const recentMs = history.slice(result.resumedFrom).reduce((a, r) => a + r.ms, 0) / 1000;
  // Final diagnostics.
  const gens = generatorsOf(model);
  const d = gens ? symmetryDiagnostics(gens, { trueGenerators: truth }) : null;
  const L = truth.length ? symmetryDiagnostics(truth, { trueGenerators: truth }).trueDimension : 0;
  const lawsOf = (vs: ArrayLike<number>[]) => readableLaws(vs, system.dim);
  const laws = d ? lawsOf(d.directions.slice(0, L)) : [];
  // −ELBO/N on the first 1000 training transitions (one weight sample per batch of 100) + the exact KL.
  let nll = 0;
  let kl = 0;
  const evalN = Math.min(1000, trainData.x.shape[0]);
  const batches = Math.ceil(evalN / 100);
  for (let b = 0; b < batches; b++) {
    const size = Math.min(100, evalN - b * 100);
    const terms = tf.tidy(() => {
      const x = tf.slice(trainData.x, [b * 100, 0], [size, -1]) as tf.Tensor2D;
      const y = tf.slice(trainData.y, [b * 100, 0], [size, -1]) as tf.Tensor2D;
      const t = model.lossTerms(
        { x, y },
        { dt: s.dt, trainingSize: trainData.x.shape[0], step: 1_000_000 + b },
      );
      return tf.stack([t.nll, t.kl]);
    });
    const [a, k] = terms.dataSync();
    terms.dispose();
    nll += a / batches;
    kl = k;
  }
  const testMse = {
    test: mse(model, tests.test, s.dt),
    testWider: mse(model, tests.testWider, s.dt),
    testMoved: mse(model, tests.testMoved, s.dt),
  };
  const trainMse = mse(model, trainData, s.dt);
  let hamiltonianGrid: RazorResult['hamiltonianGrid'];
  if (system.dim === 2) {
    const g = 41;
    const pts: number[] = [];
    for (let i = 0; i < g; i++)
      for (let j = 0; j < g; j++) pts.push(-3 + (6 * j) / (g - 1), -3 + (6 * i) / (g - 1));
    const values = tf.tidy(() => model.hamiltonian(tf.tensor2d(pts, [g * g, 2]), { flowSamples: 64 }));
    hamiltonianGrid = { values: Array.from(values.dataSync()), range: [-3, 3] };
    values.dispose();
  }
  const firstStep = (pred: (t: TracePoint) => boolean) => trace.find(pred)?.step ?? null;
  const out: RazorResult = {
    id: runId(s),
    settings: s,
    backend: options.backend ?? tf.getBackend(),
    status: result.status,
    steps: result.steps,
    resumedFrom: result.resumedFrom,
    seconds: (performance.now() - start) / 1000,
    trainSeconds,
    wallSecondsPerStep: stepsRun > 0 ? recentMs / stepsRun : NaN,
    cpuSecondsPerStep: stepsRun > 0 ? (cpu.user + cpu.system) / 1e6 / stepsRun : NaN,
    singularValues: d ? d.singularValues : [],
    count: d ? d.count : 0,
    countRelative: d ? d.countRelative : 0,
    trueDimension: L,
    gap: d ? d.gap : NaN,
    parallelness: d ? d.parallelness : [],
    principalAngles: d ? d.principalAngles : [],
    laws: laws.map((l) => l.formula),
    lawResiduals: laws.map((l) => l.residual),
    trueLaws: lawsOf(truth).map((l) => l.formula),
    testMse,
    trainMse,
    elbo: { negElboPerN: nll + kl, nll, kl },
    reached: {
      parallel999: firstStep((t) => t.parallelnessMin >= 0.999),
      gap10: firstStep((t) => t.gap >= 10),
      exactCount: firstStep((t) => t.countRelative === L && L > 0),
    },
    trace,
    hamiltonianGrid,
  };
  trainer.dispose();
  model.dispose();
  tf.dispose([trainData.x, trainData.y, ...Object.values(tests).flatMap((t) => [t.x, t.y])]);
  return out;
}
