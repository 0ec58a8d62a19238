import { existsSync } from 'node:fs';
import { readFileLimited, writeFileAtomic } from '@noether/files';
import { join } from 'node:path';
import { makeOutputDir } from '../cli/output-dir';
import { heatmap, linePlot } from '../report/svg-plot';
import { caseNames, getCase, referenceOf, targetsOf } from './cases';
import type { CaseName } from './cases';
import { conservationErrors, constraintError, constraintErrorSeries } from './metrics';
import type { ConstraintKind } from './metrics';
import {
  constraintKinds,
  decodePrediction,
  defaultSettings,
  evaluateOnBackend,
  runCase,
  runId,
  writeJsonAtomic,
} from './train';
import type { RunCaseOptions, RunResult, RunSettings, Variant } from './train';
import { pinnProjPresets } from '@noether/datasets';
import {
  constantTargetError,
  formatSummary,
  pairedRatios,
  referenceIntegrals,
  seedGroups,
} from './seed-stats';

/** Size of a report: which runs, with how many points and iterations. */
export interface ReportPlan {
  cases: readonly CaseName[];
  constraints: readonly ConstraintKind[];
  points: number;
  /** Shared time levels of the training points (subset of the 100 reference levels). */
  levels: number;
  iterations: number;
  /** First seed; runs use seeds `seed .. seed + seeds - 1`. */
  seed: number;
  /**
   * A smoke run (`--quick`): too few iterations to judge accuracy, so the report says so, leaves out the
   * targets that need trained networks and points to the full report's numbers. Default false.
   */
  quick?: boolean;
  /** Number of seeds (default 1); with more than one the report adds mean ± std over seeds. */
  seeds?: number;
  /** Penalty weights of the soft-constraint baseline (default [10], the paper's; its sweep: 0, 1, 10, 100). */
  lambdas?: readonly number[];
  /** Time derivative of u~ in PINN-Proj training (default `detached`; the workshop code: `exact`). */
  timeDerivative?: 'detached' | 'exact';
}

/** The penalty weight the main table shows: 10 (the paper's) when swept, else the first. */
function primaryLambda(plan: ReportPlan): number {
  const ls = plan.lambdas ?? [10];
  return ls.includes(10) ? 10 : ls[0];
}

/** `--quick`: the `pnpm demo` step (a few minutes at most). */
export const quickPlan: ReportPlan = {
  cases: caseNames,
  constraints: ['joint'],
  points: 400,
  levels: 20,
  iterations: 8,
  seed: 0,
  quick: true,
};

/** The default report: measured 66 min of training summed over its 35 runs on 2 shared cores (wasm), within the 2 h budget. */
export const fullPlan: ReportPlan = {
  cases: caseNames,
  constraints: constraintKinds,
  points: 2000,
  levels: 50,
  iterations: 150,
  seed: 0,
};

/**
 * The runs of a plan: plain PINN does not depend on the constraint, so it runs once per case (stored under
 * the 'linear' id) and its metrics are read for every constraint.
 */
export function runsOf(plan: ReportPlan): RunSettings[] {
  const out: RunSettings[] = [];
  for (let s = 0; s < (plan.seeds ?? 1); s++) {
    const base = {
      ...defaultSettings,
      points: plan.points,
      levels: plan.levels,
      iterations: plan.iterations,
      seed: plan.seed + s,
      ...(plan.timeDerivative === 'exact' ? { timeDerivative: 'exact' as const } : {}),
    };
    for (const c of plan.cases) {
      out.push({ ...base, case: c, constraint: 'linear', variant: 'pinn' });
      for (const k of plan.constraints) {
        for (const lambda of plan.lambdas ?? [10])
          out.push({ ...base, case: c, constraint: k, variant: 'penalty', lambda });
        out.push({ ...base, case: c, constraint: k, variant: 'proj' });
      }
    }
  }
  return out;
}

/** Conservation error of the integral(s) a constraint enforces, read from a run's two sums. */
export function errorFor(r: RunResult, kind: ConstraintKind): number {
  return kind === 'linear'
    ? r.linearSum
    : kind === 'quadratic'
      ? r.quadraticSum
      : r.linearSum + r.quadraticSum;
}

