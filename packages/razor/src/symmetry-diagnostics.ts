import { invalid } from './errors';
import { svd64 } from './svd64';

/** Options of {@link symmetryDiagnostics}. */
export interface SymmetryDiagnosticsOptions {
  /** True generators `[(M + 1)^2]` each (their span is the reference); optional. */
  trueGenerators?: readonly ArrayLike<number>[];
  /** Dimension L of the true symmetry algebra (default: rank of `trueGenerators`). */
  trueDimension?: number;
  /** Absolute singular-value threshold of the paper's figures (default 0.05). */
  absoluteThreshold?: number;
  /** Relative threshold, a fraction of s1 (default 0.05). */
  relativeThreshold?: number;
}

/** Result of {@link symmetryDiagnostics}. */
export interface SymmetryDiagnostics {
  /** Singular values of the stacked generators `[K, (M+1)^2]`, descending (float64). */
  singularValues: number[];
  /** Right singular vectors (rows), one per singular value. */
  directions: Float64Array[];
  /** How many singular values exceed `absoluteThreshold`. */
  count: number;
  /** How many exceed `relativeThreshold · s1`. */
  countRelative: number;
  /** L, the true dimension (0 without a reference). */
  trueDimension: number;
  /** s_L / s_{L+1} (Infinity when s_{L+1} = 0; NaN without a reference). */
  gap: number;
  /** Norm of the projection of each of the leading L right singular vectors onto the true span. */
  parallelness: number[];
  /** Principal angles (radians, ascending) between the span of the leading L vectors and the true span. */
  principalAngles: number[];
}

/** Orthonormal rows spanning the given vectors (rank by singular values above 1e-10 s1). */
export function orthonormalBasis(vectors: readonly ArrayLike<number>[]): Float64Array[] {
  if (vectors.length === 0) return [];
  const { s, v } = svd64(vectors);
  const tol = 1e-10 * (s[0] || 1);
  return v.filter((_, i) => s[i] > tol && s[0] > 0);
}

/**
 * Diagnostics of learned symmetry generators (Noether's Razor, section 6): the SVD of the stacked flattened
 * generators (float64), the number of singular values above an absolute threshold and above a fraction of s1,
 * the gap s_L/s_{L+1} at the true dimension L, the parallelness of each leading right singular vector to the
 * true span (norm of its orthogonal projection, 1 = inside), and the principal angles between the spans.
 *
 * @param generators - learned generators, `[(M + 1)^2]` each (row-major), K of them.
 * @param options - reference span and thresholds.
 * @returns {@link SymmetryDiagnostics}.
 * @throws {RazorError} `INVALID_ARGUMENT` for no generators or ragged lengths.
 * @example
 * const d = symmetryDiagnostics(learned, { trueGenerators: oscillators.conserved.slice(1).map(symmetryGenerator) });
 * d.countRelative; // 4 for two oscillators, once training has converged
 * @see A. Björck & G. H. Golub, "Numerical methods for computing angles between linear subspaces",
 *   Math. Comp. 27 (1973).
 */
export function symmetryDiagnostics(
  generators: readonly ArrayLike<number>[],
  options: SymmetryDiagnosticsOptions = {},
): SymmetryDiagnostics {
  const fn = 'symmetryDiagnostics';
  if (!Array.isArray(generators) || generators.length === 0)
    invalid([fn, 'generators'], 'a non-empty array of flattened generators', generators);
  const len = generators[0].length;
  if (generators.some((g) => g.length !== len))
    invalid([fn, 'generators'], 'generators of one length', generators);
  const truth = options.trueGenerators ?? [];
  if (truth.some((g) => g.length !== len))
    invalid([fn, 'options.trueGenerators'], `generators of length ${len}`, truth);
  const { s, v } = svd64(generators);
  const singularValues = Array.from(s);
  const abs = options.absoluteThreshold ?? 0.05;
  const rel = options.relativeThreshold ?? 0.05;
  const s1 = singularValues[0] ?? 0;
  const count = singularValues.filter((x) => x > abs).length;
  const countRelative = s1 > 0 ? singularValues.filter((x) => x > rel * s1).length : 0;
  const basis = orthonormalBasis(truth);
  const L = options.trueDimension ?? basis.length;
  let gap = NaN;
  if (L > 0 && L <= singularValues.length) {
    const next = singularValues[L] ?? 0;
    gap = next > 0 ? singularValues[L - 1] / next : Infinity;
  }
  const lead = v.slice(0, Math.min(L, v.length));
  const parallelness = lead.map((d) => {
    let p = 0;
    for (const q of basis) {
      let c = 0;
      for (let i = 0; i < len; i++) c += q[i] * d[i];
      p += c * c;
    }
    return Math.sqrt(p);
  });
  let principalAngles: number[] = [];
  if (lead.length > 0 && basis.length > 0) {
    const cross = lead.map((d) =>
      Float64Array.from(basis, (q) => {
        let c = 0;
        for (let i = 0; i < len; i++) c += q[i] * d[i];
        return c;
      }),
    );
    principalAngles = Array.from(svd64(cross).s, (c) => Math.acos(Math.min(1, c))).sort((a, b) => a - b);
  }
  return {
    singularValues,
    directions: v,
    count,
    countRelative,
    trueDimension: L,
    gap,
    parallelness,
    principalAngles,
  };
}
