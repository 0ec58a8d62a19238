// The project's side of the peer benchmark (`pnpm bench:peers`, scripts/peer-bench/run.mjs): imports the BUILT
// packages of this checkout and times one task, printing one JSON line. Adapted from ../shared/peer-bench/
// ours_bench.mjs (same tasks, weights, inputs and --dump format) with the `tensorflow` backend
// (@tensorflow/tfjs-node from `pnpm setup:tfjs-node`) and the nested-reverse variants of the Taylor-mode tasks.
//
//   node scripts/peer-bench/ours-task.mjs --task hnn|hessian|laplacian|lapgrad|kdv|matmul \
//        [--backend wasm|cpu|tensorflow] [--threads N] [--reps 20] [--warmup 3] [--variant taylor|reverse]
//
// --variant reverse (laplacian, lapgrad, kdv): the nested-reverse path the Taylor mode replaced (laplacian via
// autodiff partials({ mode: 'reverse' }), kdv via pinn-proj partials({ mode: 'reverse' })).
//
// Tasks (same shapes and float32 as hnn_peer.py / pinn_peer.py / matmul_peer.py):
//   hnn       one HNN training step: batch 512, MLP 4-200-200-1 tanh, loss = mean((J grad_x H - target)^2),
//             Adam(1e-3) via optimizer.minimize -- exactly packages/autodiff/bench/hnn-training-step.ts
//             (order-safe gradients, the package's default once imported).
//   hessian   per-row Hessians [1024,3,3] of a 3-64-64-1 tanh MLP: hessian(f, {batched: true}).
//   laplacian per-row Laplacians [1024] of the same MLP: laplacian(f, {batched: true}).
//   lapgrad   loss = mean(laplacian^2) and its gradient w.r.t. all 6 weight tensors (tf.variableGrads).
//   kdv       KdV residual u_t + u u_x + 0.0025 u_xxx on 10,000 points via pinn-proj `partials`, MLP
//             2 -> 8 x 20 tanh -> 1, loss = mean(r^2) and its gradient w.r.t. all 18 weight tensors
//             (the "plain PINN" variant of packages/pinn-proj/bench/kdv-step.ts).
//   matmul    1024x1024 float32 matMul.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const argv = process.argv;
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
};
const repo = path.resolve(arg('repo', path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..')));
const variant = arg('variant', 'taylor');
const task = arg('task', 'hnn');
const backend = arg('backend', 'wasm');
const reps = Number(arg('reps', '20'));
const warmup = Number(arg('warmup', '3'));

// Resolve tfjs exactly as the built packages do (same module instance).
const req = createRequire(path.join(repo, 'packages/autodiff/package.json'));
const load = (spec) => import(pathToFileURL(req.resolve(spec)).href);
const tf = await load('@tensorflow/tfjs');
const wasmMod = await load('@tensorflow/tfjs-backend-wasm');
const autodiff = await import(pathToFileURL(path.join(repo, 'packages/autodiff/dist/index.js')).href);
const pinn =
  task === 'kdv'
    ? await import(pathToFileURL(path.join(repo, 'packages/pinn-proj/dist/index.js')).href)
    : null;
// --threads N (tensorflow): TensorFlow's intra-op threads, read once when tfjs-node loads (as initBackend's
// `threads` option does); torch eager runs with 1.
if (arg('threads', null) !== null) process.env.TF_NUM_INTRAOP_THREADS = arg('threads', null);
if (backend === 'tensorflow')
  await import(
    pathToFileURL(createRequire(path.join(repo, 'package.json')).resolve('@tensorflow/tfjs-node')).href
  );
if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} unavailable`);
await tf.ready();
let threads = 1;
if (backend === 'wasm') threads = wasmMod.getThreadsCount();
if (backend === 'tensorflow') threads = Number(process.env.TF_NUM_INTRAOP_THREADS ?? 0) || 'default';

function mlpVars(sizes, init, seed) {
  const vars = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const w =
      init === 'glorot'
        ? tf.randomUniform(
            [sizes[l], sizes[l + 1]],
            -Math.sqrt(6 / (sizes[l] + sizes[l + 1])),
            Math.sqrt(6 / (sizes[l] + sizes[l + 1])),
            'float32',
            seed + l,
          )
        : tf.randomNormal([sizes[l], sizes[l + 1]], 0, 1 / Math.sqrt(sizes[l]), 'float32', seed + l);
    vars.push(tf.variable(w));
    vars.push(
      tf.variable(
        init === 'glorot'
          ? tf.zeros([sizes[l + 1]])
          : tf.randomNormal([sizes[l + 1]], 0, 0.1, 'float32', seed + 10 + l),
      ),
    );
  }
  return vars;
}
function mlpApply(vars, x) {
  let h = x;
  for (let i = 0; i < vars.length; i += 2) {
    h = tf.add(tf.matMul(h, vars[i]), vars[i + 1]);
    if (i + 2 < vars.length) h = tf.tanh(h);
  }
  return h;
}

let step; // () => void, synchronous, forces completion with a data read
let check = () => null; // a number to compare against the peers (sanity), computed once
let cleanup;
let dumpables = {}; // tensors (or arrays of them) written by --dump for the Python peers

// The Laplacian: the package default (forward Laplacian) or nested reverse (autodiff partials, mode 'reverse':
// the trace of one reverse-over-reverse pass over d stacked copies of the batch).
const lapOf = (f) => {
  if (variant !== 'reverse') return autodiff.laplacian(f, { batched: true });
  return (x) =>
    tf.tidy(
      () =>
        autodiff.partials(f, x, { requests: [{ laplacian: true }], batched: true, mode: 'reverse' })
          .derivatives[0],
    );
};

if (task === 'hnn') {
  const sizes = [4, 200, 200, 1];
  const params = [];
  for (let l = 0; l < 3; l++) {
    params.push(
      tf.variable(tf.randomNormal([sizes[l], sizes[l + 1]], 0, 1 / Math.sqrt(sizes[l]), 'float32', l + 1)),
    );
    params.push(tf.variable(tf.zeros([sizes[l + 1]])));
  }
  const H = (x) => tf.sum(mlpApply(params, x));
  const x = tf.randomNormal([512, 4], 0, 1, 'float32', 42);
  const target = tf.randomNormal([512, 4], 0, 1, 'float32', 43);
  const optimizer = tf.train.adam(1e-3);
  check = () =>
    tf.tidy(() => {
      const g = autodiff.grad(H)(x);
      const [dq, dp] = tf.split(g, 2, 1);
      return tf.mean(tf.square(tf.sub(tf.concat([dp, tf.neg(dq)], 1), target))).dataSync()[0];
    });
  dumpables = { params, x, target };
  step = () => {
    const loss = optimizer.minimize(
      () => {
        const g = autodiff.grad(H)(x);
        const [dq, dp] = tf.split(g, 2, 1);
        return tf.mean(tf.square(tf.sub(tf.concat([dp, tf.neg(dq)], 1), target)));
      },
      true,
      params,
    );
    loss.dataSync();
    loss.dispose();
  };
  cleanup = () => {
    optimizer.dispose();
    tf.dispose([...params, x, target]);
  };
} else if (task === 'hessian' || task === 'laplacian' || task === 'lapgrad') {
  const vars = mlpVars([3, 64, 64, 1], 'normal', 10);
  const x = tf.randomNormal([1024, 3], 0, 1, 'float32', 5);
  const rowwise = (t) => tf.reshape(mlpApply(vars, t), [-1]);
  dumpables = { params: vars, x };
  if (task === 'hessian') {
    const h = autodiff.hessian(rowwise, { batched: true });
    step = () =>
      tf.tidy(() => {
        h(x).dataSync();
      });
    check = () => tf.tidy(() => tf.sum(tf.abs(h(x))).dataSync()[0]);
  } else if (task === 'laplacian') {
    const lap = lapOf(rowwise);
    step = () =>
      tf.tidy(() => {
        lap(x).dataSync();
      });
    check = () => tf.tidy(() => tf.sum(tf.abs(lap(x))).dataSync()[0]);
  } else {
    const lap = lapOf(rowwise);
    const run = () => {
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(lap(x))), vars);
      const v = value.dataSync()[0];
      for (const g of Object.values(grads)) g.dataSync();
      tf.dispose([value, ...Object.values(grads)]);
      return v;
    };
    step = () => {
      run();
    };
    check = run;
  }
  cleanup = () => tf.dispose([...vars, x]);
} else if (task === 'kdv') {
  const vars = mlpVars([2, 20, 20, 20, 20, 20, 20, 20, 20, 1], 'glorot', 1);
  const apply = (x) => tf.tidy(() => mlpApply(vars, x));
  const sample = pinn.sampleOnTimeLevels({
    times: pinn.timeGrid(0, 0.99, 100),
    pointsPerLevel: 100,
    spatial: [[0, 2]],
    seed: 1,
  });
  const xt = tf.tensor2d(sample.xt, [sample.count, 2]);
  dumpables = { params: vars, x: xt };
  const run = () => {
    const { value, grads } = tf.variableGrads(() => {
      const d = pinn.partials(apply, xt, {
        names: ['t', 'x', 'xxx'],
        mode: variant === 'reverse' ? 'reverse' : 'auto',
      });
      const r = tf.add(tf.add(d.t, tf.mul(d.u, d.x)), tf.mul(0.0025, d.xxx));
      return tf.mean(tf.square(r));
    }, vars);
    const v = value.dataSync()[0];
    tf.tidy(() => tf.concat(vars.map((w) => tf.reshape(grads[w.name], [-1]))).dataSync());
    tf.dispose([value, ...Object.values(grads)]);
    return v;
  };
  step = () => {
    run();
  };
  check = run;
  cleanup = () => tf.dispose([...vars, xt]);
} else if (task === 'matmul') {
  const n = Number(arg('n', '1024'));
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  step = () =>
    tf.tidy(() => {
      tf.matMul(a, b).dataSync();
    });
  cleanup = () => tf.dispose([a, b]);
} else {
  throw new Error(`unknown task ${task}`);
}

const dump = arg('dump', null);
if (dump !== null) {
  // weights and inputs as JSON ({name: {shape, data}} or lists of them), so the peers run the same numbers
  const enc = (t) => ({ shape: t.shape, data: Array.from(t.dataSync()) });
  const obj = {};
  for (const [k, v] of Object.entries(dumpables)) obj[k] = Array.isArray(v) ? v.map(enc) : enc(v);
  (await import('node:fs')).writeFileSync(dump, JSON.stringify(obj));
}
const c0 = check(); // before any step: the value at the initial (dumped) weights
if (arg('inspector-profile', null) !== null) {
  // warm-up, then a V8 CPU profile of exactly `steps` steps (no module loading or compilation in it)
  const inspector = await import('node:inspector');
  const session = new inspector.Session();
  session.connect();
  const post = (method, params = {}) =>
    new Promise((resolve, reject) =>
      session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))),
    );
  for (let i = 0; i < warmup; i++) step();
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: Number(arg('interval-us', '200')) });
  await post('Profiler.start');
  const t0 = performance.now();
  for (let i = 0; i < Number(arg('steps', '30')); i++) step();
  const ms = (performance.now() - t0) / Number(arg('steps', '30'));
  const { profile } = await post('Profiler.stop');
  (await import('node:fs')).writeFileSync(arg('inspector-profile', null), JSON.stringify(profile));
  console.log(
    JSON.stringify({
      impl: `ours-${backend}`,
      task,
      profiledSteps: Number(arg('steps', '30')),
      msPerStepWhileProfiling: ms,
    }),
  );
  process.exit(0);
}
if (arg('trace-kernel', null) !== null) {
  // after warm-up, one step with every call of kernel --trace-kernel logged (inputs' shapes, attrs, ms)
  for (let i = 0; i < warmup; i++) step();
  const config = tf.getKernel(arg('trace-kernel', null), tf.getBackend());
  const inner = config.kernelFunc;
  config.kernelFunc = (a) => {
    const t0 = performance.now();
    const out = inner(a);
    const ms = performance.now() - t0;
    const shapes = Object.entries(a.inputs)
      .map(([k, t]) => `${k}[${t.shape}]`)
      .join(' ');
    console.error(`${ms.toFixed(3).padStart(8)} ms ${shapes} ${JSON.stringify(a.attrs ?? {})}`);
    return out;
  };
  step();
  process.exit(0);
}
if (argv.includes('--kernel-profile')) {
  // after warm-up, tf.profile of `steps` steps: per kernel name, calls and wall ms per step (stderr table)
  for (let i = 0; i < warmup; i++) step();
  const steps = Number(arg('steps', '10'));
  const byName = new Map();
  let wall = 0;
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    const info = await tf.profile(() => {
      step();
    });
    wall += performance.now() - t0;
    for (const k of info.kernels) {
      const e = byName.get(k.name) ?? { calls: 0, ms: 0 };
      e.calls += 1;
      e.ms += await k.kernelTimeMs;
      byName.set(k.name, e);
    }
  }
  const rows = [...byName].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((s, [, e]) => s + e.ms, 0);
  for (const [name, e] of rows)
    console.error(
      `${name.padEnd(22)} ${(e.calls / steps).toFixed(1).padStart(7)} calls ${(e.ms / steps).toFixed(3).padStart(9)} ms`,
    );
  console.error(
    `kernels ${(total / steps).toFixed(2)} ms of ${(wall / steps).toFixed(2)} ms wall per step (profiled)`,
  );
  process.exit(0);
}
if (arg('profile', null) !== null) {
  // untimed loop for node --cpu-prof (the profile then also holds module loading and the first steps)
  for (let i = 0; i < Number(arg('steps', '30')); i++) step();
  console.log(JSON.stringify({ impl: `ours-${backend}`, task, profiledSteps: Number(arg('steps', '30')) }));
  process.exit(0);
}
for (let i = 0; i < warmup; i++) step();
const times = [];
for (let i = 0; i < reps; i++) {
  const t0 = performance.now();
  step();
  times.push(performance.now() - t0);
}
const sorted = [...times].sort((p, q) => p - q);
const med =
  sorted.length % 2
    ? sorted[sorted.length >> 1]
    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
const out = {
  impl: `ours-${backend}`,
  intraOpThreads: process.env.TF_NUM_INTRAOP_THREADS ?? null,
  variant,
  task,
  threads,
  reps,
  min_ms: sorted[0],
  median_ms: med,
  times_ms: times.map((t) => +t.toFixed(3)),
};
if (task === 'matmul') {
  const n = Number(arg('n', '1024'));
  out.gflops = (2 * n ** 3) / (sorted[0] / 1e3) / 1e9;
}
if (c0 !== null) out.check = c0;
out.tfjs = tf.version.tfjs;
out.numTensorsAfter = tf.memory().numTensors;
cleanup();
console.log(JSON.stringify(out));
