import { invalid } from './errors';

/** One conserved quantity as a formula. */
export interface ReadableLaw {
  /** e.g. `q1² + p1²`, `q1 p2 − q2 p1`. */
  formula: string;
  /** Coefficients after reduction (before rounding), one per monomial of {@link monomialNames}. */
  coefficients: number[];
  /** Largest |coefficient − rounded coefficient|. */
  residual: number;
}

/** Names of the monomials of a quadratic form in x = (q1..qn, p1..pn): x_i x_j (i <= j), then x_i. */
export function monomialNames(dim: number): string[] {
  const n = dim / 2;
  const name = (i: number) => (i < n ? `q${i + 1}` : `p${i - n + 1}`);
  const out: string[] = [];
  for (let i = 0; i < dim; i++)
    for (let j = i; j < dim; j++) out.push(i === j ? `${name(i)}²` : `${name(i)} ${name(j)}`);
  for (let i = 0; i < dim; i++) out.push(name(i));
  return out;
}

/**
 * The conserved quantity C(x) = xᵀ A x / 2 + bᵀ x that an affine generator G = [[J A, J b], [0, 0]]
 * (`[(M+1)^2]` row-major) comes from, as coefficients of {@link monomialNames}: A = −J (J A), b = −J (J b).
 */
export function generatorToMonomials(generator: ArrayLike<number>, dim: number): Float64Array {
  const m = dim + 1;
  const n = dim / 2;
  const A = (i: number, j: number) => {
    // (J A)_{r, j} = A_{n + r, j} for r < n, −A_{r − n, j} for r ≥ n  =>  A_{i, j} = −(J (J A))_{i, j}.
    return i < n ? -generator[(n + i) * m + j] : generator[(i - n) * m + j];
  };
  const b = (i: number) => (i < n ? -generator[(n + i) * m + dim] : generator[(i - n) * m + dim]);
  const out: number[] = [];
  for (let i = 0; i < dim; i++)
    for (let j = i; j < dim; j++) out.push(i === j ? A(i, i) / 2 : (A(i, j) + A(j, i)) / 2);
  for (let i = 0; i < dim; i++) out.push(b(i));
  return Float64Array.from(out);
}

/** Rounds to the nearest multiple of 1/q. */
function roundTo(x: number, q: number): { p: number; q: number; value: number } {
  const p = Math.round(x * q);
  return { p, q, value: p / q };
}

function reduced(p: number, q: number): [number, number] {
  let a = Math.abs(p);
  let b = q;
  while (b) [a, b] = [b, a % b];
  return a > 1 ? [p / a, q / a] : [p, q];
}

/**
 * Formats one law: the smallest common denominator q (1..maxDenominator) whose rounding residual is at most
 * tolerance / q is used for all its coefficients (so noise of a learned span rounds to integers, while exact
 * thirds stay thirds); the largest denominator otherwise.
 */
function formatLaw(
  coefficients: ArrayLike<number>,
  names: string[],
  options: { maxDenominator: number; tolerance: number },
) {
  const c = Array.from(coefficients);
  let q = options.maxDenominator;
  for (let d = 1; d <= options.maxDenominator; d++) {
    const residual = Math.max(...c.map((x) => Math.abs(roundTo(x, d).value - x)));
    if (residual <= options.tolerance / d) {
      q = d;
      break;
    }
  }
  let residual = 0;
  const terms: string[] = [];
  for (let i = 0; i < c.length; i++) {
    const r = roundTo(c[i], q);
    residual = Math.max(residual, Math.abs(r.value - c[i]));
    if (r.p === 0) continue;
    const [num, den] = reduced(r.p, q);
    const mag = Math.abs(num);
    const coef = den === 1 ? (mag === 1 ? '' : `${mag} `) : `${mag}/${den} `;
    const sign = num < 0 ? '−' : '+';
    terms.push(terms.length === 0 ? `${num < 0 ? '−' : ''}${coef}${names[i]}` : `${sign} ${coef}${names[i]}`);
  }
  return { formula: terms.length ? terms.join(' ') : '0', residual };
}

