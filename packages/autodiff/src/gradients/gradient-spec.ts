import type * as tf from '@tensorflow/tfjs';

/**
 * One order-safe gradient, as data: the tfjs `GradConfig` fields (`kernelName`, `inputsToSave`, `gradFunc`)
 * plus `why`, a one-line reason it replaces (or adds to) the gradient tfjs 4.22 registers.
 *
 * Every spec saves only the kernel's INPUTS and recomputes derivatives with differentiable ops, so the
 * gradient is itself differentiable to any order. Masks (`x > 0`, `a >= b`, `x == max(x)`) are built with
 * {@link nonDifferentiable}, which has an exact zero derivative.
 */
export interface GradientSpec extends tf.GradConfig {
  readonly kernelName: string;
  readonly inputsToSave: string[];
  readonly why: string;
}

/** Freezes a gradient spec after checking it saves no outputs (the source of tfjs's higher-order bugs). */
export function defineGradient(spec: GradientSpec): Readonly<GradientSpec> {
  if (spec.outputsToSave !== undefined) {
    throw new Error(`defineGradient(): spec '${spec.kernelName}' must not save outputs`);
  }
  return Object.freeze({ ...spec, inputsToSave: Object.freeze([...spec.inputsToSave]) as string[] });
}