/** Runs every missing run of a plan (results are cached as JSON in `outDir/runs`), then writes the report. */
export async function runReport(
  plan: ReportPlan,
  options: {
    outDir: string;
    onRun?: (s: RunSettings, index: number, total: number) => void;
    onProgress?: RunCaseOptions['onProgress'];
    /** Also evaluate every trained network on this backend (see `RunCaseOptions.crossCheckBackend`). */
    crossCheckBackend?: string;
    /** Only report runs already finished in `outDir/runs` (train nothing). Default false. */
    reportOnly?: boolean;
  },
): Promise<{ results: RunResult[]; markdown: string }> {
  const runsDir = join(options.outDir, 'runs');
  const ckptDir = join(options.outDir, 'checkpoints');
  makeOutputDir(runsDir);
  const runs = runsOf(plan);
  const results: RunResult[] = [];
  for (const [i, s] of runs.entries()) {
    const path = join(runsDir, `${runId(s)}.json`);
    options.onRun?.(s, i, runs.length);
    if (existsSync(path)) {
      results.push(remeasured(readRun(path)));
      continue;
    }
    if (s.variant === 'penalty' && s.lambda === 0) {
      // lambda = 0 is plain PINN by construction: reuse that run instead of training it again
      const pinn = results.find((r) => r.id === runId(pinnRunOf(s)));
      if (pinn) {
        results.push(penaltyZeroOf(pinn, s));
        continue;
      }
    }
    if (options.reportOnly) continue;
    const r = await runCase(s, {
      checkpointDir: ckptDir,
      onProgress: options.onProgress,
      crossCheckBackend: options.crossCheckBackend,
    });
    writeJsonAtomic(path, r);
    results.push(r);
  }
  const markdown = writeReport(plan, results, options.outDir);
  return { results, markdown };
}

/**
 * A stored run with its conservation errors measured again from its stored prediction against the case's
 * current targets (the same float64 sums as at the end of training, so unchanged while the targets are).
 */
function remeasured(r: RunResult): RunResult {
  const c = getCase(r.settings.case);
  const ref = referenceOf(c);
  const errors = conservationErrors(decodePrediction(r.prediction), ref.weights, targetsOf(c, ref));
  return {
    ...r,
    conservation: constraintError(errors, r.settings.constraint),
    linearSum: errors.linearSum,
    quadraticSum: errors.quadraticSum,
    series: Array.from(constraintErrorSeries(errors, r.settings.constraint)),
  };
}

/** The plain PINN run a penalty run of the same case, seed and sizes is compared with (stored under 'linear'). */
function pinnRunOf(s: RunSettings): RunSettings {
  return { ...s, variant: 'pinn', constraint: 'linear', lambda: defaultSettings.lambda };
}

/**
 * The penalty run with lambda = 0, read from the plain PINN run `pinn` of the same case, seed and sizes.
 * Identical by construction: the penalty variant's loss is the PINN loss plus 0 x penalty, an exact zero in
 * the loss and in every gradient entry while the penalty is finite (a test checks a trained pair bit for
 * bit), so it is not trained again. Its conservation error is re-measured for the constraint `s.constraint`.
 */
function penaltyZeroOf(pinn: RunResult, s: RunSettings): RunResult {
  if (pinn.settings.variant !== 'pinn' || s.variant !== 'penalty' || s.lambda !== 0)
    throw new Error(
      `penaltyZeroOf(): expected a plain PINN run and penalty settings with lambda 0, got ${pinn.settings.variant} and ${s.variant} (lambda ${s.lambda})`,
    );
  const c = getCase(s.case);
  const ref = referenceOf(c);
  const errors = conservationErrors(decodePrediction(pinn.prediction), ref.weights, targetsOf(c, ref));
  return {
    ...pinn,
    id: runId(s),
    settings: s,
    conservation: constraintError(errors, s.constraint),
    series: Array.from(constraintErrorSeries(errors, s.constraint)),
    message: `lambda = 0: the plain PINN run ${pinn.id} (identical by construction, not trained again)`,
    seconds: 0,
  };
}

/** A cached run result (bounded read: a planted device or huge file is refused). */
function readRun(path: string): RunResult {
  return JSON.parse(
    new TextDecoder().decode(readFileLimited(path, { maxBytes: 256 * 2 ** 20 })),
  ) as RunResult;
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toExponential(2) : String(v));

