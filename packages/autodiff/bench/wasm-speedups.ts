/**
 * Benchmark (c): what this package's wasm speed-ups buy, before/after in one process. Workloads: one HNN
 * training step (batch 512, MLP 4-200-200-1 tanh, loss on J grad_x H, its weight gradient; no optimizer
 * update, so every variant sees the same weights), per-row Hessians (1024 points, 3-64-64-1 tanh,
 * `hessian(f, { batched: true })`, Taylor mode, and the same by nested reverse, its fallback), the Laplacian
 * loss and its weight gradient (same net and points, `laplacian(f, { batched: true })`) and a KdV residual loss
 * and its weight gradient (10,000 points, MLP 2 -> 8 x 20 tanh -> 1, u_t, u_x, u_xxx by `partials`), the peer
 * benchmark's tasks. Variants: `before` (tfjs-backend-wasm's own kernels, every gradient switch off),
 * `after` (everything on), `after without X` for each speed-up and `after without the SIMD module` (its
 * kernels' fallbacks). Rounds are interleaved (every variant once per round) so load drift hits all alike;
 * best and median wall time per call, and the best process CPU time (less sensitive to other processes on a
 * loaded machine). The kernel replacements act on wasm only; the gradient switches act on every backend.
 *
 *   pnpm tsx packages/autodiff/bench/wasm-speedups.ts [--backend wasm|cpu|tensorflow] [--rounds 6] [--reps 5]
 *        [--workloads hnn,hessian,hessian-reverse,lapgrad,kdv] [--variants =after,only]
 *        (variants: substrings, =exact; 'before' always runs)
 */
import * as tf from '@tensorflow/tfjs';
import { fastPaths } from '../src/fast-paths';
import { untileRows } from '../src/batch-tiling';
import { batchedHessianRows } from '../src/hessian';
import { grad, hessian, laplacian, partials } from '../src/index';
import { useOrderSafeGradients } from '../src/register-gradients';
import { setSimdKernelsEnabled } from '../src/wasm-kernels/simd-kernels';
import { useFastWasmKernels, WASM_KERNEL_OVERRIDES } from '../src/wasm-kernels/install-wasm-kernels';
import { argValue, median, table, useBackend } from './bench-util';

export interface SpeedupRow {
  backend: string;
  workload: string;
  variant: string;
  bestMs: number;
  medianMs: number;
  bestCpuMs: number;
  /** Result checksum (sum of |values|), equal across variants up to float32 rounding. */
  check: number;
}

type Workload = { name: string; run: () => number; dispose: () => void };

function mlp(sizes: number[], seed: number, biasStd: number) {
  const params: tf.Tensor[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    params.push(tf.randomNormal([sizes[l], sizes[l + 1]], 0, 1 / Math.sqrt(sizes[l]), 'float32', seed + l));
    params.push(
      biasStd === 0
        ? tf.zeros([sizes[l + 1]])
        : tf.randomNormal([sizes[l + 1]], 0, biasStd, 'float32', seed + 10 + l),
    );
  }
  const apply = (x: tf.Tensor, p: tf.Tensor[] = params) => {
    let h = x;
    for (let l = 0; l < p.length; l += 2) {
      h = tf.add(tf.matMul(h as tf.Tensor2D, p[l] as tf.Tensor2D), p[l + 1]);
      if (l + 2 < p.length) h = tf.tanh(h);
    }
    return h;
  };
  return { params, apply };
}

/** Sum of |values| of `result` (the variants' checksum), read outside tf.tidy; disposes it. */
function sumAbsAndDispose(result: tf.Tensor): number {
  // A typed array returned from tf.tidy would be walked element by element.
  const values = result.dataSync();
  result.dispose();
  let check = 0;
  for (const v of values) check += Math.abs(v);
  return check;
}

/** One loss-and-gradient evaluation; returns the loss plus the sum of |gradient| (the variants' checksum). */
function runStep(
  step: (params: tf.Tensor[]) => { value: tf.Scalar; grads: tf.Tensor[] },
  params: tf.Tensor[],
): number {
  const { value, grads } = step(params);
  let check = value.dataSync()[0];
  for (const g of grads) check += tf.tidy(() => tf.sum(tf.abs(g)).dataSync()[0]);
  tf.dispose([value, ...grads]);
  return check;
}

function hnnStep(): Workload {
  const { params, apply } = mlp([4, 200, 200, 1], 1, 0);
  const x = tf.randomNormal([512, 4], 0, 1, 'float32', 42);
  const target = tf.randomNormal([512, 4], 0, 1, 'float32', 43);
  const trained = params.slice(0, -1); // the output bias has no influence on grad_x H
  const loss = (...p: tf.Tensor[]) => {
    const H = (t: tf.Tensor) => tf.sum(apply(t, [...p, params[params.length - 1]]));
    const [dq, dp] = tf.split(grad(H)(x), 2, 1);
    return tf.mean(tf.square(tf.sub(tf.concat([dp, tf.neg(dq)], 1), target))) as tf.Scalar;
  };
  const step = tf.valueAndGrads(loss);
  return {
    name: 'HNN step (512, 4-200-200-1)',
    run: () => runStep(step, trained),
    dispose: () => tf.dispose([...params, x, target]),
  };
}

