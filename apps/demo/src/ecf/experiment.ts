import * as tf from '@tensorflow/tfjs';
import { conservedRollout, trainOperator, withConservation } from '@noether/ecf';
import type { ConservationSpec, ConservedOperator } from '@noether/ecf';
import { createFno1d, createUnet1d, relativeL264, rollout } from '@noether/operators';
import type { NeuralOperator } from '@noether/operators';
import { generateCase } from './cases';
import type { CaseData, EcfCase } from './cases';

export const backbones = ['fno', 'unet'] as const;
export type Backbone = (typeof backbones)[number];
/** plain; ECF wrapped after plain training (staged) or trained wrapped (integrated); `+q` adds ∫u². */
type Mode = 'plain' | 'staged' | 'integrated' | 'staged+q' | 'integrated+q';

/** Settings of one `noether ecf <case>` run. */
export interface EcfSettings {
  trainTrajectories: number;
  testTrajectories: number;
  /** Saved states per trajectory (rollouts go up to samples − 1 steps). */
  samples: number;
  /** Adam steps per training. */
  steps: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  backbones: readonly Backbone[];
}

export const defaultEcfSettings: EcfSettings = {
  trainTrajectories: 16,
  testTrajectories: 8,
  samples: 101,
  steps: 600,
  batchSize: 32,
  learningRate: 2e-3,
  seed: 0,
  backbones,
};

export const quickEcfSettings: EcfSettings = {
  ...defaultEcfSettings,
  trainTrajectories: 3,
  testTrajectories: 2,
  samples: 21,
  steps: 20,
  batchSize: 16,
};

/** One row of the results table. */
export interface EcfRow {
  backbone: Backbone;
  mode: Mode;
  /** Mean relative L2 of one step from true states (test pairs). */
  oneStep: number;
  /** Mean relative L2 after 20 steps of autoregressive rollout (and after the last step). */
  rollout20: number;
  rolloutLast: number;
  /** Max over the rollout of the relative linear conservation error |Σ w u_k − Σ w u_0| / Σ w |u_0|. */
  conservationLinear: number;
  /** Max over the rollout of |Σ w u_k² − Σ w u_0²| / Σ w u_0² (channel 0; quadratic cases). */
  conservationQuadratic: number | null;
  /** Linear conservation error: max over the first and the last 10% of rollout steps (growth check). */
  conservationHeadTail: [number, number];
  /** Relative L2 per rollout step (mean over test trajectories). */
  errorCurve: number[];
  /** Linear conservation error per rollout step. */
  conservationCurve: number[];
  trainSeconds: number;
  finalLoss: number;
}

export interface EcfResult {
  case: string;
  title: string;
  setting: string;
  scheme: string;
  settings: EcfSettings;
  backend: string;
  /** Max drift of the conserved sums in the float64 data (relative), for the record. */
  dataDrift: { linear: number; quadratic: number };
  rollSteps: number;
  rows: EcfRow[];
  /** One test trajectory (channel 0): truth and the FNO plain / ECF rollouts, `[steps + 1, n]` each. */
  example: { truth: number[]; plain: number[]; ecf: number[] } | null;
  seconds: number;
}

function linearSpec(c: EcfCase, weights: Float64Array): ConservationSpec {
  return { weights, invariants: c.linear };
}

function jointSpec(c: EcfCase, weights: Float64Array): ConservationSpec {
  return { weights, invariants: { ...c.linear, 0: ['linear', 'quadratic'] } };
}

function makeBackbone(kind: Backbone, c: EcfCase, seed: number): NeuralOperator {
  return kind === 'fno'
    ? createFno1d({
        inChannels: c.channels,
        modes: 16,
        width: 32,
        layers: 4,
        projectionWidth: 64,
        residual: true,
        appendGrid: !c.periodic,
        seed,
      })
    : createUnet1d({
        inChannels: c.channels,
        width: 16,
        levels: 3,
        kernelSize: 5,
        padding: c.periodic ? 'periodic' : 'zero',
        residual: true,
        seed,
      });
}

/** `[count, samples, n, C]` slice of trajectories `from..from+count` at states `k0..k1` as `[count*(k1-k0), n, C]`. */
function states(d: CaseData, traj: [number, number], ks: [number, number]): Float32Array {
  const [from, count] = traj;
  const [k0, k1] = ks;
  const size = d.n * d.channels;
  const out = new Float32Array(count * (k1 - k0) * size);
  let o = 0;
  for (let i = from; i < from + count; i++)
    for (let k = k0; k < k1; k++) {
      out.set(d.u.subarray((i * d.samples + k) * size, (i * d.samples + k + 1) * size), o);
      o += size;
    }
  return out;
}

