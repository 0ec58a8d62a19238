import * as tf from '@tensorflow/tfjs';
import type { TensorFunction } from '../grad';
import { checkOutput } from '../validate';
import type { JetLayout } from './jet';
import { type AnyJet, isRowJet, rowJets, seedRows } from './row-jet';
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
): { value: tf.Tensor; jet: AnyJet } {
  const { x, directions, layout } = seed;
  const { result, kernels } = recordKernels(() => checkOutput(fn, f(x)));
  try {
    seed.checkValue?.(result); // before the jets, which can be large for a wrong output shape
    // the row layout pays off when a gradient tape records the replay (its tape nodes replace the list layout's
    // many products, clones and reductions); without one, the list layout's broadcasts over the direction axis
    // need fewer kernels (measured: per-row Laplacians and Hessians ~1.3x faster on wasm)
    const taped = (tf.engine() as unknown as { state: { gradientDepth: number } }).state.gradientDepth > 0;
    const seedJet: AnyJet =
      rowJets.enabled && taped
        ? seedRows(x, directions, layout)
        : { primal: x, coeffs: [tf.stack([...directions]), ...new Array<null>(layout.order - 1).fill(null)] };
    const seeds = new Map<number, AnyJet>([[x.id, seedJet]]);
    const jet = propagateJets(fn, { kernels, seeds, output: result }, layout);
    // the recording's tensors are disposed below: a coefficient that is one of them gets its own alias
    const keepAlive = (t: tf.Tensor | null) =>
      t === null ? null : kernels.some((k) => k.outputs.includes(t)) ? tf.reshape(t, t.shape) : t;
    const value = tf.reshape(result, result.shape);
    return {
      value,
      jet: isRowJet(jet)
        ? { primal: value, rows: jet.rows.map((c) => c.map(keepAlive)) }
        : { primal: value, coeffs: jet.coeffs.map(keepAlive) },
    };
  } finally {
    disposeRecording(kernels);
  }
}

/** Coefficient k of `jet` as a `[width, ...shape]` tensor (zeros when the rule knew it vanishes). */
export function coefficientOrZeros(jet: AnyJet, k: number, width: number): tf.Tensor {
  if (!isRowJet(jet)) return jet.coeffs[k - 1] ?? tf.zeros([width, ...jet.primal.shape]);
  const rows = coefficientRows(jet, k, width);
  return rows.length === 1 ? tf.reshape(rows[0], [1, ...jet.primal.shape]) : tf.stack(rows);
}

/**
 * The `width` rows of coefficient k of `jet`, each of the primal's shape (zeros for a zero row): free in the
 * row layout, one Unpack in the list layout.
 */
export function coefficientRows(jet: AnyJet, k: number, width: number): tf.Tensor[] {
  const shape = jet.primal.shape;
  if (isRowJet(jet)) return jet.rows[k - 1].map((r) => r ?? tf.zeros(shape));
  const c = jet.coeffs[k - 1];
  if (c === null) return Array.from({ length: width }, () => tf.zeros(shape));
  return width === 1 ? [tf.reshape(c, shape)] : tf.unstack(c, 0);
}

/** k! */
export function factorial(k: number): number {
  let f = 1;
  for (let i = 2; i <= k; i++) f *= i;
  return f;
}
