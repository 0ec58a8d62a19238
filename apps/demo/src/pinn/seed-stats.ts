import { getCase, referenceOf } from './cases';
import type { CaseName } from './cases';
import { conservationErrors, constraintError } from './metrics';
import type { ConstraintKind } from './metrics';
import type { RunResult, Variant } from './train';

/** Mean and sample standard deviation (n - 1 in the denominator; 0 for one value) of a list of numbers. */
export interface Summary {
  mean: number;
  std: number;
  n: number;
}

/** Mean ± sample standard deviation of `values` (NaN mean for an empty list). */
export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN, n: 0 };
  const mean = values.reduce((a, v) => a + v, 0) / n;
  const ss = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return { mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, n };
}

/** `1.23e-2 ± 4.5e-3` (and the seed count when it differs from `expected`). */
export function formatSummary(s: Summary, expected?: number): string {
  if (s.n === 0) return '-';
  const base = `${s.mean.toExponential(2)} ± ${s.std.toExponential(1)}`;
  return expected !== undefined && s.n !== expected ? `${base} (n = ${s.n})` : base;
}

/** One group of runs that differ only in the seed. */
export interface SeedGroup {
  case: CaseName;
  constraint: ConstraintKind;
  variant: Variant;
  /** Penalty weight (penalty runs only; NaN otherwise). */
  lambda: number;
  relL2: Summary;
  /** Conservation error of the constraint's integral(s) against the targets the run used. */
  conservation: Summary;
  seeds: number[];
}

/**
 * Groups runs by (case, constraint, variant, lambda) over seeds. Plain PINN does not depend on the
 * constraint: its runs are regrouped under every constraint in `constraints`, with the conservation error
 * of that constraint's integral(s).
 */
export function seedGroups(
  results: readonly RunResult[],
  constraints: readonly ConstraintKind[],
): SeedGroup[] {
  const groups = new Map<
    string,
    { key: Omit<SeedGroup, 'relL2' | 'conservation' | 'seeds'>; runs: Array<[RunResult, number]> }
  >();
  const add = (r: RunResult, constraint: ConstraintKind, conservation: number) => {
    const s = r.settings;
    const lambda = s.variant === 'penalty' ? s.lambda : NaN;
    const id = `${s.case}|${constraint}|${s.variant}|${lambda}`;
    let g = groups.get(id);
    if (!g) {
      g = { key: { case: s.case, constraint, variant: s.variant, lambda }, runs: [] };
      groups.set(id, g);
    }
    g.runs.push([r, conservation]);
  };
  for (const r of results) {
    if (r.settings.variant === 'pinn')
      for (const k of constraints)
        add(
          r,
          k,
          k === 'linear' ? r.linearSum : k === 'quadratic' ? r.quadraticSum : r.linearSum + r.quadraticSum,
        );
    else if (constraints.includes(r.settings.constraint)) add(r, r.settings.constraint, r.conservation);
  }
  return [...groups.values()].map(({ key, runs }) => ({
    ...key,
    relL2: summarize(runs.map(([r]) => r.relL2)),
    conservation: summarize(runs.map(([, c]) => c)),
    seeds: runs.map(([r]) => r.settings.seed),
  }));
}

/**
 * Conservation error of a run's prediction against CONSTANT targets (the reference's t = 0 integrals), the
 * metric the paper's code uses for every case; for a case whose reference does not conserve the integral,
 * this mixes the method's error with the reference's own drift.
 */
export function constantTargetError(
  r: RunResult,
  kind: ConstraintKind,
  prediction: ArrayLike<number>,
): number {
  const ref = referenceOf(getCase(r.settings.case));
  const nt = ref.t.length;
  const c1 = new Float64Array(nt).fill(ref.conserved.mass[0]);
  const c2 = new Float64Array(nt).fill(ref.conserved.l2[0]);
  return constraintError(conservationErrors(prediction, ref.weights, { c1, c2 }), kind);
}

/** Facts about a case's reference integrals: conserved or not, their drift and the summed offset from c(0). */
export interface ReferenceIntegrals {
  case: CaseName;
  problem: string;
  conserved: boolean;
  mass: [number, number];
  l2: [number, number];
  /** Sum over the levels of |c(t_k) - c(0)| for the integral of u and of u^2. */
  massOffset: number;
  l2Offset: number;
}

/** {@link ReferenceIntegrals} of a case from its reference (first and last level). */
export function referenceIntegrals(name: CaseName, problem: string): ReferenceIntegrals {
  const c = getCase(name);
  const ref = referenceOf(c);
  const m = ref.conserved.mass;
  const q = ref.conserved.l2;
  const K = m.length;
  let mo = 0;
  let qo = 0;
  for (let k = 0; k < K; k++) {
    mo += Math.abs(m[k] - m[0]);
    qo += Math.abs(q[k] - q[0]);
  }
  return {
    case: name,
    problem,
    conserved: c.conserved,
    mass: [m[0], m[K - 1]],
    l2: [q[0], q[K - 1]],
    massOffset: mo,
    l2Offset: qo,
  };
}

/** PINN-Proj against plain PINN seed by seed: rel L2 ratios (seeds with both runs), their median and range. */
export interface PairedRatios {
  /** Seeds with both runs, ascending, and PINN-Proj rel L2 / PINN rel L2 for each. */
  seeds: number[];
  ratios: number[];
  median: number;
  min: number;
  max: number;
  /** Seeds in which PINN-Proj's rel L2 is the lower. */
  lower: number;
}

/**
 * Pairs the PINN-Proj runs of one case and constraint with the plain PINN runs of the same seed (plain PINN is
 * stored once per case, under any constraint) and summarises their relative-L2 ratios.
 */
export function pairedRatios(
  results: readonly RunResult[],
  c: CaseName,
  constraint: ConstraintKind,
): PairedRatios {
  const pinn = new Map<number, number>();
  for (const r of results)
    if (r.settings.case === c && r.settings.variant === 'pinn') pinn.set(r.settings.seed, r.relL2);
  const pairs = results
    .filter(
      (r) => r.settings.case === c && r.settings.variant === 'proj' && r.settings.constraint === constraint,
    )
    .flatMap((r) => {
      const p = pinn.get(r.settings.seed);
      return p === undefined ? [] : [[r.settings.seed, r.relL2 / p] as const];
    })
    .sort((a, b) => a[0] - b[0]);
  const ratios = pairs.map(([, v]) => v);
  const sorted = [...ratios].sort((a, b) => a - b);
  const m = sorted.length;
  return {
    seeds: pairs.map(([s]) => s),
    ratios,
    median: m === 0 ? NaN : m % 2 ? sorted[(m - 1) / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2,
    min: m === 0 ? NaN : sorted[0],
    max: m === 0 ? NaN : sorted[m - 1],
    lower: ratios.filter((v) => v < 1).length,
  };
}
