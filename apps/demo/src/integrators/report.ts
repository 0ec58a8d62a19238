import type { OnProgress, ProgressInfo } from '@noether/autodiff';
import { energyError, integrate, methods, type MethodName } from '@noether/integrators';
import { linePlot } from '../report/svg-plot';
import { kepler, keplerExact, keplerX0 } from './kepler';

/** What the integrators report runs. */
export interface IntegratorsReportPlan {
  /** Methods in the table. */
  methods: MethodName[];
  /** Step sizes (table columns). */
  dts: number[];
  /** Steps per (method, dt) run for the energy error. */
  steps: number;
  /** Methods in the energy-vs-time plot, at `plotDt` over `steps` steps. */
  plotMethods: MethodName[];
  plotDt: number;
  /** Orbit eccentricity. */
  eccentricity: number;
}

const fiveMethods: MethodName[] = ['leapfrog', 'forestRuth', 'yoshida6', 'rk4', 'dormandPrince54'];

/** The `pnpm demo` version: the five headline methods, 1e4 steps. */
export const quickPlan: IntegratorsReportPlan = {
  methods: fiveMethods,
  dts: [0.02, 0.01],
  steps: 10_000,
  plotMethods: fiveMethods,
  plotDt: 0.01,
  eccentricity: 0.6,
};

/** The full report: every explicit method of the catalogue plus Gauss–Legendre 4, 1e5 steps per cell. */
export const fullPlan: IntegratorsReportPlan = {
  methods: [
    'symplecticEulerA',
    'leapfrog',
    'leapfrogKDK',
    'ruth3',
    'forestRuth',
    'mclachlan4',
    'blanesMoan4',
    'yoshida6',
    'kahanLi6',
    'mclachlan8',
    'kahanLi8',
    'gaussLegendre4',
    'euler',
    'heun',
    'rk4',
    'dormandPrince54',
  ],
  dts: [0.02, 0.01, 0.005],
  steps: 100_000,
  plotMethods: fiveMethods,
  plotDt: 0.01,
  eccentricity: 0.6,
};

/** One table row. */
interface ReportRow {
  method: MethodName;
  nominalOrder: number;
  symplectic: boolean;
  /** Max relative energy error over `steps` steps, per dt (NaN if the run failed). */
  maxEnergyError: number[];
  /** Slope of log(state error at t = 2) against log(dt) (5 step sizes). */
  measuredOrder: number;
  forceEvaluationsPerStep: number;
  seconds: number;
}

/** Everything the report shows. */
export interface ReportResult {
  rows: ReportRow[];
  plot: { method: MethodName; t: Float64Array; error: Float64Array }[];
}

const orderBase: Record<number, number> = { 1: 40000, 2: 1000, 3: 800, 4: 100, 5: 100, 6: 40, 8: 15 };

/** Empirical order: error at t = 2 against the exact Kepler solution, fitted over 5 step sizes. */
function measuredOrder(method: MethodName, e: number): number {
  const m = methods[method];
  const b = orderBase[m.order] ?? 100;
  const T = 2;
  const exact = keplerExact(T, e);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const N of [b, 1.5 * b, 2 * b, 3 * b, 4 * b].map(Math.round)) {
    const r = integrate(method, kepler, {
      x0: keplerX0(e),
      dt: T / N,
      steps: N,
      saveEvery: N,
      adaptive: false,
      throwOnFailure: true,
    });
    let err = 0;
    for (let i = 0; i < 4; i++) err = Math.max(err, Math.abs(r.final[i] - exact[i]));
    xs.push(Math.log(T / N));
    ys.push(Math.log(err));
  }
  const mx = xs.reduce((a, v) => a + v) / xs.length;
  const my = ys.reduce((a, v) => a + v) / ys.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i] - my);
    sxx += (x - mx) ** 2;
  });
  return sxy / sxx;
}

/** What `runIntegratorsReport` passes to `onProgress` after each unit of work. */
export interface ReportProgress extends ProgressInfo {
  /** The unit just done (`'rk4 dt=0.01'`, `'rk4 order'`, `'rk4 plot'`). */
  readonly label: string;
}

/**
 * Runs the report: for each method and dt, `steps` fixed steps of Kepler (dormandPrince54 with fixed steps
 * too, so every cell uses the same dt), the maximum relative energy error; the measured order; and the
 * energy-error series of the plot methods. Pure apart from timing; `onProgress` is called per unit of work
 * (`{ step, total, label }`).
 */
export function runIntegratorsReport(
  plan: IntegratorsReportPlan,
  onProgressFn: OnProgress<ReportProgress> = () => {},
): ReportResult {
  const total = reportWork(plan);
  let step = 0;
  const onProgress = (label: string) => void onProgressFn({ step: ++step, total, label });
  const x0 = keplerX0(plan.eccentricity);
  const rows: ReportRow[] = [];
  for (const method of plan.methods) {
    const m = methods[method];
    const start = performance.now();
    const maxEnergyError = plan.dts.map((dt) => {
      const r = integrate(method, kepler, {
        x0,
        dt,
        steps: plan.steps,
        saveEvery: 10,
        adaptive: false,
        throwOnFailure: false,
      });
      onProgress(`${method} dt=${dt}`);
      return r.status === 'ok' ? energyError(kepler, r.x).maxDrift : NaN;
    });
    const order = measuredOrder(method, plan.eccentricity);
    onProgress(`${method} order`);
    rows.push({
      method,
      nominalOrder: m.order,
      symplectic: m.symplectic,
      maxEnergyError,
      measuredOrder: order,
      forceEvaluationsPerStep: m.type === 'splitting' ? m.forceEvaluations : m.stages - (m.fsal ? 1 : 0),
      seconds: (performance.now() - start) / 1000,
    });
  }
  const plot = plan.plotMethods.map((method) => {
    const saveEvery = Math.max(1, Math.floor(plan.steps / 2000));
    const r = integrate(method, kepler, {
      x0,
      dt: plan.plotDt,
      steps: plan.steps,
      saveEvery,
      adaptive: false,
      throwOnFailure: true,
    });
    onProgress(`${method} plot`);
    return { method, t: r.t, error: energyError(kepler, r.x).series };
  });
  return { rows, plot };
}