/** Writes `report.md` and SVG plots into `outDir`; returns the markdown. */
export function writeReport(plan: ReportPlan, results: RunResult[], outDir: string): string {
  makeOutputDir(join(outDir, 'plots'));
  const lambda = primaryLambda(plan);
  const find = (c: CaseName, k: ConstraintKind, v: Variant) =>
    results.find(
      (r) =>
        r.settings.case === c &&
        r.settings.variant === v &&
        r.settings.seed === plan.seed &&
        (v !== 'penalty' || r.settings.lambda === lambda) &&
        (v === 'pinn' || r.settings.constraint === k),
    );
  const lines: string[] = [];
  lines.push(plan.quick ? '# PINN-Proj reproduction: quick smoke run' : '# PINN-Proj reproduction');
  lines.push('');
  if (plan.quick) {
    lines.push(
      `This is a smoke run of ${plan.iterations} L-BFGS iterations per network (the full report trains ${fullPlan.iterations}): it shows that every case trains end to end and that the projection holds its constraint from the first iteration. The networks are far from trained, so their L2 errors and the comparisons between variants say nothing yet; the targets that need trained networks are left out. The full report's measured numbers are in apps/demo/README-pinn-results.md (\`noether pinn-report\` reproduces them).`,
    );
    lines.push('');
  }
  lines.push(settingsTable(plan, results));
  lines.push('');
  lines.push('## Results');
  lines.push('');
  lines.push(
    'Relative L2 error of u over the 100 x n reference grid; conservation error = sum over the 100 levels of |I(t) - c(t)| of the constrained integral(s) (joint: linear + quadratic), same grid and weights as the projection.',
  );
  lines.push('');
  const withCross = results.some((r) => r.crossCheck !== undefined);
  const judge = !plan.quick;
  const header = [
    'case',
    'constraint',
    'rel L2 PINN',
    'rel L2 penalty',
    'rel L2 PINN-Proj',
    'cons. PINN',
    'cons. penalty',
    'cons. PINN-Proj',
    ...(withCross ? ['cons. PINN-Proj, cpu eval'] : []),
    ...(judge ? ['penalty / Proj', 'Proj L2 / PINN L2'] : []),
  ];
  lines.push(`| ${header.join(' | ')} |`);
  lines.push(
    `|---|---|${header
      .slice(2)
      .map(() => '---:|')
      .join('')}`,
  );
  const checks = {
    floor: [] as boolean[],
    floorCpu: [] as boolean[],
    ratio: [] as boolean[],
    l2Pairs: [] as boolean[],
    l2ByCase: new Map<CaseName, boolean>(),
  };
  const crossError = (r: RunResult, k: ConstraintKind) =>
    r.crossCheck
      ? k === 'linear'
        ? r.crossCheck.linearSum
        : k === 'quadratic'
          ? r.crossCheck.quadraticSum
          : r.crossCheck.linearSum + r.crossCheck.quadraticSum
      : NaN;
  for (const c of plan.cases) {
    for (const k of plan.constraints) {
      const [p, pen, proj] = (['pinn', 'penalty', 'proj'] as const).map((v) => find(c, k, v));
      if (!p || !pen || !proj) continue;
      const ratio = errorFor(pen, k) / errorFor(proj, k);
      const l2ratio = proj.relL2 / p.relL2;
      checks.floor.push(errorFor(proj, k) <= 1e-5);
      if (proj.crossCheck) checks.floorCpu.push(crossError(proj, k) <= 1e-5);
      checks.ratio.push(ratio >= 1000);
      checks.l2Pairs.push(l2ratio <= 1.1);
      checks.l2ByCase.set(c, (checks.l2ByCase.get(c) ?? true) && l2ratio <= 1.1);
      const cells = [
        c,
        k,
        fmt(p.relL2),
        fmt(pen.relL2),
        fmt(proj.relL2),
        fmt(errorFor(p, k)),
        fmt(errorFor(pen, k)),
        fmt(errorFor(proj, k)),
        ...(withCross ? [fmt(crossError(proj, k))] : []),
        ...(judge ? [ratio.toFixed(0), l2ratio.toFixed(2)] : []),
      ];
      lines.push(`| ${cells.join(' | ')} |`);
    }
  }
  lines.push('');
  const count = (a: boolean[]) => `${a.filter(Boolean).length} / ${a.length}`;
  const l2cases = [...checks.l2ByCase.values()];
  lines.push('## Targets');
  lines.push('');
  lines.push(
    `- PINN-Proj conservation error <= 1e-5 (summed over 100 levels): ${count(checks.floor)} case x constraint pairs.`,
  );
  if (checks.floorCpu.length > 0)
    lines.push(
      `- The same, with the trained network and its projection re-evaluated on the cpu backend: ${count(checks.floorCpu)} pairs.`,
    );
  if (judge) {
    lines.push(`- PINN-Proj at least 1000x lower than the penalty baseline: ${count(checks.ratio)} pairs.`);
    lines.push(
      `- PINN-Proj relative L2 within 10% of plain PINN (every constraint of the case): ${count(l2cases)} cases (target: >= 4 of 5); ${count(checks.l2Pairs)} case x constraint pairs.`,
    );
  } else {
    lines.push(
      `- Not judged in a smoke run: PINN-Proj >= 1000x below the penalty baseline, and PINN-Proj L2 within 10% of PINN (both need trained networks; see the full report).`,
    );
  }
  lines.push('');
  lines.push(...referenceSection(plan, results));
  lines.push(...seedSection(plan, results));
  lines.push('## Training');
  lines.push('');
  lines.push('| run | status | iterations | evaluations | seconds | final loss | loss terms |');
  lines.push('|---|---|---:|---:|---:|---:|---|');
  for (const r of results) {
    const terms = Object.entries(r.terms)
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(', ');
    lines.push(
      `| ${r.id} | ${r.status}${r.reason ? ` (${r.reason})` : ''} | ${r.iterations} | ${r.evaluations} | ${r.seconds.toFixed(0)} | ${fmt(r.loss)} | ${terms} |`,
    );
  }
  lines.push('');
  lines.push('## Plots');
  lines.push('');
  for (const c of plan.cases) {
    const plots = writePlots(c, plan, { find, outDir });
    lines.push(`### ${c}`);
    lines.push('');
    for (const p of plots) lines.push(`![${p}](plots/${p})`);
    lines.push('');
  }
  const md = lines.join('\n');
  writeFileAtomic(join(outDir, 'report.md'), md);
  return md;
}

