import * as tf from '@tensorflow/tfjs';
import { fastPaths } from './fast-paths';
import { ORDER_SAFE_GRADIENTS } from './gradients/all-gradients';
import { installTapeOrderFix, uninstallTapeOrderFix } from './tape-order-fix';
import { useFastWasmKernels } from './wasm-kernels/install-wasm-kernels';

/** Which gradient set is active: `order-safe` (the default once this package is imported) or `tfjs`. */
export type GradientMode = 'order-safe' | 'tfjs';

const ORIGINALS = Symbol.for('@noether/autodiff/original-gradients');
type Originals = Map<string, tf.GradConfig | undefined>;

/** tfjs's own gradient configs, captured once per process (shared by every copy of this package). */
function originals(): Originals {
  const holder = globalThis as unknown as { [ORIGINALS]?: Originals };
  if (holder[ORIGINALS] === undefined) {
    const map: Originals = new Map();
    for (const spec of ORDER_SAFE_GRADIENTS)
      map.set(spec.kernelName, tf.getGradient(spec.kernelName) ?? undefined);
    holder[ORIGINALS] = map;
  }
  return holder[ORIGINALS];
}

let mode: GradientMode = 'tfjs';

/**
 * Registers the order-safe gradients (and the tape-order fix) in tfjs's global registry. Runs automatically
 * when the package is imported; idempotent. Every replacement saves only the kernel's inputs, so nested
 * `tf.grad` / `tf.variableGrads` are exact to any order.
 *
 * @example
 * useTfjsGradients(); // benchmark tfjs's own (wrong at order >= 2) gradients ...
 * useOrderSafeGradients(); // ... and switch back
 * @see Griewank & Walther, Evaluating Derivatives (2008), ch. 3 and 8 (reverse mode, nested derivatives).
 */
export function useOrderSafeGradients(): void {
  const before = originals();
  for (const spec of ORDER_SAFE_GRADIENTS) {
    const original = before.get(spec.kernelName);
    // A speed-only spec whose switch is off: tfjs's own gradient (exact there) stays registered.
    if (spec.fastPath !== undefined && !fastPaths[spec.fastPath] && original !== undefined) {
      tf.registerGradient(original);
    } else tf.registerGradient(spec);
  }
  installTapeOrderFix();
  mode = 'order-safe';
}

/**
 * Restores tfjs 4.22's own gradients (wrong at order >= 2) and removes the tape-order fix. Internal: exists so
 * benchmarks and tests can compare against tfjs's behaviour in the same process. Call
 * {@link useOrderSafeGradients} to switch back. Kernels tfjs had no gradient for are unregistered again.
 *
 * @example
 * useTfjsGradients();
 * try { timeTrainingStep(); } finally { useOrderSafeGradients(); }
 */
export function useTfjsGradients(): void {
  for (const [kernelName, config] of originals()) {
    if (config !== undefined) tf.registerGradient(config);
    else if (tf.getGradient(kernelName) !== undefined) tf.unregisterGradient(kernelName);
  }
  uninstallTapeOrderFix();
  mode = 'tfjs';
}

/** The active gradient set: `'order-safe'` after importing this package, `'tfjs'` after {@link useTfjsGradients}. */
export function gradientMode(): GradientMode {
  return mode;
}

/**
 * Kernel names whose gradients this package replaces or adds, with the reason for each and whether tfjs 4.22
 * had a gradient for it. Plain data (the table in the README and `noether autodiff-check --list-replaced`).
 *
 * @example
 * replacedGradients().find((r) => r.kernelName === 'Tanh'); // { kernelName: 'Tanh', why: '...', tfjsHadOne: true }
 */
export function replacedGradients(): { kernelName: string; why: string; tfjsHadOne: boolean }[] {
  const before = originals();
  return ORDER_SAFE_GRADIENTS.map((s) => ({
    kernelName: s.kernelName,
    why: s.why,
    tfjsHadOne: before.get(s.kernelName) !== undefined,
  }));
}

useOrderSafeGradients();
useFastWasmKernels();
