import * as tf from '@tensorflow/tfjs';

/**
 * A truncated Taylor series of one tensor along several directions: `primal` is the value, `coeffs[k - 1]`
 * the k-th normalised coefficient `(1/k!) d^k/dt^k f(x + t v)` stacked over the directions, shape
 * `[width_k, ...primal.shape]`. `null` stands for an identically zero coefficient (a constant, or a term a
 * rule knows vanishes), so constants cost nothing.
 */
export interface Jet {
  readonly primal: tf.Tensor;
  readonly coeffs: readonly (tf.Tensor | null)[];
}

/**
 * How jets are laid out in one propagation.
 *
 * - `order`: the highest coefficient carried (K).
 * - `widths[k - 1]`: how many direction rows coefficient k carries. Directions are sorted by their own order,
 *   highest first, so a direction that needs only order 1 (u_t beside u_xxx) drops out of the higher
 *   coefficients.
 * - `collapsed`: coefficient 2 holds the SUM over the directions (width 1) instead of one row per direction,
 *   which is the forward Laplacian (Li et al. 2023; Dangel et al. 2024, "collapsed Taylor mode").
 */
export interface JetLayout {
  readonly order: number;
  readonly widths: readonly number[];
  readonly collapsed: boolean;
}

/** A jet with no derivative part (a tensor that does not depend on the input). */
export function constantJet(primal: tf.Tensor, layout: JetLayout): Jet {
  return { primal, coeffs: new Array<null>(layout.order).fill(null) };
}

/** True when every coefficient of the jet is zero. */
export function isConstant(jet: Jet): boolean {
  return jet.coeffs.every((c) => c === null);
}

/**
 * Coefficient `i` of `jet` as a factor of a term of coefficient `k` (`i <= k`): rows beyond `widths[k - 1]`
 * are dropped (directions whose order is below k), except in collapsed mode, where a width-D factor stays
 * whole and the finished term is summed over its rows by {@link sumTerms}.
 */
/** Which output coefficient a term belongs to, in which layout. */
export interface TermSite {
  readonly layout: JetLayout;
  readonly k: number;
}

function coef(at: TermSite, jet: Jet, i: number): tf.Tensor | null {
  const { layout, k } = at;
  const c = jet.coeffs[i - 1];
  if (c === null || layout.collapsed) return c;
  const w = layout.widths[k - 1];
  if (c.shape[0] === w) return c;
  let byWidth = SLICES.get(c);
  if (byWidth === undefined) SLICES.set(c, (byWidth = new Map()));
  let sliced = byWidth.get(w);
  if (sliced === undefined || sliced.isDisposed) byWidth.set(w, (sliced = tf.slice(c, 0, w)));
  return sliced;
}

/** The leading rows of a coefficient, sliced once per width (a rule asks for them in several terms). */
const SLICES = new WeakMap<tf.Tensor, Map<number, tf.Tensor>>();

/** `[S, ...s] -> [S, 1, ..., 1, ...s]` of rank `rank + 1`, so it broadcasts against tensors of rank `rank`. */
export function lift(c: tf.Tensor, rank: number): tf.Tensor {
  const extra = rank + 1 - c.rank;
  if (extra <= 0) return c;
  return tf.reshape(c, [c.shape[0], ...new Array<number>(extra).fill(1), ...c.shape.slice(1)]);
}

/**
 * Elementwise product of two factors of an output of rank `rank`: `lead.p` / `lead.q` tell which factor is a
 * coefficient (a leading direction axis, then its input's shape, which may be of lower rank and broadcast) and
 * which a primal. A width-1 coefficient times a primal is multiplied without its leading axis, so the product's
 * gradient needs no reduction over a broadcast size-1 axis (one Sum kernel less per term in the weight
 * gradient).
 */
