import { checkNumber, invalid } from './errors';

/**
 * Solves the linear assignment problem: the permutation `p` of `0..n-1` that maximises
 * `sum_i score[i][p[i]]` (row `i` is assigned column `p[i]`), by the Hungarian algorithm with potentials
 * in O(n^3) (Kuhn 1955, Munkres 1957; shortest augmenting paths as in Jonker–Volgenant).
 *
 * @throws ParamSymmetryError `INVALID_ARGUMENT` when `score` is not a finite `n x n` matrix.
 * @example
 * ```ts
 * hungarian(Float64Array.of(1, 5, 4, 2), 2); // Int32Array [1, 0]
 * ```
 * @see H. W. Kuhn, "The Hungarian method for the assignment problem", Naval Res. Logist. Q. 2 (1955).
 */
export function hungarian(score: ArrayLike<number>, n: number): Int32Array {
  const fn = 'hungarian';
  checkNumber([fn, 'n'], n, { min: 0, inclusive: true, integer: true });
  if (!score || score.length !== n * n) invalid([fn, 'score'], `a row-major ${n}x${n} matrix`, score);
  for (let i = 0; i < n * n; i++)
    if (!Number.isFinite(score[i])) invalid([fn, `score[${i}]`], 'a finite number', score[i]);
  // Minimise cost = -score; 1-based arrays as in the classic formulation.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1); // p[j]: row matched to column j
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = -score[(i0 - 1) * n + (j - 1)] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const assignment = new Int32Array(n);
  for (let j = 1; j <= n; j++) if (p[j] > 0) assignment[p[j] - 1] = j - 1;
  return assignment;
}
