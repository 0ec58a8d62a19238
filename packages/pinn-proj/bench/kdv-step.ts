/**
 * Benchmark: one KdV PINN-Proj training step (loss + gradient w.r.t. all weights), MLP 2 -> 8 x 20 tanh -> 1,
 * residual u~_t + u~ u~_x + 0.0025 u~_xxx on 1e4 collocation points on 100 shared time levels, 256-node grid on
 * [0, 2] (weight 1/128), linear constraint. Compares:
 *  - grouped:   withProjection (grid integrals once per distinct time: 100 x 256 grid evaluations),
 *  - per-point: the reference code's formulation (projectPerPoint: the net on the whole 256 grid for every
 *               query point). Too slow at 1e4 points on this machine, so it is measured at two subsample
 *               sizes and extrapolated LINEARLY in the number of points (its cost is linear in N).
 *  - plain:     the PINN without projection (lower bound).
 *
 * Run: pnpm --filter @noether/pinn-proj bench
 *   (or: pnpm tsx --conditions=@noether/source packages/pinn-proj/bench/kdv-step.ts [backend] [subsample] [rounds])
 */
import * as tf from '@tensorflow/tfjs';
import { seededMlp } from '@noether/test-utils';
import '@tensorflow/tfjs-backend-wasm';
import {
  partials,
  projectPerPoint,
  quadrature,
  sampleOnTimeLevels,
  timeGrid,
  withProjection,
} from '../src/index';
import type { TimeLevels } from '../src/index';

/** The benchmarks' network: 2 -> 8 x 20 tanh -> 1, seeded Glorot-uniform (@noether/test-utils). */
const mlp = (seed: number) => seededMlp({ seed });

type U = (xt: tf.Tensor2D) => tf.Tensor;

/** One training step: KdV residual loss and its gradient w.r.t. every weight. Returns [ms, loss, grads]. */
function step(u: U, xt: tf.Tensor2D, vars: tf.Variable[]): { ms: number; loss: number; grad: Float32Array } {
  const start = performance.now();
  const { value, grads } = tf.variableGrads(() => {
    const d = partials(u, xt, ['t', 'x', 'xxx']);
    const r = tf.add(tf.add(d.t, tf.mul(d.u, d.x)), tf.mul(0.0025, d.xxx));
    return tf.mean(tf.square(r)) as tf.Scalar;
  }, vars);
  const loss = value.dataSync()[0];
  const grad = tf.tidy(
    () => tf.concat(vars.map((v) => tf.reshape(grads[v.name], [-1]))).dataSync() as Float32Array,
  );
  const ms = performance.now() - start;
  tf.dispose([value, ...Object.values(grads)]);
  return { ms, loss, grad };
}

function best(run: () => { ms: number }, repeats: number): number {
  let m = Infinity;
  for (let i = 0; i < repeats; i++) m = Math.min(m, run().ms);
  return m;
}

