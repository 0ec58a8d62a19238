import { invalid } from './errors';

/** Result of {@link svd64}: `a = u diag(s) vᵀ`, singular values descending. */
export interface Svd64 {
  /** Singular values, descending, length min(rows, cols). */
  s: Float64Array;
  /** Right singular vectors as rows: `v[i]` (length cols) belongs to `s[i]`. */
  v: Float64Array[];
  /** Left singular vectors as rows: `u[i]` (length rows) belongs to `s[i]` (zero when s[i] = 0). */
  u: Float64Array[];
}

/**
 * Float64 singular value decomposition of a small dense matrix given as rows, by one-sided Jacobi rotations
 * (Hestenes) on the columns of `aᵀ`: accurate to double round-off relative to each singular value, no
 * squaring of the condition number (unlike an eigendecomposition of a aᵀ).
 *
 * @param rows - the matrix `[rows][cols]` (not modified).
 * @returns {@link Svd64}.
 * @throws {RazorError} `INVALID_ARGUMENT` for an empty or ragged matrix.
 * @example svd64([Float64Array.of(3, 0), Float64Array.of(0, 4)]).s; // [4, 3]
 * @see J. Demmel & K. Veselić, "Jacobi's method is more accurate than QR", SIAM J. Matrix Anal. Appl. 13 (1992).
 */
export function svd64(rows: readonly ArrayLike<number>[]): Svd64 {
  const fn = 'svd64';
  if (!Array.isArray(rows) || rows.length === 0) invalid([fn, 'rows'], 'a non-empty array of rows', rows);
  const k = rows.length;
  const n = rows[0].length;
  if (rows.some((r) => r.length !== n) || n === 0) invalid([fn, 'rows'], 'rows of one non-zero length', rows);
  // Work on W = aᵀ (n x k) stored as k columns of length n; track V (k x k) so that W V has orthogonal columns.
  const cols = rows.map((r) => Float64Array.from(r));
  const vt = Array.from({ length: k }, (_, i) => {
    const e = new Float64Array(k);
    e[i] = 1;
    return e;
  });
  const dot = (a: Float64Array, b: Float64Array) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  };
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let i = 0; i < k - 1; i++) {
      for (let j = i + 1; j < k; j++) {
        const a = dot(cols[i], cols[i]);
        const b = dot(cols[j], cols[j]);
        const c = dot(cols[i], cols[j]);
        if (Math.abs(c) <= 1e-15 * Math.sqrt(a * b) || c === 0) continue;
        rotated = true;
        const zeta = (b - a) / (2 * c);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const cs = 1 / Math.sqrt(1 + t * t);
        const sn = cs * t;
        for (const m of [cols, vt]) {
          const x = m[i];
          const y = m[j];
          for (let r = 0; r < x.length; r++) {
            const xi = x[r];
            const yi = y[r];
            x[r] = cs * xi - sn * yi;
            y[r] = sn * xi + cs * yi;
          }
        }
      }
    }
    if (!rotated) break;
  }
  // Column i of W V is (row i of the rotated rows); its norm is a singular value and its direction the right
  // singular vector of `a` (a vector in R^n); the rotation's row gives the left singular vector (in R^k).
  const norms = cols.map((c) => Math.sqrt(dot(c, c)));
  const order = norms.map((_, i) => i).sort((p, q) => norms[q] - norms[p]);
  const count = Math.min(k, n);
  const s = new Float64Array(count);
  const v: Float64Array[] = [];
  const u: Float64Array[] = [];
  for (let r = 0; r < count; r++) {
    const i = order[r];
    s[r] = norms[i];
    v.push(norms[i] > 0 ? cols[i].map((x) => x / norms[i]) : new Float64Array(n));
    u.push(norms[i] > 0 ? Float64Array.from(vt[i]) : new Float64Array(k));
  }
  return { s, v, u };
}
