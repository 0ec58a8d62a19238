import {
  chainLoss,
  createChargeMonitor,
  defineDenseChain,
  evaluateCharges,
  expectedCharges,
  chargeResidual,
  fit64,
  gradientFlow,
  initWeights64,
  lossAndGrad64,
  lossBarrier,
  noetherCharges,
  regressionData,
  sharpness,
  toTensors,
  train64,
  weightMatch,
  type ChargeSet,
  type Data64,
  type Weights64,
} from '@noether/param-symmetry';
import * as tf from '@tensorflow/tfjs';
import { linePlot } from '../report/svg-plot';

/** What `noether charges-report` runs. */
export interface ChargesReportPlan {
  /** GD steps of the discrete-law check (float32 and float64). */
  lawSteps: number;
  /** Learning rates of the drift table (fixed training time `driftTime`). */
  lrs: number[];
  driftTime: number;
  /**
   * Float32 gradient flow: step and number of steps (implicit midpoint vs RK4). RK4's drift is O(dt⁴): at
   * dt = 0.05 it is ~1e-4, well above float32 round-off, so the comparison measures the method, not rounding.
   */
  flowDt: number;
  flowSteps: number;
  /** Teleportation vs plain GD: steps, learning rate, teleport every k steps. */
  teleportSteps: number;
  teleportLr: number;
  teleportEvery: number;
  /** L-BFGS iterations per network of the barrier experiment, hidden width. */
  barrierIterations: number;
  barrierWidth: number;
  seed: number;
}

/** The `pnpm demo` version (a few seconds). */
export const quickPlan: ChargesReportPlan = {
  lawSteps: 2000,
  lrs: [0.02, 0.01],
  driftTime: 2,
  flowDt: 0.05,
  flowSteps: 60,
  teleportSteps: 300,
  teleportLr: 0.01,
  teleportEvery: 50,
  barrierIterations: 200,
  barrierWidth: 16,
  seed: 1,
};

/** The full report. */
export const fullPlan: ChargesReportPlan = {
  lawSteps: 2000,
  lrs: [0.04, 0.02, 0.01, 0.005, 0.0025],
  driftTime: 4,
  flowDt: 0.05,
  flowSteps: 240,
  teleportSteps: 1000,
  teleportLr: 0.01,
  teleportEvery: 100,
  barrierIterations: 500,
  barrierWidth: 32,
  seed: 1,
};

/** One row of the drift table: relative charge drift after training time `driftTime` at each learning rate. */
interface DriftRow {
  method: 'gd' | 'momentum' | 'adam' | 'implicitMidpoint';
  /** Per learning rate; NaN when the implicit solve did not converge at that step (null in JSON). */
  drift: number[];
}

/** Everything the report measured (the `--json` object). */
export interface ChargesReport {
  /** Max relative per-step residual of the exact discrete law, float32 GD (tfjs), over `lawSteps` steps. */
  discreteLawResidual: number;
  /** The same in float64. */
  discreteLawResidual64: number;
  /** Float32 gradient flow: max relative charge drift, implicit midpoint and RK4 (same dt and steps). */
  implicitMidpointDrift: number;
  rk4Drift: number;
  /** Float64 gradient flow, implicit midpoint: max relative charge drift. */
  implicitMidpointDrift64: number;
  /** Relative error of the measured sharpness against sqrt(Q0^2 + 4 y^2) (max over cases). */
  sharpnessError: number;
  /** Drift vs learning rate (fixed training time). */
  lrs: number[];
  driftTable: DriftRow[];
  teleport: {
    plainLoss: number[];
    teleportLoss: number[];
    teleports: number;
    maxLossChangeAtTeleport: number;
    meanGradNormRatio: number;
  };
  barrier: {
    before: number;
    after: number;
    reduction: number;
    pathBefore: number[];
    pathAfter: number[];
    t: number[];
  };
  /** Warnings of the charge monitor when Adam trains the network (the size of the break). */
  adamBreak: number;
  backend: string;
  plan: ChargesReportPlan;
}