/** Units of work `runIntegratorsReport` reports through `onProgress`. */
export const reportWork = (plan: IntegratorsReportPlan): number =>
  plan.methods.length * (plan.dts.length + 1) + plan.plotMethods.length;

const fmt = (v: number) => (Number.isFinite(v) ? v.toExponential(2) : 'failed');

/** The markdown report. */
/**
 * Pads a markdown table (header, separator, rows) into aligned columns, the way Prettier formats it, so a
 * generated table in a README passes `prettier --check` unchanged.
 */
export function alignTable(lines: readonly string[]): string[] {
  const rows = lines.map((l) =>
    l
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((c) => c.trim()),
  );
  const widths = rows[0]!.map((_, j) =>
    Math.max(3, ...rows.filter((_, i) => i !== 1).map((r) => (r[j] ?? '').length)),
  );
  return rows.map((r, i) =>
    i === 1
      ? `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`
      : `| ${r.map((c, j) => c.padEnd(widths[j]!)).join(' | ')} |`,
  );
}

/** The method x dt table of the report (markdown lines), as in the integrators README. */
export function renderTable(result: ReportResult, plan: IntegratorsReportPlan): string[] {
  const head = `| method | order | symplectic | force evals/step | ${plan.dts.map((d) => `dt = ${d}`).join(' | ')} | measured order |`;
  const sep = `|---|---|---|---|${plan.dts.map(() => '---').join('|')}|---|`;
  const lines = result.rows.map(
    (r) =>
      `| ${r.method} | ${r.nominalOrder} | ${r.symplectic ? 'yes' : 'no'} | ${r.forceEvaluationsPerStep} | ${r.maxEnergyError.map(fmt).join(' | ')} | ${r.measuredOrder.toFixed(2)} |`,
  );
  return [head, sep, ...lines];
}

/** Markers around the generated table in a README. */
export const readmeMarkers = [
  '<!-- integrators-report table: start -->',
  '<!-- integrators-report table: end -->',
] as const;

/**
 * Replaces the text between {@link readmeMarkers} in `readme` with the report's table (aligned).
 * @throws when the markers are missing.
 */
export function replaceReadmeTable(readme: string, table: readonly string[]): string {
  const [start, end] = readmeMarkers;
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i < 0 || j < i) throw new Error(`the README has no '${start}' ... '${end}' markers`);
  return `${readme.slice(0, i + start.length)}\n\n${alignTable(table).join('\n')}\n\n${readme.slice(j)}`;
}

export function renderMarkdown(result: ReportResult, plan: IntegratorsReportPlan): string {
  const [head, sep, ...lines] = renderTable(result, plan);
  const final = result.plot.map((p) => {
    const n = p.error.length;
    const w = Math.max(1, Math.floor(n / 10));
    const first = Math.max(...p.error.subarray(1, w + 1));
    const last = Math.max(...p.error.subarray(n - w));
    return `| ${p.method} | ${fmt(first)} | ${fmt(last)} | ${(last / first).toFixed(2)} |`;
  });
  return [
    '# Integrators report: Kepler problem, e = ' + plan.eccentricity,
    '',
    `Maximum relative energy error |H(x_k) - H(x_0)| / |H(x_0)| over ${plan.steps.toLocaleString('en-US')} fixed steps`,
    `(about ${Math.round((plan.steps * plan.dts[0]) / (2 * Math.PI))} orbits at dt = ${plan.dts[0]}), float64. dormandPrince54 runs with fixed`,
    'steps here (its 5th-order weights) so every cell uses the same dt. Measured order: slope of log(state error',
    'at t = 2 against the exact solution) over log(dt), 5 step sizes.',
    '',
    head,
    sep,
    ...lines,
    '',
    `## Energy error against time (dt = ${plan.plotDt}, ${plan.steps.toLocaleString('en-US')} steps)`,
    '',
    '![energy error](energy-error.svg)',
    '',
    'Symplectic methods oscillate without secular growth; the Runge–Kutta methods drift.',
    '',
    '| method | max error, first 10% | max error, last 10% | growth |',
    '|---|---|---|---|',
    ...final,
    '',
  ].join('\n');
}

/** The energy-error-against-time plot (log y) as SVG. */
export function renderPlot(result: ReportResult, plan: IntegratorsReportPlan): string {
  return linePlot(
    result.plot.map((p) => ({ label: p.method, x: p.t.subarray(1), y: p.error.subarray(1) })),
    {
      title: `Kepler e = ${plan.eccentricity}: relative energy error, dt = ${plan.plotDt}`,
      xLabel: 'time',
      yLabel: '|H - H0| / |H0|',
      logY: true,
    },
  );
}