async function main() {
  const backend = process.argv[2] ?? 'wasm';
  const sub = 2 * Math.ceil(Number(process.argv[3] ?? 20) / 2);
  await tf.setBackend(backend);
  await tf.ready();
  const net = mlp(1);
  const grid = quadrature('uniform', [0, 2], { n: 256, nodes: 'left' });
  const constraint = { type: 'linear' as const, c1: 1.493648265624854 }; // ∫_0^2 exp(-(x-1)^2) dx
  const sample = sampleOnTimeLevels({
    times: timeGrid(0, 0.99, 100),
    pointsPerLevel: 100,
    spatial: [[0, 2]],
    seed: 1,
  });
  const xt = tf.tensor2d(sample.xt, [sample.count, 2]);
  const projected = withProjection(net.apply, { grid, constraint });
  const grouped: U = (z) => projected(z, { levels: sample.levels });
  const perPoint: U = (z) => projectPerPoint(net.apply, z, { grid, constraint, chunkSize: 32 });

  // agreement on a subsample: two points on each of sub/2 levels (grouped: sub/2 grid passes; per-point: sub)
  const agree = 20;
  const pick = Array.from({ length: agree }, (_, i) => Math.floor(i / 2) * 100 + (i % 2));
  const xs = tf.gather(xt, pick) as tf.Tensor2D;
  const subLevels: TimeLevels = {
    times: Float64Array.from({ length: agree / 2 }, (_, k) => sample.levels.times[k]),
    index: Int32Array.from(pick.map((_, i) => Math.floor(i / 2))),
  };
  const a = step((z) => projected(z, { levels: subLevels }), xs, net.vars);
  const b = step(perPoint, xs, net.vars);
  let maxRel = Math.abs(a.loss - b.loss) / Math.abs(b.loss);
  let gmax = 0;
  for (let i = 0; i < a.grad.length; i++) gmax = Math.max(gmax, Math.abs(b.grad[i]));
  for (let i = 0; i < a.grad.length; i++) maxRel = Math.max(maxRel, Math.abs(a.grad[i] - b.grad[i]) / gmax);

  // timing subsets for the per-point formulation: sub and 2 sub points spread over all levels
  const strided = (m: number) =>
    tf.gather(
      xt,
      Array.from({ length: m }, (_, i) => Math.floor((i * 10000) / m)),
    ) as tf.Tensor2D;
  const xs1 = strided(sub);
  const xs2 = strided(2 * sub);
  const prepared = () => {
    const start = performance.now();
    const { value, grads } = tf.variableGrads(() => {
      const u = projected.prepare(sample.levels);
      const d = partials(u, xt, ['t', 'x', 'xxx']);
      return tf.mean(tf.square(tf.add(tf.add(d.t, tf.mul(d.u, d.x)), tf.mul(0.0025, d.xxx)))) as tf.Scalar;
    }, net.vars);
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
    return { ms: performance.now() - start };
  };
  // The machine is shared: run the variants in interleaved rounds and keep each one's fastest time.
  const variants: Record<string, () => { ms: number }> = {
    plain: () => step(net.apply, xt, net.vars),
    grouped: () => step(grouped, xt, net.vars),
    prepared,
    per1: () => step(perPoint, xs1, net.vars),
    per2: () => step(perPoint, xs2, net.vars),
  };
  const times: Record<string, number> = Object.fromEntries(Object.keys(variants).map((k) => [k, Infinity]));
  const rounds = Number(process.argv[4] ?? 3);
  for (let r = 0; r < rounds; r++)
    for (const [k, run] of Object.entries(variants)) times[k] = Math.min(times[k], best(run, 1));
  const { plain: tPlain, grouped: tGrouped, prepared: tPrep, per1: tPer1, per2: tPer2 } = times;
  const slope = (tPer2 - tPer1) / sub;
  const tPerFull = tPer2 + slope * (10000 - 2 * sub);

  const rows = [
    `backend: ${tf.getBackend()}; MLP 2 -> 8 x 20 tanh -> 1; KdV residual (u_t, u_x, u_xxx) on 10,000 points / 100 time levels; grid 256`,
    `grouped vs per-point on ${agree} points (2 per level): max relative difference of loss and weight gradient ${maxRel.toExponential(2)}`,
    '',
    '| variant | points | grid evaluations per u~ call | step time (ms) | vs grouped |',
    '|---|---:|---:|---:|---:|',
    `| plain PINN (no projection) | 10000 | 0 | ${tPlain.toFixed(0)} | ${(tPlain / tGrouped).toFixed(2)}x |`,
    `| PINN-Proj grouped (withProjection) | 10000 | 25,600 | ${tGrouped.toFixed(0)} | 1.00x |`,
    `| PINN-Proj grouped + prepare (correction once per loss) | 10000 | 25,600 once | ${tPrep.toFixed(0)} | ${(tPrep / tGrouped).toFixed(2)}x |`,
    `| PINN-Proj per-point, measured | ${sub} | ${(sub * 256).toLocaleString('en-US')} | ${tPer1.toFixed(0)} | |`,
    `| PINN-Proj per-point, measured | ${2 * sub} | ${(2 * sub * 256).toLocaleString('en-US')} | ${tPer2.toFixed(0)} | |`,
    `| PINN-Proj per-point, extrapolated (linear in N) | 10000 | 2,560,000 | ${tPerFull.toFixed(0)} | ${(tPerFull / tGrouped).toFixed(1)}x |`,
    '',
    `speed-up of grouping by time level: ${(tPerFull / tGrouped).toFixed(0)}x; with prepare: ${(tPerFull / tPrep).toFixed(0)}x (per-point extrapolated from ${sub} and ${2 * sub} points)`,
  ];
  console.log(rows.join('\n'));
  tf.dispose([xt, xs, xs1, xs2, ...net.vars]);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
