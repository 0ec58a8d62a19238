import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { writeFileAtomic } from '@noether/files';
import { conservedRollout, trainOperator, withConservation } from '@noether/ecf';
import {
  createFno1d,
  loadOperator,
  operatorFiles,
  relativeL264,
  rollout,
  saveOperator,
} from '@noether/operators';
import { findEcfCase, generateCase, type CaseData } from './cases';

/** Settings of the small FNO the web page ships (`noether ecf-web-model`). */
export interface WebModelSettings {
  /** Adam steps (cosine schedule from `learningRate`). */
  steps: number;
  /** Training / held-out trajectories of `samples` states (one operator step = the case's sampleDt). */
  train: number;
  test: number;
  samples: number;
  batchSize: number;
  learningRate: number;
  modes: number;
  width: number;
  layers: number;
  projectionWidth: number;
  seed: number;
}

/** Small on purpose: ~20k float32 weights (~80 kB) so the page ships it; minutes of training on wasm. */
export const defaultWebModel: WebModelSettings = {
  steps: 1500,
  train: 16,
  test: 4,
  samples: 101,
  batchSize: 32,
  learningRate: 3e-3,
  modes: 12,
  width: 16,
  layers: 3,
  projectionWidth: 32,
  seed: 0,
};

/**
 * The PDE of the shipped model: the `burgers` case of `noether ecf` (u_t + (u²/2)_x = 0.1 u_xx on the
 * periodic [0, 1), 64 cells, one step = 0.01, the FNO paper's random initial conditions). The page re-solves
 * the reference with these numbers (the same float64 solver of @noether/datasets).
 */
export const webModelPde = {
  case: 'burgers',
  equation: 'u_t + (u²/2)_x = 0.1 u_xx',
  viscosity: 0.1,
  domain: [0, 1] as [number, number],
  points: 64,
  boundary: 'periodic' as const,
  sampleDt: 0.01,
};

/** One held-out rollout's measurements (float64 from float32 states). */
interface RolloutMetrics {
  /** Mean over held-out trajectories of the relative L2 after 20 steps and after the last step. */
  relL2At20: number;
  relL2Last: number;
  /** Max over trajectories and steps of |Σ w u_k − Σ w u_0| / Σ w |u_0|. */
  conservation: number;
}

/** What the command writes to `meta.json` (next to model.json + weights.bin) and prints with `--json`. */
export interface WebModelResult {
  pde: typeof webModelPde & { scheme: string };
  settings: WebModelSettings;
  backend: string;
  model: { kind: 'fno1d'; parameters: number; weightBytes: number };
  training: { status: string; steps: number; seconds: number; finalLoss: number };
  /** On the held-out trajectories: one step from true states, and rollouts of samples − 1 steps. */
  heldOut: { oneStepRelL2: number; rollSteps: number; plain: RolloutMetrics; ecf: RolloutMetrics };
  /** The reloaded model gives the same outputs as the trained one (max |difference|). */
  reloadMaxDifference: number;
  /** Held-out initial conditions (cell averages at the 64 cell centres, float64) the page offers. */
  initialConditions: Array<{ name: string; u: number[] }>;
}

/** `[count * (k1 - k0), n]` states of trajectories `from..from+count`, states `k0..k1 - 1`. */
function states(d: CaseData, [from, count]: [number, number], [k0, k1]: [number, number]): Float32Array {
  const out = new Float32Array(count * (k1 - k0) * d.n);
  let o = 0;
  for (let i = from; i < from + count; i++)
    for (let k = k0; k < k1; k++, o += d.n)
      out.set(d.u.subarray((i * d.samples + k) * d.n, (i * d.samples + k + 1) * d.n), o);
  return out;
}

function rolloutMetrics(
  traj: Float32Array,
  d: CaseData,
  [from, count, steps]: [number, number, number],
): RolloutMetrics {
  const n = d.n;
  const err = (k: number) => {
    let e = 0;
    for (let i = 0; i < count; i++) {
      const off = (k * count + i) * n;
      const truth = d.u64.subarray(
        ((from + i) * d.samples + k + 1) * n,
        ((from + i) * d.samples + k + 2) * n,
      );
      e += relativeL264(traj.subarray(off, off + n), truth, n)[0] / count;
    }
    return e;
  };
  let conservation = 0;
  for (let i = 0; i < count; i++) {
    const u0 = d.u.subarray((from + i) * d.samples * n, ((from + i) * d.samples + 1) * n);
    let m0 = 0;
    let abs0 = 0;
    for (let j = 0; j < n; j++) {
      m0 += d.weights[j] * u0[j];
      abs0 += d.weights[j] * Math.abs(u0[j]);
    }
    for (let k = 0; k < steps; k++) {
      let m = 0;
      for (let j = 0; j < n; j++) m += d.weights[j] * traj[(k * count + i) * n + j];
      conservation = Math.max(conservation, Math.abs(m - m0) / abs0);
    }
  }
  return { relL2At20: err(Math.min(20, steps) - 1), relL2Last: err(steps - 1), conservation };
}