// A C^1 network (linear layer: GL(6) charge; alpha = 2 homogeneous layer: rescaling charge) so that the
// implicit solves of the gradient-flow integrators converge; a ReLU network for the GD law, teleportation
// and weight matching.
const smoothChain = defineDenseChain({
  inputDim: 2,
  layers: [{ units: 6 }, { units: 4, activation: { kind: 'homogeneous', degree: 2 } }, { units: 1 }],
});
const reluChain = defineDenseChain({
  inputDim: 3,
  layers: [{ units: 8, activation: 'relu' }, { units: 6, activation: 'relu' }, { units: 2 }],
});

function tensorsOf(data: Data64, dims: [number, number]): { x: tf.Tensor2D; y: tf.Tensor2D } {
  return {
    x: tf.tensor2d(Float32Array.from(data.x), [data.n, dims[0]]),
    y: tf.tensor2d(Float32Array.from(data.y), [data.n, dims[1]]),
  };
}

/** Max per-step residual of the GD law in float64. */
function law64(set: ChargeSet, w0: Weights64, opts: { data: Data64; lr: number; steps: number }): number {
  let w = w0.map((a) => a.slice());
  let values = evaluateCharges(set, w);
  let worst = 0;
  for (let k = 0; k < opts.steps; k++) {
    const { grads } = lossAndGrad64(set.chain, w, opts.data);
    const expected = expectedCharges(values, grads, { lr: opts.lr });
    w = w.map((a, i) => a.map((v, j) => v - opts.lr * grads[i][j]));
    values = evaluateCharges(set, w);
    worst = Math.max(worst, chargeResidual(values, expected));
  }
  return worst;
}

/** Float32 GD (tfjs) or Adam monitored against the law; returns the max residual. */
function law32(
  set: ChargeSet,
  w0: Weights64,
  opts: { data: Data64; lr: number; steps: number; adam?: boolean },
): number {
  const { x, y } = tensorsOf(opts.data, [3, 2]);
  const vars = toTensors(set.chain, w0).map((t) => tf.variable(t));
  const monitor = createChargeMonitor(set, { lr: opts.lr, onWarning: () => {} });
  let state = monitor.init(vars);
  const adam = opts.adam ? tf.train.adam(opts.lr) : undefined;
  for (let k = 0; k < opts.steps; k++) {
    const { value, grads } = tf.variableGrads(() => chainLoss(set.chain, vars, { x, y }), vars);
    value.dispose();
    const g = vars.map((v) => grads[v.name]);
    if (adam) adam.applyGradients(grads as Parameters<typeof adam.applyGradients>[0]);
    else tf.tidy(() => vars.forEach((v, i) => v.assign(tf.sub(v, tf.mul(opts.lr, g[i])))));
    state = monitor.step(state, g, vars);
    tf.dispose(g);
  }
  adam?.dispose();
  tf.dispose([x, y, ...vars]);
  return Math.max(...state.maxResiduals);
}

/** Number of progress units of a plan. */
export function reportWork(plan: ChargesReportPlan): number {
  return 6 + plan.lrs.length;
}

/**
 * Runs every measurement of the charges report. `onProgress` is called after each part with its name.
 */