/** Options of {@link readableLaws}. */
export interface ReadableLawsOptions {
  /** Largest denominator of the rounded coefficients (default 6). */
  maxDenominator?: number;
  /**
   * Rounding tolerance: a law uses the smallest denominator q whose largest rounding residual is at most
   * tolerance / q (default 0.3).
   */
  tolerance?: number;
  /** A column becomes a pivot when its largest entry exceeds this fraction of that row's largest remaining entry (default 0.2). */
  pivotFloor?: number;
}

/**
 * Readable conserved quantities from a span of generators: maps each generator to the coefficients of its
 * quadratic C over the monomials q_i q_j, q_i p_j, p_i p_j, q_i, p_i, reduces the span to row echelon form
 * (pivots scaled to 1, monomial order), rounds the coefficients to small fractions (per law, the smallest
 * denominator whose residual is below `tolerance / q`) and prints formulas
 * ("q1² + p1²", "q1 p2 − q2 p1") with the rounding residual. The canonical basis is independent of which
 * basis of the span is given.
 *
 * @param generators - basis of the span (e.g. the leading L right singular vectors), `[(M+1)^2]` each.
 * @param dim - phase-space dimension M.
 * @param options - rounding and pivoting.
 * @returns one {@link ReadableLaw} per independent direction.
 * @throws {RazorError} `INVALID_ARGUMENT` for an odd dim or generators of the wrong length.
 * @example readableLaws([symmetryGenerator(harmonicOscillator().conserved[0])], 2)[0].formula; // 'q1² + p1²'
 */
export function readableLaws(
  generators: readonly ArrayLike<number>[],
  dim: number,
  options: ReadableLawsOptions = {},
): ReadableLaw[] {
  const fn = 'readableLaws';
  if (!Number.isInteger(dim) || dim < 2 || dim % 2 !== 0) invalid([fn, 'dim'], 'an even integer >= 2', dim);
  if (!Array.isArray(generators)) invalid([fn, 'generators'], 'an array of generators', generators);
  const m = dim + 1;
  generators.forEach((g, i) => {
    if (!g || g.length !== m * m) invalid([fn, `generators[${i}]`], `an array of length ${m * m}`, g);
  });
  const maxDen = options.maxDenominator ?? 6;
  const tolerance = options.tolerance ?? 0.3;
  const floor = options.pivotFloor ?? 0.2;
  const names = monomialNames(dim);
  const rows = generators.map((g) => generatorToMonomials(g, dim));
  const width = names.length;
  const out: Float64Array[] = [];
  let remaining = rows.map((r) => Float64Array.from(r));
  for (let col = 0; col < width && remaining.length > 0; col++) {
    let best = -1;
    for (let i = 0; i < remaining.length; i++)
      if (best < 0 || Math.abs(remaining[i][col]) > Math.abs(remaining[best][col])) best = i;
    // The column is a pivot when its entry is a significant fraction of that row's own largest remaining entry.
    let own = 0;
    for (let j = col; j < width; j++) own = Math.max(own, Math.abs(remaining[best][j]));
    if (own === 0 || Math.abs(remaining[best][col]) <= floor * own) continue;
    const pivot = remaining[best].map((v) => v / remaining[best][col]);
    remaining = remaining.filter((_, i) => i !== best).map((r) => r.map((v, j) => v - r[col] * pivot[j]));
    for (const prev of out) {
      const f = prev[col];
      for (let j = 0; j < width; j++) prev[j] -= f * pivot[j];
    }
    out.push(pivot);
  }
  return out.map((c) => {
    const { formula, residual } = formatLaw(c, names, { maxDenominator: maxDen, tolerance });
    return { formula, coefficients: Array.from(c), residual };
  });
}
