import * as tf from '@tensorflow/tfjs';
import { type TermSite, lift, widthOf } from '../jet';

/** Normalises an axis attr (number, negative, list, or null for all) against `rank`. */
export function axesOf(axis: unknown, rank: number): number[] {
  if (axis === null || axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = Array.isArray(axis) ? (axis as number[]) : [axis as number];
  return list.map((a) => (a < 0 ? a + rank : a));
}

/** A coefficient of an input with shape `shape`, broadcast to `[width_k, ...outShape]` (zeros for `null`). */
export function fullCoef(at: TermSite, c: tf.Tensor | null, outShape: readonly number[]): tf.Tensor {
  const full = [widthOf(at.layout, at.k), ...outShape];
  if (c === null) return tf.zeros(full);
  const lifted = lift(c, outShape.length);
  const same = lifted.rank === full.length && lifted.shape.every((d, i) => d === full[i]);
  return same ? lifted : tf.broadcastTo(lifted, full);
}

/** The list inputs of a kernel such as Concat or Pack (keys '0', '1', ...), in order. */
export function listInputs<T>(inputs: Readonly<Record<string, T>>): T[] {
  return Object.keys(inputs)
    .sort((a, b) => Number(a) - Number(b))
    .map((key) => inputs[key]);
}
