import { IntegratorError, describe } from './errors';

/** What {@link defineButcherTableau} takes. */
export interface ButcherTableauSpec {
  name: string;
  /** Claimed order of the solution weights `b`; verified against the rooted-tree order conditions. */
  order: number;
  /** Stage matrix `a[i][j]` (s x s); strictly lower triangular for explicit methods. */
  a: readonly (readonly number[])[];
  /** Solution weights (sum to 1). */
  b: readonly number[];
  /** Nodes; must equal the row sums of `a`. */
  c: readonly number[];
  /** Embedded weights of an error estimator (adaptive methods). */
  bHat?: readonly number[];
  /** Claimed order of `bHat`. */
  embeddedOrder?: number;
  /**
   * Coefficients `d` of a continuous extension (Hairer's DOPRI5 form): with `r = y1 - y0`,
   * `y(t0 + th) = y0 + t (r + (1 - t)(h k1 - r + t (2r - h k1 - h k_s + (1 - t) h sum_i d_i k_i)))`.
   */
  dense?: readonly number[];
  source: string;
}

/** A validated, frozen Runge–Kutta method. */
export interface ButcherTableau {
  readonly type: 'runge-kutta';
  readonly name: string;
  readonly order: number;
  readonly source: string;
  readonly a: readonly (readonly number[])[];
  readonly b: readonly number[];
  readonly c: readonly number[];
  readonly stages: number;
  /** Error weights `e = b - bHat` (sum to 0), when embedded. */
  readonly errorWeights: readonly number[] | undefined;
  readonly embeddedOrder: number | undefined;
  readonly dense: readonly number[] | undefined;
  /** Derived: `a` is strictly lower triangular. */
  readonly explicit: boolean;
  /** Derived: the last stage is evaluated at the new solution (c_1 = 0, c_s = 1, a_s = b), so it is reused. */
  readonly fsal: boolean;
  /** Derived: `b_i a_ij + b_j a_ji = b_i b_j` for all i, j (Cooper's condition). */
  readonly symplectic: boolean;
}

interface Tree {
  order: number;
  children: number[];
  gamma: number;
}

let treeCache: Tree[] = [];
/** All rooted trees up to `maxOrder`, each as child indices into the list (generated once, ordered by order). */
function rootedTrees(maxOrder: number): Tree[] {
  if (treeCache.length && treeCache[treeCache.length - 1].order >= maxOrder) {
    return treeCache.filter((t) => t.order <= maxOrder);
  }
  const trees: Tree[] = [{ order: 1, children: [], gamma: 1 }];
  for (let n = 2; n <= maxOrder; n++) {
    const limit = trees.length;
    const out: number[][] = [];
    const rec = (remaining: number, maxIdx: number, acc: number[]) => {
      if (remaining === 0) {
        out.push(acc.slice());
        return;
      }
      for (let i = Math.min(maxIdx, limit - 1); i >= 0; i--) {
        if (trees[i].order <= remaining) {
          acc.push(i);
          rec(remaining - trees[i].order, i, acc);
          acc.pop();
        }
      }
    };
    rec(n - 1, limit - 1, []);
    for (const children of out) {
      trees.push({ order: n, children, gamma: n * children.reduce((g, i) => g * trees[i].gamma, 1) });
    }
  }
  treeCache = trees;
  return trees;
}

/**
 * The order of weights `b` with stage matrix `a`: the largest p such that every rooted tree t with
 * |t| <= p satisfies `b^T Phi(t) = 1 / gamma(t)` (checked up to `maxOrder`).
 *
 * @see J. C. Butcher, Numerical Methods for Ordinary Differential Equations, 3rd ed., Wiley 2016, §3.
 */
export function rungeKuttaOrder(
  a: readonly (readonly number[])[],
  b: readonly number[],
  maxOrder: number,
): number {
  const s = b.length;
  const trees = rootedTrees(maxOrder);
  const g: Float64Array[] = [];
  for (const t of trees) {
    const v = new Float64Array(s).fill(1);
    for (const ch of t.children) {
      const gc = g[ch];
      for (let i = 0; i < s; i++) {
        let acc = 0;
        for (let j = 0; j < s; j++) acc += a[i][j] * gc[j];
        v[i] *= acc;
      }
    }
    g.push(v);
  }
  let order = maxOrder;
  trees.forEach((t, k) => {
    let phi = 0;
    for (let i = 0; i < s; i++) phi += b[i] * g[k][i];
    if (Math.abs(phi - 1 / t.gamma) > 1e-12 && t.order - 1 < order) order = t.order - 1;
  });
  return order;
}

