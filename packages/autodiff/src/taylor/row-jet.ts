import * as tf from '@tensorflow/tfjs';
import { type Jet, type JetLayout, isConstant, widthOf } from './jet';

/**
 * A jet with every direction row of every coefficient as its own tensor of the primal's shape:
 * `rows[k - 1][r]` is row r of coefficient k (`null` for a zero row), `widthOf(layout, k)` rows per coefficient.
 *
 * Why: in the list layout ({@link Jet}) a coefficient is one `[width, ...shape]` tensor, so every product with a
 * primal-shaped factor broadcasts over the leading axis and its gradient reduces over it (a transpose and a Sum
 * on wasm, ~1-2 ms per call at 10,000 x 20), and rules slice rows out of it (tfjs-wasm's Slice copies its whole
 * input into JavaScript memory first). Rows make every elementwise kernel same-shape and every slice free.
 */
export interface RowJet {
  readonly primal: tf.Tensor;
  readonly rows: readonly (readonly (tf.Tensor | null)[])[];
}

/** A jet in either layout. */
export type AnyJet = Jet | RowJet;

/**
 * Switch for the row layout (on: used whenever a gradient tape records the replay). Internal: tests and the
 * benchmark turn it off to compare, in one process, with the list-layout rules (values agree to float32
 * rounding).
 */
export const rowJets = { enabled: true };

/** True for a jet in the row layout. */
export function isRowJet(jet: AnyJet): jet is RowJet {
  return 'rows' in jet;
}

/** True when the jet carries a nonzero derivative part. */
export function isLive(jet: AnyJet): boolean {
  return isRowJet(jet) ? jet.rows.some((c) => c.some((r) => r !== null)) : !isConstant(jet);
}

/** The rows of `jet` (row layout) with `fn` applied to each nonzero row. */
export function mapRows(jet: RowJet, fn: (row: tf.Tensor) => tf.Tensor): (tf.Tensor | null)[][] {
  return jet.rows.map((c) => c.map((r) => (r === null ? null : fn(r))));
}

/** The seed jet of x in the row layout: coefficient 1 = the directions (each of x's shape), the rest zero. */
export function seedRows(x: tf.Tensor, directions: readonly tf.Tensor[], layout: JetLayout): RowJet {
  const rows: (tf.Tensor | null)[][] = [[...directions]];
  for (let k = 2; k <= layout.order; k++) rows.push(new Array<null>(widthOf(layout, k)).fill(null));
  return { primal: x, rows };
}

/** The list-layout jet of a row jet: one Pack per coefficient (zeros for zero rows; `null` if all are zero). */
export function rowsToList(jet: RowJet): Jet {
  const shape = jet.primal.shape;
  const coeffs = jet.rows.map((c) => {
    if (c.every((r) => r === null)) return null;
    const full = c.map((r) => r ?? tf.zeros(shape));
    return full.length === 1 ? tf.reshape(full[0], [1, ...shape]) : tf.stack(full);
  });
  return { primal: jet.primal, coeffs };
}

/** True when two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The one live input of a kernel, when exactly one input is live, it is in the row layout and has the output's
 * shape (so its rows need no broadcast); otherwise `null` (the list rule runs).
 */
export function soleRowInput(
  inputs: readonly AnyJet[],
  outShape: readonly number[],
): { jet: RowJet; index: number } | null {
  const live = inputs.map((jet, index) => ({ jet, index })).filter(({ jet }) => isLive(jet));
  if (live.length !== 1) return null;
  const [{ jet, index }] = live;
  return isRowJet(jet) && sameShape(jet.primal.shape, outShape) ? { jet, index } : null;
}

/** Both inputs live, in the row layout and of the output's shape (for Add, Sub); otherwise `null`. */
export function bothRowInputs(a: AnyJet, b: AnyJet, outShape: readonly number[]): [RowJet, RowJet] | null {
  if (!isRowJet(a) || !isRowJet(b)) return null;
  return sameShape(a.primal.shape, outShape) && sameShape(b.primal.shape, outShape) ? [a, b] : null;
}

/** Row-wise `f(p, q)` of two row jets; `single(t, side)` handles a row where only one side is nonzero. */
export function zipRows(
  a: RowJet,
  b: RowJet,
  f: { both: (p: tf.Tensor, q: tf.Tensor) => tf.Tensor; single: (t: tf.Tensor, side: 0 | 1) => tf.Tensor },
): (tf.Tensor | null)[][] {
  return a.rows.map((c, k) =>
    c.map((p, r) => {
      const q = b.rows[k][r];
      if (p === null) return q === null ? null : f.single(q, 1);
      return q === null ? f.single(p, 0) : f.both(p, q);
    }),
  );
}