function integrals64(u: ArrayLike<number>, d: CaseData, at: { offset: number; channel: number }) {
  let s1 = 0;
  let s2 = 0;
  let abs = 0;
  for (let j = 0; j < d.n; j++) {
    const v = u[at.offset + j * d.channels + at.channel];
    const w = d.weights[j];
    s1 += w * v;
    s2 += w * v * v;
    abs += w * Math.abs(v);
  }
  return { s1, s2, abs };
}

/** Evaluates a trained map: one-step errors on test pairs, rollout errors and conservation. */
function evaluate(
  [d, c]: [CaseData, EcfCase],
  map: { step: (x: tf.Tensor) => tf.Tensor; wrapped: ConservedOperator | null; quadratic: boolean },
  split: { testFrom: number; testCount: number; rollSteps: number },
) {
  const size = d.n * d.channels;
  const { testFrom, testCount, rollSteps } = split;
  // one step from every true state of the test trajectories
  const x = states(d, [testFrom, testCount], [0, d.samples - 1]);
  const y = states(d, [testFrom, testCount], [1, d.samples]);
  const P = x.length / size;
  const pred = new Float32Array(x.length);
  for (let s = 0; s < P; s += 200) {
    const m = Math.min(200, P - s);
    const out = tf.tidy(() =>
      map.step(tf.tensor3d(x.subarray(s * size, (s + m) * size), [m, d.n, d.channels])),
    );
    pred.set(out.dataSync(), s * size);
    out.dispose();
  }
  const oneStepErrors = relativeL264(pred, y, size);
  const oneStep = oneStepErrors.reduce((a, b) => a + b, 0) / P;
  // rollouts from the first state of each test trajectory (ECF: targets from the initial condition)
  const u0 = tf.tensor3d(states(d, [testFrom, testCount], [0, 1]), [testCount, d.n, d.channels]);
  const traj = map.wrapped
    ? conservedRollout(map.wrapped, u0, { steps: rollSteps, target: 'initial' })
    : rollout(map.step, u0, { steps: rollSteps });
  const t = traj.dataSync();
  const u0v = u0.dataSync();
  tf.dispose([u0, traj]);
  const errorCurve: number[] = [];
  const conservationCurve: number[] = [];
  let quad = 0;
  const linChannels = Object.keys(c.linear).map(Number);
  for (let k = 0; k < rollSteps; k++) {
    let e = 0;
    let cons = 0;
    for (let i = 0; i < testCount; i++) {
      const predOff = (k * testCount + i) * size;
      const truth = d.u.subarray(
        ((testFrom + i) * d.samples + k + 1) * size,
        ((testFrom + i) * d.samples + k + 2) * size,
      );
      e += relativeL264(t.subarray(predOff, predOff + size), truth, size)[0] / testCount;
      for (const ch of linChannels) {
        const a = integrals64(t, d, { offset: predOff, channel: ch });
        const r = integrals64(u0v, d, { offset: i * size, channel: ch });
        cons = Math.max(cons, Math.abs(a.s1 - r.s1) / r.abs);
        if (ch === 0 && map.quadratic) quad = Math.max(quad, Math.abs(a.s2 - r.s2) / r.s2);
      }
    }
    errorCurve.push(e);
    conservationCurve.push(cons);
  }
  const tenth = Math.max(1, Math.floor(rollSteps / 10));
  return {
    oneStep,
    rollout20: errorCurve[Math.min(20, rollSteps) - 1],
    rolloutLast: errorCurve[rollSteps - 1],
    conservationLinear: Math.max(...conservationCurve),
    conservationQuadratic: map.quadratic ? quad : null,
    conservationHeadTail: [
      Math.max(...conservationCurve.slice(0, tenth)),
      Math.max(...conservationCurve.slice(-tenth)),
    ] as [number, number],
    errorCurve,
    conservationCurve,
    trajectory: t,
  };
}

/** Progress of {@link runEcfCase}: which training is running and its step. */
export interface EcfProgress {
  label: string;
  step: number;
  total: number;
  loss: number;
}

/**
 * Runs one case: data from the float64 solver, then for each backbone a plain training (evaluated plain and
 * staged-wrapped) and an integrated training (wrapped during training), plus the `+q` variants for cases
 * that conserve ∫u².
 */
