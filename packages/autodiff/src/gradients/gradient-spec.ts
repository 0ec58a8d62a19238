import type * as tf from '@tensorflow/tfjs';
import { SHAPES_ONLY } from './grad-util';

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
  /**
   * A speed-only replacement of a gradient tfjs already computes correctly at every order: registered only while
   * this `fastPaths` switch is on (tfjs's own is restored when it is off, for same-process benchmarks).
   */
  readonly fastPath?: 'leanGradients';
  /** The gradient reads only its inputs' shapes (passed in `attrs` by the tape patch); `inputsToSave` is empty. */
  readonly [SHAPES_ONLY]?: true;
}

/** Freezes a gradient spec after checking it saves no outputs (the source of tfjs's higher-order bugs). */
export function defineGradient(spec: GradientSpec): Readonly<GradientSpec> {
  if (spec.outputsToSave !== undefined) {
    throw new Error(`defineGradient(): spec '${spec.kernelName}' must not save outputs`);
  }
  if (spec[SHAPES_ONLY] === true && (spec.inputsToSave.length > 0 || spec.saveAllInputs === true)) {
    throw new Error(`defineGradient(): shapes-only spec '${spec.kernelName}' must save no inputs`);
  }
  return Object.freeze({ ...spec, inputsToSave: Object.freeze([...spec.inputsToSave]) as string[] });
}