export function runChargesReport(
  plan: ChargesReportPlan,
  onProgress: (part: string) => void = () => {},
): ChargesReport {
  const seed = plan.seed;
  // 1. The exact discrete law of GD, float32 (tfjs) and float64, 2000 steps on a ReLU network.
  const reluSet = noetherCharges(reluChain);
  const lawData = regressionData(32, { input: 3, output: 2, seed });
  const wRelu = initWeights64(reluChain, { seed: seed + 1 });
  const discreteLawResidual = law32(reluSet, wRelu, { data: lawData, lr: 0.05, steps: plan.lawSteps });
  const discreteLawResidual64 = law64(reluSet, wRelu, { data: lawData, lr: 0.05, steps: plan.lawSteps });
  const adamBreak = law32(reluSet, wRelu, { data: lawData, lr: 0.01, steps: 50, adam: true });
  onProgress('discrete law');

  // 2. Gradient flow in float32: implicit midpoint vs RK4; float64 implicit midpoint.
  const smoothSet = noetherCharges(smoothChain);
  const flowData = regressionData(32, { input: 2, output: 1, seed });
  const wSmooth = initWeights64(smoothChain, { seed: seed + 2 });
  const { x, y } = tensorsOf(flowData, [2, 1]);
  const wt = toTensors(smoothChain, wSmooth);
  const flow = { data: { x, y }, dt: plan.flowDt, steps: plan.flowSteps };
  const im = gradientFlow(smoothSet, wt, { ...flow, method: 'implicitMidpoint' });
  onProgress('implicit midpoint (float32)');
  const rk = gradientFlow(smoothSet, wt, { ...flow, method: 'rk4' });
  onProgress('rk4 (float32)');
  tf.dispose([x, y, ...wt, ...im.weights, ...rk.weights]);
  const im64 = gradientFlow(smoothSet, wSmooth, {
    data: flowData,
    dt: plan.flowDt,
    steps: plan.flowSteps,
    method: 'implicitMidpoint',
  });
  if (im.status !== 'ok' || im64.status !== 'ok')
    throw new Error(
      `charges-report: implicit midpoint flow ended with status '${im.status}'/'${im64.status}'`,
    );

  // 3. Drift vs learning rate at fixed training time (float64): GD, momentum, Adam, implicit midpoint.
  const methods: DriftRow['method'][] = ['gd', 'momentum', 'adam', 'implicitMidpoint'];
  const driftTable: DriftRow[] = methods.map((method) => ({ method, drift: [] }));
  for (const lr of plan.lrs) {
    const steps = Math.round(plan.driftTime / lr);
    for (const row of driftTable) {
      if (row.method === 'implicitMidpoint') {
        const r = gradientFlow(smoothSet, wSmooth, {
          data: flowData,
          dt: lr,
          steps,
          method: 'implicitMidpoint',
        });
        row.drift.push(r.status === 'ok' ? r.chargeDrift : NaN);
      } else {
        row.drift.push(
          train64(smoothSet, wSmooth, { data: flowData, lr, steps, optimizer: row.method }).chargeDrift,
        );
      }
    }
    onProgress(`drift at lr ${lr}`);
  }

  // 4. Sharpness oracle: L = (uv - y)^2 / 2, lambda_max = sqrt(Q0^2 + 4 y^2) at the minimum reached.
  const scalar = defineDenseChain({
    inputDim: 1,
    layers: [
      { units: 1, useBias: false },
      { units: 1, useBias: false },
    ],
  });
  const scalarSet = noetherCharges(scalar);
  let sharpnessError = 0;
  for (const [u0, v0, yv] of [
    [0.3, 0.1, 1],
    [2, 0.2, 0.5],
    [0.1, 1.5, 2],
    [1, -0.5, 1.5],
  ]) {
    const d = { x: Float64Array.of(1), y: Float64Array.of(yv), n: 1 };
    const r = gradientFlow(scalarSet, [Float64Array.of(u0), Float64Array.of(v0)], {
      data: d,
      dt: 0.01,
      steps: 6000,
    });
    const q0 = u0 * u0 - v0 * v0;
    const oracle = Math.sqrt(q0 * q0 + 4 * yv * yv);
    sharpnessError = Math.max(
      sharpnessError,
      Math.abs(sharpness(scalar, r.weights, d).value - oracle) / oracle,
    );
  }
  onProgress('sharpness oracle');

  // 5. Teleportation vs plain GD (ReLU net, float64).
  const teleChain = defineDenseChain({
    inputDim: 2,
    layers: [{ units: 8, activation: 'relu' }, { units: 1 }],
  });
  const teleSet = noetherCharges(teleChain);
  const teleData = regressionData(64, { input: 2, output: 1, seed: seed + 3 });
  const wTele = initWeights64(teleChain, { seed: seed + 4 });
  const plain = train64(teleSet, wTele, { data: teleData, lr: plan.teleportLr, steps: plan.teleportSteps });
  const tele = train64(teleSet, wTele, {
    data: teleData,
    lr: plan.teleportLr,
    steps: plan.teleportSteps,
    teleport: { every: plan.teleportEvery, steps: 10, stepSize: 0.1, maxGradNormRatio: 5 },
  });
  onProgress('teleportation');

  // 6. Loss barrier between two independently trained MLPs, before and after weight matching.
  const mlp = defineDenseChain({
    inputDim: 2,
    layers: [{ units: plan.barrierWidth, activation: 'relu' }, { units: 1 }],
  });
  const mlpSet = noetherCharges(mlp);
  const bData = regressionData(128, { input: 2, output: 1, seed: seed + 5 });
  const a = fit64(mlp, initWeights64(mlp, { seed: seed + 10 }), {
    data: bData,
    maxIterations: plan.barrierIterations,
  });
  const b = fit64(mlp, initWeights64(mlp, { seed: seed + 20 }), {
    data: bData,
    maxIterations: plan.barrierIterations,
  });
  const before = lossBarrier(mlp, { a: a.weights, b: b.weights }, { data: bData });
  const matched = weightMatch(mlpSet, { a: a.weights, b: b.weights });
  const after = lossBarrier(mlp, { a: a.weights, b: matched.weights }, { data: bData });
  onProgress('weight matching');

  return {
    discreteLawResidual,
    discreteLawResidual64,
    implicitMidpointDrift: im.chargeDrift,
    rk4Drift: rk.chargeDrift,
    implicitMidpointDrift64: im64.chargeDrift,
    sharpnessError,
    lrs: plan.lrs,
    driftTable,
    teleport: {
      plainLoss: plain.losses,
      teleportLoss: tele.losses,
      teleports: tele.teleports.length,
      maxLossChangeAtTeleport: Math.max(0, ...tele.teleports.map((t) => t.lossChange)),
      meanGradNormRatio:
        tele.teleports.reduce((s, t) => s + t.gradNormRatio, 0) / Math.max(1, tele.teleports.length),
    },
    barrier: {
      before: before.barrier,
      after: after.barrier,
      reduction: before.barrier / Math.max(after.barrier, 1e-300),
      pathBefore: before.losses,
      pathAfter: after.losses,
      t: before.t,
    },
    adamBreak,
    backend: tf.getBackend(),
    plan,
  };
}