/** The same Hessians by nested reverse (the fallback when a kernel has no Taylor rule): reverse mode's cost. */
function perRowHessiansReverse(): Workload {
  const { params, apply } = mlp([3, 64, 64, 1], 10, 0.1);
  const x = tf.randomNormal([1024, 3], 0, 1, 'float32', 5) as tf.Tensor2D;
  const f = (t: tf.Tensor) => tf.reshape(apply(t), [-1]);
  return {
    name: 'per-row Hessians, nested reverse (1024, 3-64-64-1)',
    run: () => sumAbsAndDispose(tf.tidy(() => untileRows(batchedHessianRows('hessian', f, x), 1024, 3))),
    dispose: () => tf.dispose([...params, x]),
  };
}

function perRowHessians(): Workload {
  const { params, apply } = mlp([3, 64, 64, 1], 10, 0.1);
  const x = tf.randomNormal([1024, 3], 0, 1, 'float32', 5);
  const h = hessian((t: tf.Tensor) => tf.reshape(apply(t), [-1]), { batched: true });
  return {
    name: 'per-row Hessians (1024, 3-64-64-1)',
    run: () => sumAbsAndDispose(h(x)),
    dispose: () => tf.dispose([...params, x]),
  };
}

function lapGrad(): Workload {
  const { params, apply } = mlp([3, 64, 64, 1], 10, 0.1);
  const x = tf.randomNormal([1024, 3], 0, 1, 'float32', 5);
  const trained = params.slice(0, -1); // the output bias has no influence on the Laplacian
  const step = tf.valueAndGrads((...p: tf.Tensor[]) => {
    const net = (t: tf.Tensor) => tf.reshape(apply(t, [...p, params[params.length - 1]]), [-1]);
    return tf.mean(tf.square(laplacian(net, { batched: true })(x))) as tf.Scalar;
  });
  return {
    name: 'Laplacian loss + grad (1024, 3-64-64-1)',
    run: () => runStep(step, trained),
    dispose: () => tf.dispose([...params, x]),
  };
}

function kdv(): Workload {
  const sizes = [2, 20, 20, 20, 20, 20, 20, 20, 20, 1];
  const { params, apply } = mlp(sizes, 1, 0);
  const xt = tf.tidy(() =>
    tf.concat(
      [
        tf.randomUniform([10_000, 1], 0, 2, 'float32', 7),
        tf.randomUniform([10_000, 1], 0, 0.99, 'float32', 8),
      ],
      1,
    ),
  );
  const step = tf.valueAndGrads((...p: tf.Tensor[]) => {
    // Columns (x, t): u_t, u_x and u_xxx, every pure derivative from one Taylor-mode pass.
    const { value: u, derivatives } = partials((z) => tf.reshape(apply(z, p), [-1]), xt, {
      requests: [{ partial: [1] }, { partial: [0] }, { partial: [0, 0, 0] }],
      batched: true,
    });
    const [ut, ux, uxxx] = derivatives;
    return tf.mean(tf.square(tf.add(tf.add(ut, tf.mul(u, ux)), tf.mul(0.0025, uxxx)))) as tf.Scalar;
  });
  return {
    name: 'KdV residual + grad (10000, 2-8x20-1)',
    run: () => runStep(step, params),
    dispose: () => tf.dispose([...params, xt]),
  };
}

const WORKLOADS: Record<string, () => Workload> = {
  hnn: hnnStep,
  hessian: perRowHessians,
  'hessian-reverse': perRowHessiansReverse,
  lapgrad: lapGrad,
  kdv,
};

/** The registry switches of `fastPaths`, with a name for the table. */
const PATH_NAMES: Record<keyof typeof fastPaths, string> = {
  oneSigmoid: 'one-sigmoid tanh/sigmoid gradients',
  fusedActivationGrads: 'fused tanh/sigmoid gradient nodes',
  reuseSlopes: 'saved tanh slopes reused by the last pass',
  matMulForms: 'per-call matMul gradient forms',
  reductionsAsMatMul: 'bias-gradient sums as ones-matMul',
  leanGradients: 'lean arithmetic/shape gradients',
  fusedRowSums: 'fused sums of products in row-layout Taylor nodes',
};

