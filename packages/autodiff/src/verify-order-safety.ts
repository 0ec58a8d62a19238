import * as tf from '@tensorflow/tfjs';
import { reversePass } from './core-gradients';
import { AutodiffError, describeValue } from './errors';
import type { CheckStatus } from './status';
import { richardsonDerivative } from './finite-differences';
import { OP_CATALOGUE, type OpCase } from './op-catalogue';

/** Options of {@link verifyOrderSafety}. */
export interface VerifyOrderSafetyOptions {
  /** Derivative orders to check, each 1..3. Default `[1, 2, 3]`. */
  orders?: readonly number[];
  /** Only these ops (by `OpCase.op`). Default: the whole catalogue. */
  ops?: readonly string[];
  /** Pass threshold on `max |autodiff - reference| / max(1, |reference|)`. Default 1e-4 (float32 round-off is ~1e-7 here). */
  tol?: number;
  /** The catalogue to check. Default {@link OP_CATALOGUE}. */
  catalogue?: readonly OpCase[];
}

/** One row of the order-safety table. */
export interface OrderSafetyRow {
  op: string;
  order: number;
  /** Max over the case's points of `|autodiff - reference| / max(1, |reference|)`; NaN when non-finite. */
  maxError: number;
  tol: number;
  /** `analytic` or `richardson-fd` (float64). */
  reference: 'analytic' | 'richardson-fd';
  /** `'pass'` when `maxError <= tol`. */
  status: CheckStatus;
  /** Set when autodiff threw (the tfjs failure mode this package fixes). */
  error?: string;
}

/** The k-th derivative of a row-independent batch function, per point: nested reverse passes of sums. */
function nthDerivative(f: (t: tf.Tensor1D) => tf.Tensor, t: tf.Tensor1D, order: number): tf.Tensor {
  if (order === 0) return f(t);
  return reversePass(() => tf.sum(nthDerivative(f, t, order - 1)), t).grad;
}

/**
 * Checks, on the active tfjs backend, that nested `tf.grad`-style differentiation of every op in the catalogue
 * matches analytic derivatives (or float64 Richardson-extrapolated central differences) at orders 1..3.
 * Used by the tests and by `noether autodiff-check`.
 *
 * @returns one row per (op, order); plain data.
 * @throws {AutodiffError} `INVALID_ARGUMENT` for an order outside 1..3 or an unknown op name.
 * @example
 * const failures = verifyOrderSafety().filter((r) => r.status === 'fail'); // [] once this package is imported
 * @see L. F. Richardson, "The deferred approach to the limit", Phil. Trans. R. Soc. A 226 (1927).
 */
export function verifyOrderSafety(options: VerifyOrderSafetyOptions = {}): OrderSafetyRow[] {
  const orders = options.orders ?? [1, 2, 3];
  for (const order of orders) {
    if (!Number.isInteger(order) || order < 1 || order > 3) {
      throw new AutodiffError(
        'INVALID_ARGUMENT',
        `verifyOrderSafety(): argument 'options.orders' must contain only 1, 2 or 3, got ${describeValue(order)}`,
      );
    }
  }
  const tol = options.tol ?? 1e-4;
  const catalogue = options.catalogue ?? OP_CATALOGUE;
  const names = new Set(catalogue.map((c) => c.op));
  for (const name of options.ops ?? []) {
    if (!names.has(name)) {
      throw new AutodiffError(
        'INVALID_ARGUMENT',
        `verifyOrderSafety(): argument 'options.ops' names an unknown op ${describeValue(name)}; known: ${[...names].join(', ')}`,
      );
    }
  }
  const cases = options.ops ? catalogue.filter((c) => options.ops?.includes(c.op)) : catalogue;
  const rows: OrderSafetyRow[] = [];
  for (const c of cases) {
    for (const order of orders) {
      const reference = c.points.map((p) =>
        c.analytic
          ? c.analytic[order - 1](p)
          : richardsonDerivative((h) => c.f64(p + h), order as 1 | 2 | 3, 2e-2),
      );
      const kind = c.analytic ? 'analytic' : 'richardson-fd';
      try {
        const values = tf.tidy(() => nthDerivative(c.tf, tf.tensor1d([...c.points]), order).dataSync());
        let maxError = 0;
        for (let i = 0; i < reference.length; i++) {
          const e = Math.abs(values[i] - reference[i]) / Math.max(1, Math.abs(reference[i]));
          maxError = Number.isFinite(e) ? Math.max(maxError, e) : NaN;
          if (Number.isNaN(maxError)) break;
        }
        rows.push({
          op: c.op,
          order,
          maxError,
          tol,
          reference: kind,
          status: maxError <= tol ? 'pass' : 'fail',
        });
      } catch (error) {
        const message = (error as Error).message.split('\n')[0] ?? String(error);
        rows.push({ op: c.op, order, maxError: NaN, tol, reference: kind, status: 'fail', error: message });
      }
    }
  }
  return rows;
}

/**
 * Formats rows of {@link verifyOrderSafety} as a fixed-width text table (op, order, max error, tol, pass/FAIL).
 *
 * @example
 * console.log(formatOrderSafetyTable(verifyOrderSafety({ orders: [2] })));
 */
export function formatOrderSafetyTable(rows: readonly OrderSafetyRow[]): string {
  const header = ['op', 'order', 'max error', 'tol', 'result'];
  const body = rows.map((r) => [
    r.op,
    String(r.order),
    Number.isNaN(r.maxError) ? 'n/a' : r.maxError.toExponential(2),
    r.tol.toExponential(0),
    r.status === 'pass' ? 'pass' : `FAIL${r.error ? ` (${r.error.slice(0, 60)})` : ''}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