const fmt = (v: number): string => (Number.isFinite(v) ? v.toExponential(2) : String(v));

/** The targets of issue 15 with their measured values. */
export function targets(
  r: ChargesReport,
): { name: string; target: string; measured: string; met: boolean }[] {
  return [
    {
      name: 'discrete law, float32 GD',
      target: '<= 1e-6 relative',
      measured: fmt(r.discreteLawResidual),
      met: r.discreteLawResidual <= 1e-6,
    },
    {
      name: 'discrete law, float64 GD',
      target: '<= 1e-12 relative',
      measured: fmt(r.discreteLawResidual64),
      met: r.discreteLawResidual64 <= 1e-12,
    },
    {
      name: 'implicit midpoint drift, float32',
      target: '<= 1e-5 relative',
      measured: fmt(r.implicitMidpointDrift),
      met: r.implicitMidpointDrift <= 1e-5,
    },
    {
      name: 'RK4 drift / implicit midpoint drift',
      target: '>= 100',
      measured: (r.rk4Drift / r.implicitMidpointDrift).toFixed(0),
      met: r.rk4Drift >= 100 * r.implicitMidpointDrift,
    },
    {
      name: 'sharpness oracle sqrt(Q0^2 + 4y^2)',
      target: '<= 1e-3 relative',
      measured: fmt(r.sharpnessError),
      met: r.sharpnessError <= 1e-3,
    },
    {
      name: 'loss barrier reduced by weight matching',
      target: 'after < before',
      measured: `${fmt(r.barrier.before)} -> ${fmt(r.barrier.after)} (${r.barrier.reduction.toFixed(1)}x)`,
      met: r.barrier.after < r.barrier.before,
    },
  ];
}