/** The variants: name and how to switch to it. */
function variants(): Array<[string, () => void]> {
  const kernels = WASM_KERNEL_OVERRIDES.map((o) => o.kernelName);
  const paths = Object.keys(PATH_NAMES) as Array<keyof typeof fastPaths>;
  const set =
    (onKernels: string[], onPaths: string[], simd = true) =>
    () => {
      useFastWasmKernels(onKernels);
      setSimdKernelsEnabled(simd);
      for (const p of paths) fastPaths[p] = onPaths.includes(p);
      useOrderSafeGradients(); // registry entries follow their switches
    };
  return [
    ['before', set([], [])],
    ['kernels + one-sigmoid only (fewer-kernels switches off)', set(kernels, ['oneSigmoid'])],
    ['after', set(kernels, paths)],
    ['after without the SIMD module', set(kernels, paths, false)],
    ...kernels.map((k): [string, () => void] => [
      `after without ${k} kernel`,
      set(
        kernels.filter((n) => n !== k),
        paths,
      ),
    ]),
    ...paths.map((p): [string, () => void] => [
      `after without ${PATH_NAMES[p]}`,
      set(
        kernels,
        paths.filter((n) => n !== p),
      ),
    ]),
  ];
}

/** Runs the comparison on the active backend. */
export function benchWasmSpeedups(
  rounds: number,
  reps: number,
  only: { workloads?: readonly string[]; variants?: readonly string[] } = {},
): SpeedupRow[] {
  const workloads = (only.workloads ?? Object.keys(WORKLOADS)).map((n) => {
    const make = WORKLOADS[n];
    if (make === undefined) throw new Error(`unknown workload '${n}' (${Object.keys(WORKLOADS).join(', ')})`);
    return make();
  });
  const names = only.variants;
  const list = variants().filter(
    ([v]) =>
      names === undefined ||
      v === 'before' ||
      names.some((n) => (n.startsWith('=') ? v === n.slice(1) : v.includes(n))),
  );
  const wall = new Map<string, number[]>();
  const cpu = new Map<string, number[]>();
  const checks = new Map<string, number>();
  try {
    for (let r = 0; r < rounds; r++) {
      for (const [variant, use] of list) {
        use();
        for (const w of workloads) {
          const key = `${w.name}\u0000${variant}`;
          checks.set(key, w.run()); // warm-up (kernels, JIT) after the switch
          for (let i = 0; i < reps; i++) {
            const c0 = process.cpuUsage();
            const t0 = performance.now();
            w.run();
            const ms = performance.now() - t0;
            const c = process.cpuUsage(c0);
            (wall.get(key) ?? wall.set(key, []).get(key))?.push(ms);
            (cpu.get(key) ?? cpu.set(key, []).get(key))?.push((c.user + c.system) / 1000);
          }
        }
      }
    }
  } finally {
    useFastWasmKernels();
    setSimdKernelsEnabled(true);
    for (const p of Object.keys(PATH_NAMES) as Array<keyof typeof fastPaths>) fastPaths[p] = true;
    useOrderSafeGradients();
    for (const w of workloads) w.dispose();
  }
  return workloads.flatMap((w) =>
    list.map(([variant]) => {
      const key = `${w.name}\u0000${variant}`;
      const times = wall.get(key) ?? [];
      return {
        backend: tf.getBackend(),
        workload: w.name,
        variant,
        bestMs: Math.min(...times),
        medianMs: median(times),
        bestCpuMs: Math.min(...(cpu.get(key) ?? [])),
        check: checks.get(key) ?? NaN,
      };
    }),
  );
}

/** Formats results as a markdown table, with after/before ratios on the best times. */
export function formatWasmSpeedups(rows: SpeedupRow[]): string {
  const before = (r: SpeedupRow) =>
    rows.find((b) => b.backend === r.backend && b.workload === r.workload && b.variant === 'before');
  return table(
    [
      'backend',
      'workload',
      'variant',
      'best (ms)',
      'median (ms)',
      'best CPU (ms)',
      '/ before (best)',
      '/ before (CPU)',
      'check',
    ],
    rows.map((r) => [
      r.backend,
      r.workload,
      r.variant,
      r.bestMs.toFixed(2),
      r.medianMs.toFixed(2),
      r.bestCpuMs.toFixed(2),
      `${(r.bestMs / (before(r)?.bestMs ?? NaN)).toFixed(2)}x`,
      `${(r.bestCpuMs / (before(r)?.bestCpuMs ?? NaN)).toFixed(2)}x`,
      r.check.toPrecision(7),
    ]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const backend = argValue('backend', 'wasm');
  await useBackend(backend);
  const cpuBackend = backend === 'cpu';
  const list = (name: string) => {
    const v = argValue(name, '');
    return v === '' ? undefined : v.split(',');
  };
  const rows = benchWasmSpeedups(
    Number(argValue('rounds', cpuBackend ? '1' : '6')),
    Number(argValue('reps', cpuBackend ? '1' : '5')),
    { workloads: list('workloads'), variants: list('variants') },
  );
  console.log(formatWasmSpeedups(rows));
}
