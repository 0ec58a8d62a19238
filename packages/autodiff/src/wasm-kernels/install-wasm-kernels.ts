import * as tf from '@tensorflow/tfjs';
import { tanhWasm } from './tanh-kernel';

/** A forward kernel this package replaces on the wasm backend, with the reason (plain data). */
interface WasmKernelOverride {
  readonly kernelName: string;
  readonly kernelFunc: tf.KernelFunc;
  readonly why: string;
}

/** Every wasm kernel `@noether/autodiff` replaces. Values stay within 2 ulp of tfjs's kernel (tested). */
export const WASM_KERNEL_OVERRIDES: readonly WasmKernelOverride[] = Object.freeze([
  {
    kernelName: 'Tanh',
    kernelFunc: tanhWasm as unknown as tf.KernelFunc,
    why: "wasm's Tanh calls scalar libm, ~15x the cost of its vectorised Sigmoid; rebuilt from Sigmoid and a polynomial",
  },
]);

const STATE = Symbol.for('@noether/autodiff/wasm-kernels');
interface State {
  /** tfjs-backend-wasm's own kernel configs, by kernel name. */
  originals: Map<string, tf.KernelConfig>;
  /** engine.setBackend before the patch that re-installs the overrides when wasm becomes active. */
  setBackend?: (name: string) => Promise<boolean>;
  enabled: boolean;
}

function state(): State {
  const holder = globalThis as unknown as { [STATE]?: State };
  holder[STATE] ??= { originals: new Map(), enabled: false };
  return holder[STATE];
}

/** Puts the overrides in tfjs's kernel registry, when tfjs-backend-wasm has registered its kernels. */
function register(): void {
  const s = state();
  for (const o of WASM_KERNEL_OVERRIDES) {
    const current = tf.getKernel(o.kernelName, 'wasm');
    if (current === undefined || current.kernelFunc === o.kernelFunc) continue;
    s.originals.set(o.kernelName, current);
    tf.unregisterKernel(o.kernelName, 'wasm');
    tf.registerKernel({ kernelName: o.kernelName, backendName: 'wasm', kernelFunc: o.kernelFunc });
  }
}

/**
 * Replaces wasm forward kernels that are slow there ({@link WASM_KERNEL_OVERRIDES}) by composites of fast
 * wasm kernels. Runs on import; idempotent. tfjs-backend-wasm may be imported after this package, so the
 * overrides are (re)applied whenever `tf.setBackend` completes, too.
 */
export function useFastWasmKernels(): void {
  const s = state();
  s.enabled = true;
  register();
  const engine = tf.engine() as unknown as { setBackend: (name: string) => Promise<boolean> };
  if (s.setBackend !== undefined) return;
  const original = engine.setBackend;
  s.setBackend = original;
  engine.setBackend = async function patchedSetBackend(this: unknown, name: string) {
    const ok = await original.call(this, name);
    if (state().enabled) register();
    return ok;
  };
}

/**
 * Restores tfjs-backend-wasm's own kernels (benchmarks compare both in one process); undo with
 * {@link useFastWasmKernels}.
 */
export function useTfjsWasmKernels(): void {
  const s = state();
  s.enabled = false;
  const backend = tf.findBackend('wasm');
  for (const [kernelName, config] of s.originals) {
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel(config);
    // The backend ran the setup of the kernels registered when it started, i.e. of the override instead.
    if (backend !== null && backend !== undefined) config.setupFunc?.(backend);
  }
  s.originals.clear();
}