export function times(
  a: tf.Tensor,
  b: tf.Tensor,
  at: { rank: number; lead: { p: boolean; q: boolean } },
): tf.Tensor {
  const { rank, lead } = at;
  if (lead.p !== lead.q) {
    const [c, p] = lead.p ? [a, b] : [b, a];
    if (c.shape[0] === 1) {
      const product = tf.mul(tf.reshape(c, c.shape.slice(1)), p);
      return tf.reshape(product, [1, ...product.shape]);
    }
  }
  return tf.mul(lead.p ? lift(a, rank) : a, lead.q ? lift(b, rank) : b);
}

/**
 * The k-th output coefficient from its terms (`null` terms are zero): in collapsed mode, for k >= 2, each
 * term that still has one row per direction is summed over them. The result is broadcast to the full
 * `[width, ...outShape]`, or `null` when every term is zero.
 */
function sumTerms(
  at: TermSite,
  terms: readonly (tf.Tensor | null)[],
  outShape: readonly number[],
): tf.Tensor | null {
  const { layout, k } = at;
  let total: tf.Tensor | null = null;
  for (const raw of terms) {
    if (raw === null) continue;
    let term = lift(raw, outShape.length);
    if (layout.collapsed && k >= 2 && term.shape[0] > 1) term = tf.sum(term, 0, true);
    total = total === null ? term : tf.add(total, term);
  }
  if (total === null) return null;
  const width = layout.collapsed && k >= 2 ? 1 : layout.widths[k - 1];
  const full = [width, ...outShape];
  const same = total.rank === full.length && total.shape.every((d, i) => d === full[i]);
  return same ? total : tf.broadcastTo(total, full);
}

/** The width a coefficient k has in this layout. */
export function widthOf(layout: JetLayout, k: number): number {
  return layout.collapsed && k >= 2 ? 1 : layout.widths[k - 1];
}

/**
 * Faà di Bruno's formula in normalised Taylor coefficients, as data: for y = φ(x),
 * `y_k = Σ_n φ^(n)(x_0) Σ_{parts} weight · Π x_{part}` over the multisets `parts` of n positive integers that
 * sum to k, with `weight = 1 / Π_v m_v!` (m_v: how often v occurs in the multiset).
 */
export interface FaaDiBrunoTerm {
  readonly n: number;
  readonly weight: number;
  readonly parts: readonly number[];
}

function multisets(k: number, largest: number): number[][] {
  if (k === 0) return [[]];
  const out: number[][] = [];
  for (let first = Math.min(k, largest); first >= 1; first--) {
    for (const rest of multisets(k - first, first)) out.push([first, ...rest]);
  }
  return out;
}

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/** The terms of y_k (k >= 1) in Faà di Bruno's formula. */
function faaDiBrunoTerms(k: number): readonly FaaDiBrunoTerm[] {
  return multisets(k, k).map((parts) => {
    const counts = new Map<number, number>();
    for (const p of parts) counts.set(p, (counts.get(p) ?? 0) + 1);
    let denominator = 1;
    for (const m of counts.values()) denominator *= factorial(m);
    return { n: parts.length, weight: 1 / denominator, parts };
  });
}

const TERMS_CACHE = new Map<number, readonly FaaDiBrunoTerm[]>();
/** The terms of y_k in Faà di Bruno's formula, computed once per k. */
export function termsOf(k: number): readonly FaaDiBrunoTerm[] {
  let t = TERMS_CACHE.get(k);
  if (t === undefined) {
    t = faaDiBrunoTerms(k);
    TERMS_CACHE.set(k, t);
  }
  return t;
}

/**
 * The jet of `y = φ(x)` for an elementwise φ, given `y`'s primal and the derivatives
 * `derivatives[n - 1] = φ^(n)(x_0)` for n = 1..K (`null` for an identically zero derivative), or with
 * `normalized: true` the Taylor coefficients `φ^(n)(x_0) / n!` (which makes most weights 1, saving a kernel).
 */