function settingsTable(plan: ReportPlan, results: RunResult[]): string {
  const secs = results.reduce((a, r) => a + r.seconds, 0);
  return [
    '| setting | this report | paper (Baez et al. 2025) |',
    '|---|---|---|',
    '| network | MLP 2 -> 8 x 20 tanh -> 1 (3 -> ... for 2D), Xavier normal, seeded | same |',
    `| collocation points | ${plan.points} (Latin hypercube in x on ${plan.levels} shared time levels of the 100) | 10,000 Latin hypercube |`,
    `| IC/BC data points | 100 (reference values at t = 0 and at the boundary cells of the ${plan.levels} training levels) | 100 |`,
    `| optimiser | L-BFGS (@noether/optim), history 50, strong Wolfe, gradient tol. 1e-6, at most ${plan.iterations} iterations, float32 | L-BFGS (PyTorch), history 50, strong Wolfe, tol. 1e-6, float32 |`,
    `| penalty baseline | lambda = ${(plan.lambdas ?? [10]).join(', ')} (tables: ${primaryLambda(plan)}), mean over the levels of ((I(t) - c(t)) / vol(X))^2 | lambda = 10 (sweep 0, 1, 10, 100) |`,
    `| seeds | ${plan.seeds ?? 1} (${plan.seed} .. ${plan.seed + (plan.seeds ?? 1) - 1}); main tables: seed ${plan.seed} | 10 (run_lambda.sh), mean ± std |`,
    `| projection | once per time level (shared levels), time derivative ${plan.timeDerivative ?? 'detached'} | per query point (2025 code: detached; 2024 code: exact) |`,
    '| reference | @noether/datasets float64 presets, each the solution of a stated problem (see Reference integrals; 100 levels x 256 cells; 2D 32 x 32) | FV/FD float64, Neumann |',
    '| targets | constant c(0) where the reference conserves the integral, else the reference c(t) | constant (t = 0 or time-mean) |',
    `| total training time | ${(secs / 60).toFixed(1)} min over ${results.length} runs | - |`,
  ].join('\n');
}

