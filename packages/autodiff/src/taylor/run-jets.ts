import * as tf from '@tensorflow/tfjs';
import type { TensorFunction } from '../grad';
import { checkOutput } from '../validate';
import type { Jet, JetLayout } from './jet';
import { type AnyJet, rowJets, seedRows } from './row-jet';
import { propagateJets } from './propagate-jets';
import { disposeRecording, recordKernels } from './record-kernels';

/**
 * Records `f(x)` once and replays it with the Taylor rules, seeding x's first coefficient with `directions`
 * (S tensors of x's shape, row s the s-th direction; higher coefficients of x are zero). Returns `f(x)` and the
 * output jet, whose tensors live in the caller's tidy scope. `checkValue` sees f(x) before any jet is
 * propagated. Must run inside `tf.tidy`.
 */
export function runJets(
  fn: string,
  f: TensorFunction,
  seed: {
    x: tf.Tensor;
    directions: readonly tf.Tensor[];
    layout: JetLayout;
    checkValue?: (value: tf.Tensor) => void;
  },
): { value: tf.Tensor; jet: Jet } {
  const { x, directions, layout } = seed;
  const { result, kernels } = recordKernels(() => checkOutput(fn, f(x)));
  try {
    seed.checkValue?.(result); // before the jets, which can be large for a wrong output shape
    const seedJet: AnyJet = rowJets.enabled
      ? seedRows(x, directions, layout)
      : { primal: x, coeffs: [tf.stack([...directions]), ...new Array<null>(layout.order - 1).fill(null)] };
    const seeds = new Map<number, AnyJet>([[x.id, seedJet]]);
    const jet = propagateJets(fn, { kernels, seeds, output: result }, layout);
    const keepAlive = (t: tf.Tensor | null) =>
      t === null ? null : kernels.some((k) => k.outputs.includes(t)) ? tf.reshape(t, t.shape) : t;
    return {
      value: tf.reshape(result, result.shape),
      jet: { primal: result, coeffs: jet.coeffs.map(keepAlive) },
    };
  } finally {
    disposeRecording(kernels);
  }
}

/** Coefficient k of `jet` as a `[width, ...shape]` tensor (zeros when the rule knew it vanishes). */
export function coefficientOrZeros(jet: Jet, k: number, width: number): tf.Tensor {
  return jet.coeffs[k - 1] ?? tf.zeros([width, ...jet.primal.shape]);
}

/** k! */
export function factorial(k: number): number {
  let f = 1;
  for (let i = 2; i <= k; i++) f *= i;
  return f;
}
