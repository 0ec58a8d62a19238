import { describeValue } from '@noether/autodiff';
import { PinnProjError, invalid } from './errors';

/** Named quadrature rules on an interval. */
export type QuadratureRule = 'uniform' | 'trapezoid' | 'simpson' | 'gauss-legendre';

const RULES: readonly QuadratureRule[] = ['uniform', 'trapezoid', 'simpson', 'gauss-legendre'];

/** Nodes and weights of a quadrature rule: `∫ f ≈ Σ_j weights[j] f(nodes[j])`. Frozen. */
export interface Quadrature {
  /** Node coordinates, row-major `[n, dim]`. */
  readonly nodes: Float64Array;
  /** Non-negative weights, length `n`. */
  readonly weights: Float64Array;
  /** Spatial dimension of each node (1 for an interval, 2 for a product grid). */
  readonly dim: number;
  /** Number of nodes. */
  readonly n: number;
}

/** Options for {@link quadrature} (pass instead of the node count). */
export interface QuadratureOptions {
  /** Number of nodes. */
  n: number;
  /**
   * Only for `'uniform'`: where the equal-weight nodes sit. `'centers'` (default): cell centres
   * `a + (j + 1/2) h`, the midpoint rule. `'left'`: cell left edges `a + j h` (the paper's grid
   * `x_j = j / 128` on `[0, 2)`). `'endpoints'`: `linspace(a, b, n)`, each still with weight `(b - a) / n`.
   */
  nodes?: 'centers' | 'left' | 'endpoints';
}

/**
 * Gauss–Legendre nodes and weights on [-1, 1] by Newton iteration on P_n (Golub–Welsch not needed for n ≤ 1000).
 */
function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const m = Math.floor((n + 1) / 2);
  for (let i = 0; i < m; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    for (let iter = 0; iter < 100; iter++) {
      let p1 = 1;
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j;
      }
      const dz = p1 / ((n * (z * p1 - p2)) / (z * z - 1));
      z -= dz;
      if (Math.abs(dz) < 1e-15) break;
    }
    // recompute derivative at the converged root
    let p1 = 1;
    let p2 = 0;
    for (let j = 1; j <= n; j++) {
      const p3 = p2;
      p2 = p1;
      p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j;
    }
    const pp = (n * (z * p1 - p2)) / (z * z - 1);
    x[i] = -z;
    x[n - 1 - i] = z;
    w[i] = 2 / ((1 - z * z) * pp * pp);
    w[n - 1 - i] = w[i];
  }
  return { x, w };
}

/**
 * Nodes and weights of a 1D quadrature rule on `[a, b]` with `n` nodes.
 *
 * - `uniform`: `w_j = (b - a) / n` (the paper's rule: 256 nodes on [0, 2], weight 1/128).
 * - `trapezoid`: nodes `linspace(a, b, n)`, `w = h (1/2, 1, ..., 1, 1/2)`, `h = (b - a)/(n - 1)`.
 * - `simpson`: composite Simpson on `linspace(a, b, n)`, `w = h/3 (1, 4, 2, ..., 4, 1)`; needs odd `n ≥ 3`.
 * - `gauss-legendre`: the n-point Gauss–Legendre rule mapped to `[a, b]` (exact for degree ≤ 2n - 1).
 *
 * @param rule - one of `'uniform' | 'trapezoid' | 'simpson' | 'gauss-legendre'`.
 * @param domain - `[a, b]` with `a < b`, both finite.
 * @param nodeCount - number of nodes n (integer ≥ 1; ≥ 2 for trapezoid; odd ≥ 3 for Simpson), or
 *   `{ n, nodes }` (see {@link QuadratureOptions}).
 * @returns a frozen {@link Quadrature} with `dim = 1`.
 * @throws {PinnProjError} `INVALID_ARGUMENT` for an unknown rule, a bad domain or node count.
 * @example
 * const q = quadrature('uniform', [0, 2], { n: 256, nodes: 'left' }); // weights all 1/128
 */
