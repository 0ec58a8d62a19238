/**
 * Benchmark: one L-BFGS iteration's own cost (two-loop recursion, line-search bookkeeping, history update)
 * against the loss-and-gradient evaluations it wraps, on a PINN-sized problem: MLP 2 -> 8 x 20 tanh -> 1
 * (3,021 parameters), mean-squared loss over N points, float32 tfjs.
 *
 * Run: pnpm --filter @noether/optim bench   (or: pnpm tsx packages/optim/bench/lbfgs-overhead.ts [backend])
 */
import * as tf from '@tensorflow/tfjs';
import { seededMlp } from '@noether/test-utils';
import '@tensorflow/tfjs-backend-wasm';
import { createLbfgs, tensorOps, variablesObjective } from '../src/index';

/** The benchmarks' network: 2 -> 8 x 20 tanh -> 1, seeded Glorot-uniform (@noether/test-utils). */
const mlp = (seed: number) => seededMlp({ seed });

async function main() {
  const backend = process.argv[2] ?? 'wasm';
  await tf.setBackend(backend);
  await tf.ready();
  const rows: string[] = [];
  rows.push(`backend: ${tf.getBackend()}`);
  rows.push(
    '| points | history | eval (ms) | evals/iter | L-BFGS overhead/iter (ms) | overhead / one eval |',
  );
  rows.push('|---:|---:|---:|---:|---:|---:|');
  for (const points of [1000, 10000]) {
    for (const history of [10, 50]) {
      const net = mlp(1);
      const x = tf.randomUniform([points, 2], 0, 2, 'float32', 2) as tf.Tensor2D;
      const target = tf.tidy(() => tf.sin(tf.sum(x, 1, true)));
      const loss = () => tf.tidy(() => tf.mean(tf.square(tf.sub(net.apply(x), target))) as tf.Scalar);
      const obj = variablesObjective(loss, net.vars);
      let evalMs = 0;
      let evals = 0;
      const timed = (p: tf.Tensor1D) => {
        const t0 = performance.now();
        const out = obj.lossAndGrad(p);
        evalMs += performance.now() - t0;
        evals++;
        return out;
      };
      const lbfgs = createLbfgs(tensorOps, {
        historySize: history,
        changeTol: 0,
        gradTol: 0,
      });
      const x0 = obj.read();
      let s = lbfgs.init(x0, timed);
      x0.dispose();
      // Fill the history first so the two-loop recursion runs at full length.
      for (let i = 0; i < history + 2 && s.status === 'running'; i++) s = lbfgs.step(s, timed);
      evalMs = 0;
      evals = 0;
      const iters = points > 5000 ? 10 : 30;
      const t0 = performance.now();
      let done = 0;
      for (; done < iters && s.status === 'running'; done++) s = lbfgs.step(s, timed);
      const total = performance.now() - t0;
      const perEval = evalMs / evals;
      const overhead = (total - evalMs) / done;
      rows.push(
        `| ${points} | ${history} | ${perEval.toFixed(2)} | ${(evals / done).toFixed(2)} | ${overhead.toFixed(2)} | ${(overhead / perEval).toFixed(3)} |`,
      );
      lbfgs.dispose(s);
      tf.dispose([x, target, ...net.vars]);
    }
  }
  console.log(rows.join('\n'));
}

await main();