export function composeUnary(
  layout: JetLayout,
  x: Jet,
  y: { primal: tf.Tensor; derivatives: readonly (tf.Tensor | null)[]; normalized?: boolean },
): Jet {
  const { primal, derivatives } = y;
  const scale = (n: number) => (y.normalized === true ? factorial(n) : 1);
  const rank = primal.rank;
  const coeffs: (tf.Tensor | null)[] = [];
  // Products of coefficients are shared between orders (x1·x1 of order 2 starts x1·x1·x1 of order 3); a
  // factor times itself is one Square (its gradient saves one tensor, not two).
  const products = new Map<string, tf.Tensor>();
  for (let k = 1; k <= layout.order; k++) {
    const site = layout.collapsed ? 'all' : String(layout.widths[k - 1]);
    const terms = termsOf(k).map(({ n, weight, parts }) => {
      const d = derivatives[n - 1];
      if (d === null || d === undefined) return null;
      let product: tf.Tensor | null = null;
      let key = site;
      for (const i of parts) {
        const xi = coef({ layout, k }, x, i);
        if (xi === null) return null;
        key += `,${i}`;
        const known = products.get(key);
        if (known !== undefined) {
          product = known;
          continue;
        }
        product = product === null ? xi : product === xi ? tf.square(xi) : tf.mul(product, xi);
        products.set(key, product);
      }
      const w = weight * scale(n);
      const scaled = w === 1 ? (product as tf.Tensor) : tf.mul(product as tf.Tensor, w);
      return times(d, scaled, { rank, lead: { p: false, q: true } });
    });
    coeffs.push(sumTerms({ layout, k }, terms, primal.shape));
  }
  return { primal, coeffs };
}

/**
 * The jet of a bilinear `y = B(a, b)` (elementwise product, matrix product): `y_k = Σ_{i=0..k} B(a_i, b_{k-i})`
 * with `a_0`, `b_0` the primals. `apply(p, q)` evaluates B where either factor may carry the leading
 * direction axis.
 */
export function composeBilinear(
  layout: JetLayout,
  operands: { a: Jet; b: Jet; primal: tf.Tensor },
  apply: (p: tf.Tensor, q: tf.Tensor, lead: { p: boolean; q: boolean }) => tf.Tensor,
): Jet {
  const { a, b, primal } = operands;
  const coeffs: (tf.Tensor | null)[] = [];
  for (let k = 1; k <= layout.order; k++) {
    const terms: (tf.Tensor | null)[] = [];
    for (let i = 0; i <= k; i++) {
      const p = i === 0 ? a.primal : coef({ layout, k }, a, i);
      const q = i === k ? b.primal : coef({ layout, k }, b, k - i);
      if (p === null || q === null) continue;
      terms.push(apply(p, q, { p: i > 0, q: i < k }));
    }
    coeffs.push(sumTerms({ layout, k }, terms, primal.shape));
  }
  return { primal, coeffs };
}

/**
 * The jet of a kernel that is linear in each of its inputs jointly (reshape, slice, concat, sum, ...):
 * `y_k = L(x_k)`. `apply(cs, k)` gets, per input, coefficient k with its leading direction axis (or `null`
 * for a zero one) and returns the output coefficient(s), also with a leading axis.
 */
export function composeLinear(
  layout: JetLayout,
  jets: { inputs: readonly Jet[]; primals: readonly tf.Tensor[] },
  apply: (cs: (tf.Tensor | null)[], k: number) => tf.Tensor | tf.Tensor[],
): Jet[] {
  const { inputs, primals } = jets;
  const perOutput: (tf.Tensor | null)[][] = primals.map(() => []);
  for (let k = 1; k <= layout.order; k++) {
    const cs = inputs.map((jet) => coef({ layout, k }, jet, k));
    if (cs.every((c) => c === null)) {
      for (const list of perOutput) list.push(null);
      continue;
    }
    const out = apply(cs, k);
    const list = Array.isArray(out) ? out : [out];
    list.forEach((t, j) => perOutput[j].push(t));
  }
  return primals.map((primal, j) => ({ primal, coeffs: perOutput[j] }));
}
