/**
 * Benchmark (c): what this package's wasm speed-ups buy, before/after in one process. Workloads: one HNN
 * training step (batch 512, MLP 4-200-200-1 tanh, loss on J grad_x H, its weight gradient; no optimizer
 * update, so every variant sees the same weights) and per-row Hessians (1024 points, 3-64-64-1 tanh,
 * `hessian(f, { batched: true })`, Taylor mode, and the same by nested reverse, its fallback). Variants: `before` (tfjs-backend-wasm's own kernels, matMul gradients
 * copy the operands as before), `after` (everything on) and `after without X` for each speed-up. Rounds are
 * interleaved (every variant once per round) so load drift hits all alike; best and median wall time per
 * call, and the best process CPU time (less sensitive to other processes on a loaded machine).
 * The speed-ups act on wasm only; on other backends every variant runs the same code (a control).
 *
 *   pnpm tsx packages/autodiff/bench/wasm-speedups.ts [--backend wasm|cpu|tensorflow] [--rounds 6] [--reps 5]
 *        [--workloads HNN,Hessians] [--variants =after,only]   (substrings, =exact; 'before' always runs)
 */
import * as tf from '@tensorflow/tfjs';
import { fastPaths } from '../src/fast-paths';
import { untileRows } from '../src/batch-tiling';
import { batchedHessianRows } from '../src/hessian';
import { grad, hessian } from '../src/index';
import { useOrderSafeGradients } from '../src/register-gradients';
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
    run: () => {
      const { value, grads } = step(trained);
      let check = value.dataSync()[0];
      for (const g of grads) check += tf.tidy(() => tf.sum(tf.abs(g)).dataSync()[0]);
      tf.dispose([value, ...grads]);
      return check;
    },
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
    run: () => {
      const result = tf.tidy(() => untileRows(batchedHessianRows('hessian', f, x), 1024, 3));
      const values = result.dataSync();
      result.dispose();
      let check = 0;
      for (const v of values) check += Math.abs(v);
      return check;
    },
    dispose: () => tf.dispose([...params, x]),
  };
}

function perRowHessians(): Workload {
  const { params, apply } = mlp([3, 64, 64, 1], 10, 0.1);
  const x = tf.randomNormal([1024, 3], 0, 1, 'float32', 5);
  const h = hessian((t: tf.Tensor) => tf.reshape(apply(t), [-1]), { batched: true });
  return {
    name: 'per-row Hessians (1024, 3-64-64-1)',
    run: () => {
      const result = h(x);
      // Read outside tf.tidy (a typed array returned from tidy is walked element by element).
      const values = result.dataSync();
      result.dispose();
      let check = 0;
      for (const v of values) check += Math.abs(v);
      return check;
    },
    dispose: () => tf.dispose([...params, x]),
  };
}

/** The registry switches of `fastPaths`, with a name for the table. */
const PATH_NAMES: Record<keyof typeof fastPaths, string> = {
  oneSigmoid: 'one-sigmoid tanh/sigmoid gradients',
  fusedActivationGrads: 'fused tanh/sigmoid gradient nodes',
  reuseSlopes: 'saved tanh slopes reused by the last pass',
  matMulForms: 'per-call matMul gradient forms',
  reductionsAsMatMul: 'bias-gradient sums as ones-matMul',
  leanGradients: 'lean arithmetic/shape gradients',
};

/** The variants: name and how to switch to it. */
function variants(): Array<[string, () => void]> {
  const kernels = WASM_KERNEL_OVERRIDES.map((o) => o.kernelName);
  const paths = Object.keys(PATH_NAMES) as Array<keyof typeof fastPaths>;
  const set = (onKernels: string[], onPaths: string[]) => () => {
    useFastWasmKernels(onKernels);
    for (const p of paths) fastPaths[p] = onPaths.includes(p);
    useOrderSafeGradients(); // registry entries follow their switches
  };
  return [
    ['before', set([], [])],
    ['kernels + one-sigmoid only (fewer-kernels switches off)', set(kernels, ['oneSigmoid'])],
    ['after', set(kernels, paths)],
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
  const pick = <T>(all: T[], names: readonly string[] | undefined, name: (t: T) => string) =>
    names === undefined
      ? all
      : all.filter(
          (t) =>
            name(t) === 'before' ||
            names.some((n) => (n.startsWith('=') ? name(t) === n.slice(1) : name(t).includes(n))),
        );
  const workloads = pick(
    [hnnStep(), perRowHessians(), perRowHessiansReverse()],
    only.workloads,
    (w) => w.name,
  );
  const list = pick(variants(), only.variants, ([v]) => v);
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