/**
 * Validates and freezes a Butcher tableau. Checks: shapes; finite entries; row sums of `a` equal `c`;
 * `b` sums to 1; `b - bHat` sums to 0; the claimed orders equal the rooted-tree orders exactly. Derives
 * `explicit`, `fsal`, `symplectic` and the error weights.
 *
 * @throws IntegratorError `INVALID_METHOD` when any check fails.
 * @example
 * ```ts
 * const heun = defineButcherTableau({ name: 'heun', order: 2, a: [[0, 0], [1, 0]], b: [0.5, 0.5], c: [0, 1], source: 'Heun 1900' });
 * ```
 */
export function defineButcherTableau(spec: ButcherTableauSpec): ButcherTableau {
  const bad = (msg: string) =>
    new IntegratorError('INVALID_METHOD', `defineButcherTableau(): tableau '${spec.name}' ${msg}`);
  const s = spec.b.length;
  const finite = (x: readonly number[]) => x.every(Number.isFinite);
  if (s === 0 || !finite(spec.b)) throw bad(`needs finite weights 'b', got ${describe(spec.b)}`);
  if (spec.c.length !== s || !finite(spec.c))
    throw bad(`needs ${s} finite nodes 'c', got ${describe(spec.c)}`);
  if (spec.a.length !== s || !spec.a.every((row) => row.length === s && finite(row))) {
    throw bad(`needs an ${s}x${s} finite stage matrix 'a'`);
  }
  spec.a.forEach((row, i) => {
    const rs = row.reduce((x, y) => x + y, 0);
    if (Math.abs(rs - spec.c[i]) > 1e-13)
      throw bad(`has row ${i} of 'a' summing to ${rs}, but c[${i}] = ${spec.c[i]}`);
  });
  const sb = spec.b.reduce((x, y) => x + y, 0);
  if (Math.abs(sb - 1) > 1e-13) throw bad(`has weights summing to ${sb}, expected 1`);
  const measured = rungeKuttaOrder(spec.a, spec.b, spec.order + 1);
  if (measured !== spec.order)
    throw bad(`claims order ${spec.order} but satisfies the order conditions to order ${measured}`);
  let errorWeights: number[] | undefined;
  const bHat = spec.bHat;
  if (bHat) {
    if (bHat.length !== s || !finite(bHat)) throw bad(`needs ${s} finite embedded weights 'bHat'`);
    errorWeights = spec.b.map((v, i) => v - bHat[i]);
    const se = errorWeights.reduce((x, y) => x + y, 0);
    if (Math.abs(se) > 1e-13) throw bad(`has error weights summing to ${se}, expected 0`);
    const em = rungeKuttaOrder(spec.a, bHat, (spec.embeddedOrder ?? 0) + 1);
    if (em !== spec.embeddedOrder)
      throw bad(`claims embedded order ${spec.embeddedOrder} but its 'bHat' has order ${em}`);
  }
  if (spec.dense && (spec.dense.length !== s || !finite(spec.dense)))
    throw bad(`needs ${s} finite dense coefficients`);
  const explicit = spec.a.every((row, i) => row.every((v, j) => j < i || v === 0));
  const last = spec.a[s - 1];
  const fsal =
    explicit && s > 1 && spec.c[0] === 0 && spec.c[s - 1] === 1 && last.every((v, j) => v === spec.b[j]);
  let symplectic = true;
  for (let i = 0; i < s; i++) {
    for (let j = 0; j < s; j++) {
      const m = spec.b[i] * spec.a[i][j] + spec.b[j] * spec.a[j][i] - spec.b[i] * spec.b[j];
      if (Math.abs(m) > 1e-13) symplectic = false;
    }
  }
  const freezeRows = spec.a.map((r) => Object.freeze(r.slice()));
  return Object.freeze({
    type: 'runge-kutta' as const,
    name: spec.name,
    order: spec.order,
    source: spec.source,
    a: Object.freeze(freezeRows),
    b: Object.freeze(spec.b.slice()),
    c: Object.freeze(spec.c.slice()),
    stages: s,
    errorWeights: errorWeights && Object.freeze(errorWeights),
    embeddedOrder: spec.embeddedOrder,
    dense: spec.dense && Object.freeze(spec.dense.slice()),
    explicit,
    fsal,
    symplectic,
  });
}