export function quadrature(
  rule: QuadratureRule,
  domain: readonly [number, number],
  nodeCount: number | QuadratureOptions,
): Quadrature {
  const fn = 'quadrature';
  const options: Partial<QuadratureOptions> = typeof nodeCount === 'number' ? {} : (nodeCount ?? {});
  const n = typeof nodeCount === 'number' ? nodeCount : nodeCount?.n;
  if (!RULES.includes(rule)) invalid([fn, 'rule'], `one of ${RULES.join(', ')}`, rule);
  if (
    !Array.isArray(domain) ||
    domain.length !== 2 ||
    !Number.isFinite(domain[0]) ||
    !Number.isFinite(domain[1]) ||
    !(domain[1] > domain[0])
  ) {
    invalid([fn, 'domain'], 'a pair [a, b] of finite numbers with a < b', domain);
  }
  const min = rule === 'uniform' || rule === 'gauss-legendre' ? 1 : rule === 'trapezoid' ? 2 : 3;
  if (!Number.isInteger(n) || n < min) invalid([fn, 'n'], `an integer >= ${min} for rule '${rule}'`, n);
  if (rule === 'simpson' && n % 2 === 0) invalid([fn, 'n'], "odd for rule 'simpson'", n);
  const [a, b] = domain;
  const L = b - a;
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  switch (rule) {
    case 'uniform': {
      const h = L / n;
      const placement = options.nodes ?? 'centers';
      if (!['centers', 'left', 'endpoints'].includes(placement)) {
        invalid([fn, 'options.nodes'], "one of 'centers', 'left', 'endpoints'", placement);
      }
      for (let j = 0; j < n; j++) {
        nodes[j] =
          placement === 'centers'
            ? a + (j + 0.5) * h
            : placement === 'left'
              ? a + j * h
              : n === 1
                ? a
                : a + (j * L) / (n - 1);
        weights[j] = h;
      }
      break;
    }
    case 'trapezoid':
    case 'simpson': {
      const h = L / (n - 1);
      for (let j = 0; j < n; j++) {
        nodes[j] = j === n - 1 ? b : a + j * h;
        if (rule === 'trapezoid') weights[j] = j === 0 || j === n - 1 ? h / 2 : h;
        else weights[j] = ((j === 0 || j === n - 1 ? 1 : j % 2 === 1 ? 4 : 2) * h) / 3;
      }
      break;
    }
    case 'gauss-legendre': {
      const { x, w } = gaussLegendre(n);
      for (let j = 0; j < n; j++) {
        nodes[j] = a + ((x[j] + 1) * L) / 2;
        weights[j] = (w[j] * L) / 2;
      }
      break;
    }
  }
  return Object.freeze({ nodes, weights, dim: 1, n });
}

/**
 * Tensor-product quadrature of two 1D rules, e.g. a 32x32 grid on [0, 2]^2. Node `j = i * ny + k` is
 * `(x_i, y_k)` with weight `wx_i * wy_k`.
 *
 * @throws {PinnProjError} `INVALID_ARGUMENT` unless both rules are 1D.
 * @example
 * const q = productQuadrature(quadrature('uniform', [0, 2], 32), quadrature('uniform', [0, 2], 32));
 */
export function productQuadrature(qx: Quadrature, qy: Quadrature): Quadrature {
  if (qx?.dim !== 1) invalid(['productQuadrature', 'qx'], 'a 1D quadrature', qx);
  if (qy?.dim !== 1) invalid(['productQuadrature', 'qy'], 'a 1D quadrature', qy);
  const n = qx.n * qy.n;
  const nodes = new Float64Array(2 * n);
  const weights = new Float64Array(n);
  for (let i = 0; i < qx.n; i++) {
    for (let k = 0; k < qy.n; k++) {
      const j = i * qy.n + k;
      nodes[2 * j] = qx.nodes[i];
      nodes[2 * j + 1] = qy.nodes[k];
      weights[j] = qx.weights[i] * qy.weights[k];
    }
  }
  return Object.freeze({ nodes, weights, dim: 2, n });
}

/**
 * Quadrature weights for the pure projections: an explicit weight vector, a {@link Quadrature}, or a
 * named rule on a domain (`{ rule, domain }`, node count taken from the values).
 */
export type WeightSpec =
  ArrayLike<number> | Quadrature | { rule: QuadratureRule; domain: readonly [number, number] };

/**
 * Resolves and validates a {@link WeightSpec} for `n` grid values: length `n`, all finite and `>= 0`,
 * positive sum. Returns a fresh Float64Array.
 *
 * @throws {PinnProjError} `SHAPE_MISMATCH` when the length differs from `n`; `INVALID_ARGUMENT` for negative,
 *   non-finite or all-zero weights.
 */
export function resolveWeights(spec: WeightSpec, n: number, fn = 'resolveWeights'): Float64Array {
  let w: ArrayLike<number>;
  if (spec !== null && typeof spec === 'object' && 'rule' in spec && !('length' in spec)) {
    w = quadrature(spec.rule, spec.domain, n).weights;
  } else if (spec !== null && typeof spec === 'object' && 'weights' in spec && 'nodes' in spec) {
    w = spec.weights;
  } else if (
    spec !== null &&
    typeof spec === 'object' &&
    typeof (spec as ArrayLike<number>).length === 'number'
  ) {
    w = spec as ArrayLike<number>;
  } else {
    return invalid([fn, 'weights'], 'a weight vector, a Quadrature, or { rule, domain }', spec);
  }
  if (w.length !== n) {
    throw new PinnProjError(
      'SHAPE_MISMATCH',
      `${fn}(): argument 'weights' must have one weight per grid value (${n}), got ${describeValue(w)}`,
    );
  }
  const out = Float64Array.from(w);
  let sum = 0;
  for (let j = 0; j < n; j++) {
    const v = out[j];
    if (!Number.isFinite(v) || v < 0) {
      invalid([fn, `weights[${j}]`], 'a finite non-negative number', v);
    }
    sum += v;
  }
  if (!(sum > 0)) invalid([fn, 'weights'], 'a vector with a positive sum', sum);
  return out;
}
