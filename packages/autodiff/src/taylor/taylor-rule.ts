import * as tf from '@tensorflow/tfjs';
import { composeUnary, type Jet, type JetLayout } from './jet';
import { type AnyJet, type RowJet, isRowJet, sameShape } from './row-jet';
import { rowUnary } from './row-unary';

/** What a Taylor rule receives: the jets of the kernel's inputs (by the kernel's input names), its attrs and primal outputs. */
export interface TaylorRuleArgs {
  /** Input jets by kernel input name (`x`, `a`, `b`, ... or `0`, `1`, ... for list inputs). */
  readonly inputs: Readonly<Record<string, Jet>>;
  /** The kernel's attributes as recorded. */
  readonly attrs: Readonly<Record<string, unknown>>;
  /** The kernel's primal outputs as recorded. */
  readonly outputs: readonly tf.Tensor[];
  readonly layout: JetLayout;
}

/** What the row form of a rule receives: input jets in either layout (see `row-jet.ts`). */
export interface RowRuleArgs {
  readonly inputs: Readonly<Record<string, AnyJet>>;
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly outputs: readonly tf.Tensor[];
  readonly layout: JetLayout;
  /** True for a primal that is not on the gradient tape (made inside a custom-gradient op's forward). */
  readonly detached: (primal: tf.Tensor) => boolean;
}

/**
 * One Taylor-mode rule, as data: the tfjs kernel it covers and how it maps input jets to output jets (one per
 * kernel output). Rules use only differentiable tfjs ops (or `tf.customGrad` ops with exact gradients), so
 * everything they compute can be differentiated again by reverse mode (weight gradients of a PINN loss built
 * from the jets).
 *
 * `propagateRows`, when present, is the same rule in the row layout (every direction row of every coefficient
 * its own tensor, `row-jet.ts`): it returns the output jets in that layout, or `null` when it does not cover
 * these inputs, and then `propagate` runs on the list layout.
 */
export interface TaylorRule {
  readonly kernelName: string;
  readonly propagate: (args: TaylorRuleArgs) => Jet[];
  readonly propagateRows?: (args: RowRuleArgs) => RowJet[] | null;
}

/** Freezes a Taylor rule. */
export function defineTaylorRule(rule: TaylorRule): Readonly<TaylorRule> {
  return Object.freeze({ ...rule });
}

/**
 * An elementwise kernel `y = φ(x)` is fully described by its derivatives: `derivatives(x0, y0, count)`
 * returns `[φ'(x0), ..., φ^(count)(x0)]` (`null` for one that is identically zero); Faà di Bruno's formula
 * ({@link composeUnary}) does the rest.
 */
export interface UnaryTaylorSpec {
  readonly kernelName: string;
  /** The kernel's input name (default `x`). */
  readonly input?: string;
  readonly derivatives: (x0: tf.Tensor, y0: tf.Tensor, count: number) => (tf.Tensor | null)[];
  /** `derivatives` returns `φ^(n)(x0) / n!` instead of `φ^(n)(x0)`. Default false. */
  readonly normalized?: boolean;
}

/** A Taylor rule from the derivatives of an elementwise kernel. */
export function defineUnaryTaylorRule(spec: UnaryTaylorSpec): Readonly<TaylorRule> {
  const input = spec.input ?? 'x';
  return defineTaylorRule({
    kernelName: spec.kernelName,
    propagate: ({ inputs, outputs, layout }) => {
      const x = inputs[input];
      const y0 = outputs[0];
      const derivatives = spec.derivatives(x.primal, y0, layout.order);
      return [composeUnary(layout, x, { primal: y0, derivatives, normalized: spec.normalized })];
    },
    propagateRows: ({ inputs, outputs, layout, detached }) => {
      const x = inputs[input];
      const y0 = outputs[0];
      // the rule's gradient reaches x0 directly, so x0 must be on the tape (the list rule only needs y0)
      if (!isRowJet(x) || detached(x.primal) || !sameShape(x.primal.shape, y0.shape)) return null;
      return [rowUnary(spec, { x, y0, layout })];
    },
  });
}

/**
 * Derivatives of φ when φ' is a polynomial in φ itself (`φ' = P(φ)`: tanh' = 1 - tanh², σ' = σ - σ²):
 * φ^(n+1) = P_n'(φ) P(φ), all as polynomials in y0 with number coefficients (lowest degree first), evaluated
 * by Horner's rule; with `normalized`, divided by n! (Taylor coefficients).
 */
export function polynomialDerivatives(
  y0: tf.Tensor,
  base: readonly number[],
  options: { count: number; normalized?: boolean },
): tf.Tensor[] {
  const { count } = options;
  const out: tf.Tensor[] = [];
  let poly = [...base];
  let nFactorial = 1;
  const y2 = tf.square(y0);
  for (let n = 1; n <= count; n++) {
    nFactorial *= n;
    const coefficients = options.normalized === true ? poly.map((c) => c / nFactorial) : poly;
    out.push(horner(y0, coefficients, y2));
    const derivative = poly.slice(1).map((c, i) => c * (i + 1));
    poly = multiplyPolynomials(derivative, base);
  }
  return out;
}

function multiplyPolynomials(p: readonly number[], q: readonly number[]): number[] {
  const out = new Array<number>(Math.max(p.length + q.length - 1, 1)).fill(0);
  p.forEach((a, i) => q.forEach((b, j) => (out[i + j] += a * b)));
  while (out.length > 1 && out[out.length - 1] === 0) out.pop();
  return out;
}

/** Σ_i c_i y^i (`y2` = y², shared), using only the powers of the polynomial's parity when even or odd. */
function horner(y: tf.Tensor, c: readonly number[], y2?: tf.Tensor): tf.Tensor {
  const odd = c.every((v, i) => i % 2 === 1 || v === 0);
  const even = c.every((v, i) => i % 2 === 0 || v === 0);
  if ((odd || even) && c.length > 2) {
    const half = c.filter((_, i) => i % 2 === (odd ? 1 : 0));
    const inner = horner(y2 ?? tf.square(y), half);
    return odd ? tf.mul(inner, y) : inner;
  }
  // Horner's rule on tensors, with the first step `c_n y + c_{n-1}` as one kernel when c_n is ±1 (`y + c`,
  // `c - y`), and no scalar tensor for the leading coefficient.
  const n = c.length - 1;
  if (n === 0) return tf.scalar(c[0]);
  const [top, next] = [c[n], c[n - 1]];
  let acc: tf.Tensor;
  if (top === 1) acc = next === 0 ? y : tf.add(y, next);
  else if (top === -1) acc = next === 0 ? tf.neg(y) : tf.sub(next, y);
  else acc = next === 0 ? tf.mul(y, top) : tf.add(tf.mul(y, top), next);
  for (let i = n - 2; i >= 0; i--) {
    acc = tf.mul(acc, y);
    if (c[i] !== 0) acc = tf.add(acc, c[i]);
  }
  return acc;
}
