import { OptimError, checkNumber, invalid } from './errors';

/** A symmetric linear operator on R^n as a float64 matrix-vector product (e.g. a Hessian-vector product). */
export type SymmetricMatVec = (v: Float64Array) => Float64Array;

/** Options of {@link lanczos}. */
export interface LanczosOptions {
  /** Lanczos steps m (the Krylov dimension, at most n); default 30. */
  steps?: number;
  /** Start vector (normalised internally); default a seeded Rademacher vector. */
  start?: Float64Array;
  /** Seed of the default start vector; default 0. */
  seed?: number;
}

/** Result of {@link lanczos}: the tridiagonal T_m and its eigen-decomposition. */
export interface LanczosResult {
  /** Diagonal of T_m (length m'). m' < m when the Krylov space was exhausted (invariant subspace). */
  alpha: Float64Array;
  /** Off-diagonal of T_m (length m' - 1). */
  beta: Float64Array;
  /** Ritz values (eigenvalues of T_m), descending. */
  ritzValues: Float64Array;
  /** Squared first components of T_m's normalised eigenvectors (same order): the quadrature weights, summing to 1. */
  weights: Float64Array;
  /** Matrix-vector products used. */
  matvecs: number;
}

/** Seeded Rademacher (+-1) vector of length n (mulberry32 stream). */
export function rademacher(n: number, seed: number): Float64Array {
  let a = (seed * 0x9e3779b9 + 0x6d2b79f5) >>> 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 1 ? 1 : -1;
  }
  return out;
}

/**
 * Lanczos tridiagonalisation of a symmetric operator A (float64, full reorthogonalisation against every
 * previous Lanczos vector, so the Ritz values carry no spurious copies):
 *   A Q_m = Q_m T_m + beta_m q_{m+1} e_m^T,  T_m = tridiag(beta, alpha, beta).
 * The extreme Ritz values converge to the extreme eigenvalues of A (top eigenvalues: `ritzValues[0..k]`),
 * and (ritzValues, weights) is the m-node Gauss quadrature of the spectral measure of A seen from the start
 * vector q_1: sum_i weights_i f(theta_i) = q_1^T f(A) q_1, exact for polynomials of degree <= 2m - 1.
 * Memory O(n m); cost m matrix-vector products plus O(n m^2).
 * @throws OptimError `INVALID_ARGUMENT` for a bad `n`, `steps`, `start`; `NON_FINITE` if A v is not finite.
 * @example lanczos((v) => v.map((x, i) => (i + 1) * x), 10, { steps: 10 }).ritzValues[0]; // 10
 * @see C. Lanczos (1950); G. H. Golub, G. Meurant, "Matrices, Moments and Quadrature with Applications" (2010).
 */
export function lanczos(matvec: SymmetricMatVec, n: number, options: LanczosOptions = {}): LanczosResult {
  const fn = 'lanczos';
  if (typeof matvec !== 'function') invalid([fn, 'matvec'], 'a function', matvec);
  checkNumber({ fn, name: 'n' }, n, { min: 1, inclusive: true, integer: true });
  const m = Math.min(options.steps ?? 30, n);
  checkNumber({ fn, name: 'steps' }, m, { min: 1, inclusive: true, integer: true });
  const start = options.start ?? rademacher(n, options.seed ?? 0);
  if (!(start instanceof Float64Array) || start.length !== n)
    invalid([fn, 'start'], `a Float64Array of length ${n}`, start);
  let norm0 = 0;
  for (let i = 0; i < n; i++) norm0 += start[i] * start[i];
  norm0 = Math.sqrt(norm0);
  if (!(norm0 > 0) || !Number.isFinite(norm0)) invalid([fn, 'start'], 'a finite non-zero vector', start);
  const Q: Float64Array[] = [start.map((v) => v / norm0)];
  const alpha: number[] = [];
  const beta: number[] = [];
  let matvecs = 0;
  for (let j = 0; j < m; j++) {
    const q = Q[j];
    const w = Float64Array.from(matvec(q));
    matvecs++;
    if (w.length !== n || w.some((v) => !Number.isFinite(v)))
      throw new OptimError(
        'NON_FINITE',
        `${fn}(): matvec returned a non-finite or wrong-length vector at step ${j}`,
        {
          fn,
        },
      );
    let a = 0;
    for (let i = 0; i < n; i++) a += w[i] * q[i];
    alpha.push(a);
    // w -= a q + beta q_prev, then full reorthogonalisation (twice is enough, Kahan-Parlett).
    for (let pass = 0; pass < 2; pass++)
      for (const p of Q) {
        let d = 0;
        for (let i = 0; i < n; i++) d += w[i] * p[i];
        for (let i = 0; i < n; i++) w[i] -= d * p[i];
      }
    if (j === m - 1) break;
    let b = 0;
    for (let i = 0; i < n; i++) b += w[i] * w[i];
    b = Math.sqrt(b);
    if (b <= 1e-12 * Math.max(1, Math.abs(a))) break; // invariant subspace found
    beta.push(b);
    Q.push(w.map((v) => v / b));
  }
  const { values, first } = tridiagonalEigen(Float64Array.from(alpha), Float64Array.from(beta));
  const order = Array.from(values, (_, i) => i).sort((x, y) => values[y] - values[x]);
  return {
    alpha: Float64Array.from(alpha),
    beta: Float64Array.from(beta),
    ritzValues: Float64Array.from(order, (i) => values[i]),
    weights: Float64Array.from(order, (i) => first[i] ** 2),
    matvecs,
  };
}