/** The markdown report. */
export function renderMarkdown(r: ChargesReport): string {
  const lines = [
    '# Noether charges of training (noether charges-report)',
    '',
    `Backend ${r.backend}. Float32 runs use tfjs; float64 runs use plain TypeScript (@noether/param-symmetry).`,
    '',
    '## Targets',
    '',
    '| quantity | target | measured | met |',
    '| --- | --- | --- | --- |',
    ...targets(r).map((t) => `| ${t.name} | ${t.target} | ${t.measured} | ${t.met ? 'yes' : 'NO'} |`),
    '',
    `Implicit midpoint in float64: max relative charge drift ${fmt(r.implicitMidpointDrift64)}. ` +
      `Adam breaks the plain-GD law by ${fmt(r.adamBreak)} relative within 50 steps (the monitor warns).`,
    '',
    `## Charge drift vs learning rate (training time ${r.plan.driftTime}, float64, linear + ReLU^2 network)`,
    '',
    `| method | ${r.lrs.map((lr) => `lr ${lr}`).join(' | ')} |`,
    `| --- | ${r.lrs.map(() => '---').join(' | ')} |`,
    ...r.driftTable.map(
      (row) =>
        `| ${row.method} | ${row.drift.map((d) => (Number.isNaN(d) ? 'not converged' : fmt(d))).join(' | ')} |`,
    ),
    '',
    'Plain GD and momentum drift O(lr) at fixed training time; Adam does not vanish with lr; implicit midpoint',
    'keeps the charges to round-off ("not converged": the fixed-point solve of the implicit step does not',
    'contract at that step size; the step needs dt * lambda_max(Hessian) small enough).',
    '',
    '## Teleportation vs plain GD',
    '',
    `${r.teleport.teleports} teleports (every ${r.plan.teleportEvery} steps); loss change at a teleport <= ` +
      `${fmt(r.teleport.maxLossChangeAtTeleport)} relative; mean gradient-norm gain ${r.teleport.meanGradNormRatio.toFixed(2)}x. ` +
      `Final loss: plain ${fmt(r.teleport.plainLoss[r.teleport.plainLoss.length - 1])}, ` +
      `with teleport ${fmt(r.teleport.teleportLoss[r.teleport.teleportLoss.length - 1])}.`,
    '',
    '## Loss barrier (linear path between two independently trained MLPs)',
    '',
    `Before weight matching ${fmt(r.barrier.before)}, after ${fmt(r.barrier.after)} (reduced ${r.barrier.reduction.toFixed(1)}x).`,
    '',
    'Plots: drift-vs-lr.svg, teleport.svg, barrier.svg.',
    '',
  ];
  return lines.join('\n');
}

/** The three SVG plots, by file name. */
export function renderPlots(r: ChargesReport): Record<string, string> {
  const steps = (n: number) => Array.from({ length: n }, (_, i) => i);
  return {
    'drift-vs-lr.svg': linePlot(
      r.driftTable.map((row) => ({
        label: row.method,
        x: r.lrs,
        y: row.drift.map((d) => Math.max(d, 1e-17)),
      })),
      {
        title: `Charge drift at fixed training time ${r.plan.driftTime} (float64)`,
        xLabel: 'learning rate / dt',
        yLabel: 'max relative charge drift',
        logX: true,
        logY: true,
      },
    ),
    'teleport.svg': linePlot(
      [
        { label: 'plain GD', x: steps(r.teleport.plainLoss.length), y: r.teleport.plainLoss },
        {
          label: `GD + teleport every ${r.plan.teleportEvery}`,
          x: steps(r.teleport.teleportLoss.length),
          y: r.teleport.teleportLoss,
        },
      ],
      { title: 'Teleportation vs plain GD (ReLU MLP)', xLabel: 'step', yLabel: 'loss', logY: true },
    ),
    'barrier.svg': linePlot(
      [
        { label: 'before matching', x: r.barrier.t, y: r.barrier.pathBefore },
        { label: 'after weight matching', x: r.barrier.t, y: r.barrier.pathAfter },
      ],
      { title: 'Loss along the linear path A -> B', xLabel: 't', yLabel: 'loss' },
    ),
  };
}