export async function runEcfCase(
  c: EcfCase,
  settings: EcfSettings,
  options: { onProgress?: (p: EcfProgress) => void; backend: string },
): Promise<EcfResult> {
  const start = performance.now();
  const { trainTrajectories: nTrain, testTrajectories: nTest, samples } = settings;
  const d = generateCase(c, { count: nTrain + nTest, samples, seed: settings.seed + 1 });
  // data drift of the conserved sums (float64)
  let dl = 0;
  let dq = 0;
  for (let i = 0; i < d.count; i++)
    for (let k = 1; k < samples; k++)
      for (const ch of Object.keys(c.linear).map(Number)) {
        const size = d.n * d.channels;
        const a = integrals64(d.u64, d, { offset: (i * samples + k) * size, channel: ch });
        const r = integrals64(d.u64, d, { offset: i * samples * size, channel: ch });
        dl = Math.max(dl, Math.abs(a.s1 - r.s1) / r.abs);
        if (ch === 0) dq = Math.max(dq, Math.abs(a.s2 - r.s2) / r.s2);
      }
  const rollSteps = samples - 1;
  const inputs = tf.tensor3d(states(d, [0, nTrain], [0, samples - 1]), [
    nTrain * (samples - 1),
    d.n,
    d.channels,
  ]);
  const targets = tf.tensor3d(states(d, [0, nTrain], [1, samples]), [
    nTrain * (samples - 1),
    d.n,
    d.channels,
  ]);
  const split = { testFrom: nTrain, testCount: nTest, rollSteps };
  const rows: EcfRow[] = [];
  let example: EcfResult['example'] = null;
  const specs: Array<{ suffix: '' | '+q'; spec: ConservationSpec }> = [
    { suffix: '', spec: linearSpec(c, d.weights) },
  ];
  if (c.quadratic) specs.push({ suffix: '+q', spec: jointSpec(c, d.weights) });
  try {
    for (const kind of settings.backbones) {
      const fit = async (label: string, forward: (m: NeuralOperator) => (x: tf.Tensor) => tf.Tensor) => {
        const model = makeBackbone(kind, c, settings.seed);
        const t0 = performance.now();
        const r = await trainOperator(forward(model), {
          variables: model.variables,
          inputs,
          targets,
          steps: settings.steps,
          batchSize: settings.batchSize,
          learningRate: settings.learningRate,
          seed: settings.seed,
          onProgress: (i) =>
            options.onProgress?.({ label: `${kind} ${label}`, step: i.step, total: i.total, loss: i.loss }),
        });
        return { model, seconds: (performance.now() - t0) / 1000, loss: r.loss };
      };
      const plain = await fit('plain', (m) => (x) => m.apply(x));
      const base = (x: tf.Tensor) => plain.model.apply(x);
      const ev = evaluate([d, c], { step: base, wrapped: null, quadratic: c.quadratic }, split);
      const { trajectory: plainTraj, ...plainRow } = ev;
      rows.push({
        backbone: kind,
        mode: 'plain',
        ...plainRow,
        trainSeconds: plain.seconds,
        finalLoss: plain.loss,
      });
      let staged0: ArrayLike<number> | null = null;
      for (const { suffix, spec } of specs) {
        const wrapped = withConservation(plain.model, spec);
        const { trajectory, ...row } = evaluate(
          [d, c],
          { step: wrapped, wrapped, quadratic: c.quadratic },
          split,
        );
        if (suffix === '') staged0 = trajectory;
        rows.push({
          backbone: kind,
          mode: `staged${suffix}` as Mode,
          ...row,
          trainSeconds: plain.seconds,
          finalLoss: plain.loss,
        });
      }
      if (kind === 'fno' && staged0) {
        const pick = (arr: ArrayLike<number>, fromTruth: boolean) => {
          const out: number[] = [];
          const size = d.n * d.channels;
          for (let k = 0; k <= rollSteps; k++)
            for (let j = 0; j < d.n; j++) {
              if (fromTruth) out.push(d.u[(nTrain * samples + k) * size + j * d.channels]);
              else if (k === 0) out.push(d.u[nTrain * samples * size + j * d.channels]);
              else out.push(arr[(k - 1) * nTest * size + j * d.channels]);
            }
          return out;
        };
        example = { truth: pick([], true), plain: pick(plainTraj, false), ecf: pick(staged0, false) };
      }
      plain.model.dispose();
      for (const { suffix, spec } of specs) {
        let wrapped: ConservedOperator | null = null;
        const integ = await fit(`integrated${suffix}`, (m) => {
          wrapped = withConservation(m, spec);
          return wrapped;
        });
        const w = wrapped as unknown as ConservedOperator;
        const { trajectory: _t, ...row } = evaluate(
          [d, c],
          { step: w, wrapped: w, quadratic: c.quadratic },
          split,
        );
        rows.push({
          backbone: kind,
          mode: `integrated${suffix}` as Mode,
          ...row,
          trainSeconds: integ.seconds,
          finalLoss: integ.loss,
        });
        integ.model.dispose();
      }
    }
  } finally {
    tf.dispose([inputs, targets]);
  }
  return {
    case: c.name,
    title: c.title,
    setting: c.setting,
    scheme: d.scheme,
    settings,
    backend: options.backend,
    dataDrift: { linear: dl, quadratic: dq },
    rollSteps,
    rows,
    example,
    seconds: (performance.now() - start) / 1000,
  };
}