/**
 * Eigenvalues of the symmetric tridiagonal matrix tridiag(e, d, e) and the first component of each
 * normalised eigenvector, by the implicit QL algorithm with Wilkinson shifts (EISPACK tql2, on the first
 * row of the eigenvector matrix only).
 */
export function tridiagonalEigen(
  d: Float64Array,
  e: Float64Array,
): { values: Float64Array; first: Float64Array } {
  const n = d.length;
  const dd = Float64Array.from(d);
  const ee = new Float64Array(n);
  ee.set(e.subarray(0, n - 1));
  const z = new Float64Array(n); // first row of the accumulated rotations
  z[0] = 1;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const s = Math.abs(dd[m]) + Math.abs(dd[m + 1]);
        if (Math.abs(ee[m]) <= Number.EPSILON * s) break;
      }
      if (m === l) break;
      if (++iter > 60)
        throw new OptimError('NOT_CONVERGED', 'tridiagonalEigen(): QL iteration did not converge', {
          fn: 'tridiagonalEigen',
        });
      let g = (dd[l + 1] - dd[l]) / (2 * ee[l]);
      let r = Math.hypot(g, 1);
      g = dd[m] - dd[l] + ee[l] / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      for (; i >= l; i--) {
        let f = s * ee[i];
        const b = c * ee[i];
        r = Math.hypot(f, g);
        ee[i + 1] = r;
        if (r === 0) {
          dd[i + 1] -= p;
          ee[m] = 0;
          break;
        }
        s = f / r;
        c = g / r;
        g = dd[i + 1] - p;
        r = (dd[i] - g) * s + 2 * c * b;
        p = s * r;
        dd[i + 1] = g + p;
        g = c * r - b;
        f = z[i + 1];
        z[i + 1] = s * z[i] + c * f;
        z[i] = c * z[i] - s * f;
      }
      if (r === 0 && i >= l) continue;
      dd[l] -= p;
      ee[l] = g;
      ee[m] = 0;
    }
  }
  return { values: dd, first: z };
}

/** Options of {@link spectralDensity}. */
export interface SpectralDensityOptions {
  /** Random probe vectors (Rademacher); default 4. */
  probes?: number;
  /** Lanczos steps per probe; default 30. */
  steps?: number;
  /** Seed of the probes (probe p uses seed + p); default 0. */
  seed?: number;
}

/** Result of {@link spectralDensity}: the averaged Gauss quadrature of the spectral measure. */
export interface SpectralDensity {
  /** Ritz values of every probe, concatenated. */
  nodes: Float64Array;
  /** Their weights divided by the number of probes (sum 1). */
  weights: Float64Array;
  /** Estimate of trace(A) = n * sum_i weights_i nodes_i. */
  trace: number;
  /** Matrix-vector products used. */
  matvecs: number;
}

/**
 * Stochastic Lanczos quadrature (SLQ) estimate of the spectral density of a symmetric operator A:
 *   phi(t) = (1/n) sum_i delta(t - lambda_i) ~ (1/P) sum_p sum_j tau_pj^2 delta(t - theta_pj),
 * with theta, tau^2 the Ritz values and weights of `steps` Lanczos steps from P Rademacher probes. Smooth it
 * with {@link densityOnGrid}. E[q^T f(A) q] = tr f(A) / n for a normalised Rademacher q.
 * @throws OptimError `INVALID_ARGUMENT` for bad options (see {@link lanczos}).
 * @example const d = spectralDensity(hvpOf(theta), theta.length, { probes: 4, steps: 30 });
 * @see Z. Yao, A. Gholami, K. Keutzer, M. W. Mahoney, "PyHessian: Neural networks through the lens of the
 *   Hessian", IEEE BigData (2020); B. Ghorbani, S. Krishnan, Y. Xiao, ICML (2019).
 */
export function spectralDensity(
  matvec: SymmetricMatVec,
  n: number,
  options: SpectralDensityOptions = {},
): SpectralDensity {
  const probes = options.probes ?? 4;
  checkNumber({ fn: 'spectralDensity', name: 'probes' }, probes, { min: 1, inclusive: true, integer: true });
  const nodes: number[] = [];
  const weights: number[] = [];
  let matvecs = 0;
  let trace = 0;
  for (let p = 0; p < probes; p++) {
    const r = lanczos(matvec, n, { steps: options.steps ?? 30, seed: (options.seed ?? 0) + p + 1 });
    matvecs += r.matvecs;
    r.ritzValues.forEach((v, i) => {
      nodes.push(v);
      weights.push(r.weights[i] / probes);
      trace += (n * r.weights[i] * v) / probes;
    });
  }
  return { nodes: Float64Array.from(nodes), weights: Float64Array.from(weights), trace, matvecs };
}

/**
 * A quadrature measure (`nodes`, `weights`) smoothed by a Gaussian of width `sigma`, evaluated at `grid`:
 * density(t) = sum_i weights_i exp(-(t - nodes_i)^2 / (2 sigma^2)) / (sigma sqrt(2 pi)).
 * @example densityOnGrid(d, [0, 1, 2], 0.1);
 */
export function densityOnGrid(
  measure: { nodes: Float64Array; weights: Float64Array },
  grid: ArrayLike<number>,
  sigma: number,
): Float64Array {
  checkNumber({ fn: 'densityOnGrid', name: 'sigma' }, sigma, { min: 0 });
  const c = 1 / (sigma * Math.sqrt(2 * Math.PI));
  return Float64Array.from(grid, (t) => {
    let s = 0;
    measure.nodes.forEach((x, i) => {
      s += measure.weights[i] * Math.exp(-((t - x) ** 2) / (2 * sigma * sigma));
    });
    return s * c;
  });
}