function writePlots(
  c: CaseName,
  plan: ReportPlan,
  ctx: { find: (c: CaseName, k: ConstraintKind, v: Variant) => RunResult | undefined; outDir: string },
): string[] {
  const cs = getCase(c);
  const ref = referenceOf(cs);
  const K = ref.t.length;
  const nx = ref.x.length;
  const ny = ref.y ? ref.y.length : 1;
  // 2D: the x-t slice through the middle of y.
  const slice = (u: ArrayLike<number>) => {
    const out = new Float64Array(K * nx);
    const j = Math.floor(ny / 2);
    for (let k = 0; k < K; k++) for (let i = 0; i < nx; i++) out[k * nx + i] = u[(k * nx + i) * ny + j];
    return out;
  };
  const files: string[] = [];
  const refSlice = slice(ref.u);
  let vmin = Infinity;
  let vmax = -Infinity;
  for (const v of refSlice) [vmin, vmax] = [Math.min(vmin, v), Math.max(vmax, v)];
  const kind = plan.constraints.includes('joint') ? 'joint' : plan.constraints[0];
  const panels: Array<[string, Float64Array]> = [['reference', refSlice]];
  for (const v of ['pinn', 'penalty', 'proj'] as const) {
    const r = ctx.find(c, kind, v);
    if (r)
      panels.push([
        v === 'pinn' ? 'PINN' : v === 'penalty' ? `penalty (${kind})` : `PINN-Proj (${kind})`,
        slice(decodePrediction(r.prediction)),
      ]);
  }
  const yLabel = ref.y ? 'x (at y = 1)' : 'x';
  for (const [label, values] of panels) {
    const name = `${c}-u-${label.split(' ')[0].toLowerCase()}.svg`;
    writeFileAtomic(
      join(ctx.outDir, 'plots', name),
      heatmap(values, [K, nx], {
        title: `${c}: u, ${label}`,
        xLabel: yLabel,
        yLabel: 't',
        xRange: [0, 2],
        yRange: [0, 0.99],
        vmin,
        vmax,
      }),
    );
    files.push(name);
  }
  for (const k of plan.constraints) {
    const series = (['pinn', 'penalty', 'proj'] as const).flatMap((v) => {
      const r = ctx.find(c, k, v);
      if (!r) return [];
      const y = v === 'pinn' ? perLevel(r, k) : r.series;
      return [
        {
          label: v === 'pinn' ? 'PINN' : v === 'penalty' ? 'penalty (lambda 10)' : 'PINN-Proj',
          x: Array.from(ref.t),
          y,
        },
      ];
    });
    const name = `${c}-conservation-${k}.svg`;
    writeFileAtomic(
      join(ctx.outDir, 'plots', name),
      linePlot(series, {
        title: `${c}: ${k} conservation error per level`,
        xLabel: 't',
        yLabel: '|I(t) - c(t)|',
        logY: true,
      }),
    );
    files.push(name);
  }
  return files;
}

/** A plain-PINN run's per-level error for any constraint, recomputed from its prediction. */
function perLevel(r: RunResult, kind: ConstraintKind): number[] {
  if (r.settings.constraint === kind) return r.series;
  const cs = getCase(r.settings.case);
  const ref = referenceOf(cs);
  const pred = decodePrediction(r.prediction);
  const w = ref.weights;
  const n = w.length;
  const mass = ref.conserved.mass;
  const l2 = ref.conserved.l2;
  return Array.from(ref.t, (_, k) => {
    let s1 = 0;
    let s2 = 0;
    for (let j = 0; j < n; j++) {
      s1 += w[j] * pred[k * n + j];
      s2 += w[j] * pred[k * n + j] ** 2;
    }
    const c1 = cs.conserved ? mass[0] : mass[k];
    const c2 = cs.conserved ? l2[0] : l2[k];
    const e1 = Math.abs(s1 - c1);
    const e2 = Math.abs(s2 - c2);
    return kind === 'linear' ? e1 : kind === 'quadratic' ? e2 : e1 + e2;
  });
}

