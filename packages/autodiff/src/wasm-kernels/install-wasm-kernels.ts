import * as tf from '@tensorflow/tfjs';
import { batchMatMulWasm } from './matmul-kernel';
import { concatWasm, packWasm } from './concat-kernel';
import { castWasm, identityWasm } from './identity-kernel';
import { prepareSimdKernels } from './simd-kernels';
import { sliceWasm } from './slice-kernel';
import { splitVWasm } from './split-kernel';
import { sumWasm } from './sum-kernel';
import { tanhWasm } from './tanh-kernel';
import { tileWasm } from './tile-kernel';
import { transposeWasm } from './transpose-kernel';
import { wasmKernelState } from './wasm-kernel-util';

/** A forward kernel this package replaces on the wasm backend, with the reason (plain data). */
interface WasmKernelOverride {
  readonly kernelName: string;
  readonly kernelFunc: tf.KernelFunc;
  readonly why: string;
}

/**
 * Every wasm kernel `@noether/autodiff` replaces, each falling back to wasm's own outside its cases. Transpose,
 * Tile, Sum, Identity, Cast, Slice, SplitV, Concat, Pack: the same values, bit for bit; Tanh: within 2 ulp of the float64 tanh (tested).
 */
export const WASM_KERNEL_OVERRIDES: readonly WasmKernelOverride[] = Object.freeze([
  {
    kernelName: 'Tanh',
    kernelFunc: tanhWasm as unknown as tf.KernelFunc,
    why: "wasm's Tanh calls scalar libm, ~15x the cost of its vectorised Sigmoid; one SIMD pass instead (wasm/kernels.c)",
  },
  {
    kernelName: 'Transpose',
    kernelFunc: transposeWasm as unknown as tf.KernelFunc,
    why: "wasm's Transpose is cache-aliased on matrices with a multiple of 256 rows (512x200: 0.46 ms); last-two-axes swaps by 4x4 SIMD blocks instead",
  },
  {
    kernelName: 'Sum',
    kernelFunc: sumWasm as unknown as tf.KernelFunc,
    why: "wasm's Sum over leading axes (the bias gradient) transposes first; summed row by row (SIMD) instead",
  },
  {
    kernelName: 'Identity',
    kernelFunc: identityWasm as unknown as tf.KernelFunc,
    why: "wasm's Identity copies the data (the engine clones every tensor a gradient saves); an alias instead, as on cpu",
  },
  {
    kernelName: 'Cast',
    kernelFunc: castWasm as unknown as tf.KernelFunc,
    why: "wasm's Cast to the same dtype copies the data; an alias instead, as on cpu",
  },
  {
    kernelName: 'Slice',
    kernelFunc: sliceWasm as unknown as tf.KernelFunc,
    why: "wasm's Slice first copies the whole input out of the heap; copied straight from the heap instead",
  },
  {
    kernelName: 'SplitV',
    kernelFunc: splitVWasm as unknown as tf.KernelFunc,
    why: "wasm's SplitV runs its own Slice (a copy of the whole input per part); the Slice above instead",
  },
  {
    kernelName: 'Concat',
    kernelFunc: concatWasm as unknown as tf.KernelFunc,
    why: "wasm's Concat makes a subarray and a set() per row and input; short rows copied element by element",
  },
  {
    kernelName: 'Pack',
    kernelFunc: packWasm as unknown as tf.KernelFunc,
    why: "wasm's Pack reshapes and runs its Concat; interleaved as in the Concat above instead",
  },
  {
    kernelName: 'BatchMatMul',
    kernelFunc: batchMatMulWasm as unknown as tf.KernelFunc,
    why: 'XNNPACK is slower than a plain SIMD GEMM with two output rows in registers (much slower on one output column)',
  },
  {
    kernelName: 'Tile',
    kernelFunc: tileWasm as unknown as tf.KernelFunc,
    why: "wasm's Tile computes a source index per element; tiled by doubling block copies instead",
  },
]);

/** The wasm backend if it is initialised (without starting its initialisation, as tf.findBackend would). */
function initialisedWasmBackend(): tf.KernelBackend | undefined {
  const engine = tf.engine() as unknown as { registry: Record<string, tf.KernelBackend | undefined> };
  return engine.registry.wasm;
}

/**
 * Puts the enabled overrides in tfjs's registry, once tfjs-backend-wasm has registered its kernels. Each
 * override keeps the setup of the kernel it replaces: wasm's kernels call each other's wasm functions directly
 * (its Sum, Mean, Max, ... call its transpose), which their setup binds when the backend starts.
 */
function register(): void {
  const s = wasmKernelState();
  const backend = initialisedWasmBackend();
  for (const o of WASM_KERNEL_OVERRIDES) {
    if (!s.enabled.includes(o.kernelName)) continue;
    const current = tf.getKernel(o.kernelName, 'wasm');
    if (current === undefined || current.kernelFunc === o.kernelFunc) continue;
    s.originals.set(o.kernelName, current);
    tf.unregisterKernel(o.kernelName, 'wasm');
    tf.registerKernel({
      kernelName: o.kernelName,
      backendName: 'wasm',
      kernelFunc: o.kernelFunc,
      setupFunc: current.setupFunc,
    });
    if (backend !== undefined) current.setupFunc?.(backend);
  }
}

/**
 * Replaces wasm forward kernels that are slow there ({@link WASM_KERNEL_OVERRIDES}; all of them, or those
 * named) by faster equivalents. Runs on import with all of them; idempotent. tfjs-backend-wasm may be
 * imported after this package, so the replacements are (re)applied whenever `tf.setBackend` completes, too.
 */
export function useFastWasmKernels(
  kernelNames: readonly string[] = WASM_KERNEL_OVERRIDES.map((o) => o.kernelName),
): void {
  useTfjsWasmKernels();
  const s = wasmKernelState();
  s.enabled = [...kernelNames];
  register();
  const engine = tf.engine() as unknown as { setBackend: (name: string) => Promise<boolean> };
  if (s.setBackend !== undefined) return;
  const original = engine.setBackend;
  s.setBackend = original;
  engine.setBackend = async function patchedSetBackend(this: unknown, name: string) {
    const ok = await original.call(this, name);
    register();
    // Browsers compile modules over 4 KiB only asynchronously on the main thread: ready it before use.
    if (ok && name === 'wasm' && tf.getBackend() === 'wasm') await prepareSimdKernels(tf.findBackend('wasm'));
    return ok;
  };
}

/**
 * Restores tfjs-backend-wasm's own kernels (benchmarks compare both in one process); undo with
 * {@link useFastWasmKernels}.
 */
export function useTfjsWasmKernels(): void {
  const s = wasmKernelState();
  s.enabled = [];
  const backend = tf.findBackend('wasm');
  for (const [kernelName, config] of s.originals) {
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel(config);
    // The backend ran the setup of the kernels registered when it started, i.e. of the override instead.
    if (backend !== null && backend !== undefined) config.setupFunc?.(backend);
  }
  s.originals.clear();
}