/**
 * Trains the page's small FNO on the Burgers case (one step u_k -> u_{k+1}, relative-L2 loss, Adam with a
 * cosine schedule), measures it on held-out trajectories with and without `withConservation` (mass), saves it
 * to `dir` in tfjs's layout (model.json + weights.bin, through `operatorFiles`: atomic writes) and writes
 * `dir/meta.json` (settings, measurements and held-out initial conditions for the page).
 */
export async function runWebModel(
  dir: string,
  s: WebModelSettings,
  options: { backend: string; onProgress?: (step: number, total: number, loss: number) => void },
): Promise<WebModelResult> {
  const c = findEcfCase(webModelPde.case);
  if (!c) throw new Error(`runWebModel(): no ECF case '${webModelPde.case}'`);
  const d = generateCase(c, { count: s.train + s.test, samples: s.samples, seed: s.seed + 1 });
  const n = d.n;
  const pairs = s.train * (s.samples - 1);
  const inputs = tf.tensor3d(states(d, [0, s.train], [0, s.samples - 1]), [pairs, n, 1]);
  const targets = tf.tensor3d(states(d, [0, s.train], [1, s.samples]), [pairs, n, 1]);
  const fno = createFno1d({
    inChannels: 1,
    modes: s.modes,
    width: s.width,
    layers: s.layers,
    projectionWidth: s.projectionWidth,
    residual: true,
    appendGrid: false,
    seed: s.seed,
  });
  const t0 = performance.now();
  const trained = await trainOperator((x) => fno.apply(x), {
    variables: fno.variables,
    inputs,
    targets,
    steps: s.steps,
    batchSize: s.batchSize,
    learningRate: s.learningRate,
    seed: s.seed,
    onProgress: (i) => options.onProgress?.(i.step, i.total, i.loss),
  });
  const seconds = (performance.now() - t0) / 1000;
  tf.dispose([inputs, targets]);
  await saveOperator(fno, operatorFiles(dir));
  const model = await loadOperator(operatorFiles(dir));
  const test: [number, number] = [s.train, s.test];
  const rollSteps = s.samples - 1;
  try {
    const x = tf.tensor3d(states(d, test, [0, s.samples - 1]), [s.test * rollSteps, n, 1]);
    const a = tf.tidy(() => fno.apply(x));
    const b = tf.tidy(() => model.apply(x));
    const reloadMaxDifference = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
    const pred = b.dataSync() as Float32Array;
    const truth = states(d, test, [1, s.samples]);
    const oneStep = relativeL264(pred, truth, n).reduce((acc, v) => acc + v, 0) / (s.test * rollSteps);
    tf.dispose([x, a, b]);
    const u0 = tf.tensor3d(states(d, test, [0, 1]), [s.test, n, 1]);
    const ecf = withConservation(model, { weights: d.weights, invariants: ['linear'] });
    const plainTraj = tf.tidy(() => rollout((u) => model.apply(u), u0, { steps: rollSteps }));
    const ecfTraj = tf.tidy(() => conservedRollout(ecf, u0, { steps: rollSteps }));
    const plain = rolloutMetrics(plainTraj.dataSync() as Float32Array, d, [...test, rollSteps]);
    const conserved = rolloutMetrics(ecfTraj.dataSync() as Float32Array, d, [...test, rollSteps]);
    tf.dispose([u0, plainTraj, ecfTraj]);
    const parameters = fno.variables.reduce((acc, v) => acc + v.size, 0);
    const result: WebModelResult = {
      pde: { ...webModelPde, scheme: d.scheme },
      settings: s,
      backend: options.backend,
      model: { kind: 'fno1d', parameters, weightBytes: parameters * 4 },
      training: { status: trained.status, steps: trained.steps, seconds, finalLoss: trained.loss },
      heldOut: { oneStepRelL2: oneStep, rollSteps, plain, ecf: conserved },
      reloadMaxDifference,
      initialConditions: Array.from({ length: s.test }, (_, i) => ({
        name: `held-out ${i + 1}`,
        u: Array.from(d.u64.subarray((s.train + i) * s.samples * n, ((s.train + i) * s.samples + 1) * n)),
      })),
    };
    writeFileAtomic(join(dir, 'meta.json'), `${JSON.stringify(result, null, 1)}\n`);
    return result;
  } finally {
    fno.dispose();
    model.dispose();
  }
}