/** One row of {@link reEvaluate}: a finished PINN-Proj run's stored metrics and the re-evaluated ones. */
export interface ReEvaluation {
  id: string;
  case: CaseName;
  constraint: ConstraintKind;
  /** Conservation error stored by the run (its training backend and library version). */
  stored: number;
  /** The run's stored cross-check (cpu) conservation error, NaN when none. */
  storedCross: number;
  /** Conservation error of the stored parameters re-evaluated now, per backend. */
  now: Record<string, number>;
  /** Largest relative change of the relative L2 error against the stored one (same field expected). */
  relL2Change: number;
}

/**
 * Re-evaluates the stored parameters of every finished PINN-Proj run of a plan in `outDir/runs` with the
 * CURRENT library (projection code) on each backend, and writes `outDir/re-evaluation.md`. Trains nothing.
 */
export async function reEvaluate(
  plan: ReportPlan,
  options: { outDir: string; backends: readonly string[] },
): Promise<{ rows: ReEvaluation[]; markdown: string }> {
  const rows: ReEvaluation[] = [];
  for (const s of runsOf(plan).filter((r) => r.variant === 'proj')) {
    const path = join(options.outDir, 'runs', `${runId(s)}.json`);
    if (!existsSync(path)) continue;
    const r = readRun(path);
    if (!r.params) continue;
    const params = decodePrediction(r.params);
    const now: Record<string, number> = {};
    let relL2Change = 0;
    for (const b of options.backends) {
      const m = await evaluateOnBackend(r.settings, params, b);
      now[b] = m.conservation;
      relL2Change = Math.max(relL2Change, Math.abs(m.relL2 / r.relL2 - 1));
    }
    rows.push({
      id: r.id,
      case: s.case,
      constraint: s.constraint,
      stored: r.conservation,
      storedCross: r.crossCheck?.conservation ?? NaN,
      now,
      relL2Change,
    });
  }
  const met = (v: (row: ReEvaluation) => number) =>
    `${rows.filter((row) => v(row) <= 1e-5).length} / ${rows.length}`;
  const lines = [
    '# PINN-Proj: stored networks re-evaluated with the current projection',
    '',
    'Conservation error summed over the 100 levels (joint: linear + quadratic), float64 sums of the float32 outputs.',
    '',
    `| case | constraint | stored | stored, cpu eval | ${options.backends.map((b) => `now, ${b}`).join(' | ')} | max rel. change of rel L2 |`,
    `|---|---|---:|---:|${options.backends.map(() => '---:|').join('')}---:|`,
    ...rows.map(
      (row) =>
        `| ${row.case} | ${row.constraint} | ${fmt(row.stored)} | ${fmt(row.storedCross)} | ${options.backends
          .map((b) => fmt(row.now[b]))
          .join(' | ')} | ${fmt(row.relL2Change)} |`,
    ),
    '',
    `- <= 1e-5: stored ${met((row) => row.stored)}, stored cpu eval ${met((row) => row.storedCross)}, ${options.backends
      .map((b) => `now ${b} ${met((row) => row.now[b])}`)
      .join(', ')}.`,
    '',
  ];
  const markdown = lines.join('\n');
  writeFileAtomic(join(options.outDir, 're-evaluation.md'), markdown);
  return { rows, markdown };
}

/** Per case: the problem its reference solves, whether the box integrals are conserved, their drift. */
function referenceSection(plan: ReportPlan, results: RunResult[]): string[] {
  const out = [
    '## Reference integrals and targets',
    '',
    "Whether the reference conserves the box integrals of u and u^2, their values at t = 0 and t = 0.99, and the summed offset sum_k |c(t_k) - c(0)| a constant target would carry. Non-conserved cases train and are measured against the reference c(t); the last columns give PINN-Proj (and penalty) conservation error against c(t) and against the constant c(0) (the paper code's metric), constraint joint when run, else the first.",
    '',
    '| case | problem | conserved | int u: t = 0 -> 0.99 | int u^2: t = 0 -> 0.99 | sum abs(c1(t) - c1(0)) | sum abs(c2(t) - c2(0)) | Proj vs c(t) | Proj vs c(0) | penalty vs c(t) | penalty vs c(0) |',
    '|---|---|---|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  const kind = plan.constraints.includes('joint') ? 'joint' : plan.constraints[0];
  const lambda = primaryLambda(plan);
  for (const c of plan.cases) {
    const ri = referenceIntegrals(c, pinnProjPresets[getCase(c).preset].problem);
    const pick = (v: Variant) =>
      results.find(
        (r) =>
          r.settings.case === c &&
          r.settings.variant === v &&
          r.settings.constraint === kind &&
          r.settings.seed === plan.seed &&
          (v !== 'penalty' || r.settings.lambda === lambda),
      );
    const both = (r: RunResult | undefined) =>
      r
        ? [fmt(errorFor(r, kind)), fmt(constantTargetError(r, kind, decodePrediction(r.prediction)))]
        : ['-', '-'];
    const [pc, p0] = both(pick('proj'));
    const [qc, q0] = both(pick('penalty'));
    out.push(
      `| ${c} | ${ri.problem} | ${ri.conserved ? 'yes' : 'no'} | ${ri.mass[0].toFixed(4)} -> ${ri.mass[1].toFixed(4)} | ${ri.l2[0].toFixed(4)} -> ${ri.l2[1].toFixed(4)} | ${fmt(ri.massOffset)} | ${fmt(ri.l2Offset)} | ${pc} | ${p0} | ${qc} | ${q0} |`,
    );
  }
  out.push('');
  return out;
}

/** Mean ± std over seeds of every (case, constraint, variant, lambda) group, and the relative-L2 target on means. */
function seedSection(plan: ReportPlan, results: RunResult[]): string[] {
  const n = plan.seeds ?? 1;
  if (n <= 1 && (plan.lambdas ?? [10]).length <= 1) return [];
  const groups = seedGroups(results, plan.constraints);
  const out = [
    `## Over seeds (${n} seeds: mean ± sample std)`,
    '',
    '| case | constraint | variant | lambda | rel L2 | conservation error | seeds |',
    '|---|---|---|---:|---|---|---:|',
  ];
  const order: Variant[] = ['pinn', 'penalty', 'proj'];
  for (const c of plan.cases)
    for (const k of plan.constraints)
      for (const v of order)
        for (const g of groups
          .filter((x) => x.case === c && x.constraint === k && x.variant === v)
          .sort((a, b) => a.lambda - b.lambda))
          out.push(
            `| ${c} | ${k} | ${v === 'pinn' ? 'PINN' : v === 'penalty' ? 'penalty' : 'PINN-Proj'} | ${Number.isNaN(g.lambda) ? '-' : g.lambda} | ${formatSummary(g.relL2, n)} | ${formatSummary(g.conservation, n)} | ${g.seeds.length} |`,
          );
  out.push('');
  const byCase = new Map<CaseName, boolean>();
  for (const c of plan.cases)
    for (const k of plan.constraints) {
      const p = groups.find((g) => g.case === c && g.constraint === k && g.variant === 'pinn');
      const q = groups.find((g) => g.case === c && g.constraint === k && g.variant === 'proj');
      if (!p || !q) continue;
      byCase.set(c, (byCase.get(c) ?? true) && q.relL2.mean <= 1.1 * p.relL2.mean);
    }
  const met = [...byCase.values()].filter(Boolean).length;
  out.push(
    `- PINN-Proj mean relative L2 within 10% of plain PINN's mean (every constraint of the case): ${met} / ${byCase.size} cases (target: >= 4 of 5). Paper: "marginally reduces the PDE solution error".`,
  );
  out.push('');
  out.push(
    'Seed by seed (the same seed gives both variants the same initial network, points and data): PINN-Proj rel L2 / PINN rel L2.',
    '',
    '| case | constraint | ratio of means | per-seed ratio: median [min, max] | seeds with PINN-Proj lower |',
    '|---|---|---:|---|---:|',
  );
  for (const c of plan.cases)
    for (const k of plan.constraints) {
      const p = groups.find((g) => g.case === c && g.constraint === k && g.variant === 'pinn');
      const q = groups.find((g) => g.case === c && g.constraint === k && g.variant === 'proj');
      const r = pairedRatios(results, c, k);
      if (!p || !q || r.seeds.length === 0) continue;
      out.push(
        `| ${c} | ${k} | ${(q.relL2.mean / p.relL2.mean).toFixed(2)} | ${r.median.toFixed(2)} [${r.min.toFixed(2)}, ${r.max.toFixed(2)}] | ${r.lower} / ${r.seeds.length} |`,
      );
    }
  out.push('');
  return out;
}
