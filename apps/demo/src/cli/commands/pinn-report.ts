import { initBackend } from '@noether/autodiff';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, numberOption, seedOption } from '../args';
import type { Command } from '../command';
import { createProgress } from '../progress';
import { caseNames } from '../../pinn/cases';
import type { CaseName } from '../../pinn/cases';
import type { ConstraintKind } from '../../pinn/metrics';
import { errorFor, fullPlan, quickPlan, reEvaluate, runReport, runsOf } from '../../pinn/report';
import type { ReportPlan } from '../../pinn/report';
import { constraintKinds, runId } from '../../pinn/train';
import { UsageError } from '../usage-error';

const usage = `noether pinn-report [--quick] [--out DIR] [--points N] [--levels L] [--iters N] [--cases a,b] [--constraints a,b] [--cross-check B] [--report-only]

Runs the PINN-Proj reproduction grid (cases x constraints x {PINN, penalty lambda = 10, PINN-Proj}) and writes
DIR/report.md (tables, settings beside the paper's) and DIR/plots/*.svg (heat maps, conservation error per level).
Finished runs are cached in DIR/runs and unfinished ones resume from DIR/checkpoints.

  --quick         the pnpm demo step: ${quickPlan.cases.length} cases, joint constraint, ${quickPlan.points} points on ${quickPlan.levels} levels, ${quickPlan.iterations} iterations
  default         ${fullPlan.cases.length} cases x ${fullPlan.constraints.length} constraints, ${fullPlan.points} points on ${fullPlan.levels} levels, ${fullPlan.iterations} iterations (measured: 66 min of training summed over the 35 runs on 2 cores)
  --levels L      shared time levels of the training points (of the 100 reference levels)
  --cross-check B also evaluate each trained network on backend B (default cpu; none with --quick)
  --report-only   write the report from the finished runs in DIR/runs, train nothing
  --re-evaluate B1,B2  re-evaluate the stored parameters of the finished PINN-Proj runs in DIR/runs with the
                  current projection code on backends B1, B2 (e.g. wasm,cpu): DIR/re-evaluation.md; trains nothing
  --out DIR       default out/pinn-report (or out/pinn-report-quick)`;

export const pinnReportCommand: Command = {
  name: 'pinn-report',
  summary: 'Reproduce the PINN-Proj table (5 cases x 3 constraints x 3 variants): markdown + SVG plots.',
  usage,
  async run(args) {
    const { values } = parseArgs('pinn-report', args, {
      quick: { type: 'boolean', default: false },
      out: { type: 'string' },
      points: { type: 'string' },
      levels: { type: 'string' },
      iters: { type: 'string' },
      seed: { type: 'string' },
      cases: { type: 'string' },
      constraints: { type: 'string' },
      'cross-check': { type: 'string' },
      'report-only': { type: 'boolean', default: false },
      're-evaluate': { type: 'string' },
    });
    const base = values.quick ? quickPlan : fullPlan;
    const list = <T extends string>(v: string | undefined, all: readonly T[], name: string): readonly T[] => {
      if (v === undefined)
        return name === 'cases' ? (base.cases as unknown as T[]) : (base.constraints as unknown as T[]);
      const items = v.split(',') as T[];
      for (const it of items)
        if (!all.includes(it))
          throw new UsageError(
            `noether pinn-report: option '--${name}' has unknown entry '${it}'; expected ${all.join(', ')}`,
          );
      return items;
    };
    const plan: ReportPlan = {
      quick: values.quick,
      cases: list<CaseName>(values.cases, caseNames, 'cases'),
      constraints: list<ConstraintKind>(values.constraints, constraintKinds, 'constraints'),
      points: numberOption(values.points, {
        command: 'pinn-report',
        name: 'points',
        fallback: base.points,
        integer: true,
        min: 1,
      }),
      levels: numberOption(values.levels, {
        command: 'pinn-report',
        name: 'levels',
        fallback: base.levels,
        integer: true,
        min: 1,
        max: 100,
      }),
      iterations: numberOption(values.iters, {
        command: 'pinn-report',
        name: 'iters',
        fallback: base.iterations,
        integer: true,
        min: 1,
      }),
      seed: seedOption(values.seed, { command: 'pinn-report', fallback: base.seed }),
    };
    const crossCheck = values['cross-check'] ?? (values.quick ? 'none' : 'cpu');
    const outDir = values.out ?? (values.quick ? 'out/pinn-report-quick' : 'out/pinn-report');
    const backend = await initBackend({ log: () => {} });
    if (values['re-evaluate'] !== undefined) {
      const backends = values['re-evaluate'].split(',').filter((b) => b.length > 0);
      const { markdown } = await reEvaluate(plan, { outDir, backends });
      console.log(markdown);
      return 0;
    }
    if (values['report-only']) {
      const runsDir = join(outDir, 'runs');
      const found = existsSync(runsDir) ? readdirSync(runsDir).filter((f) => f.endsWith('.json')) : [];
      const wanted = new Set(runsOf(plan).map((s) => `${runId(s)}.json`));
      if (!found.some((f) => wanted.has(f))) {
        const what = found.length
          ? `${found.length} other runs (${found.slice(0, 3).join(', ')}${found.length > 3 ? ', ...' : ''})`
          : 'no runs';
        throw new UsageError(
          `--report-only: ${runsDir} holds ${what} and none of the ${wanted.size} runs this plan needs (e.g. ${[...wanted][0]}); give the same --quick/--points/--levels/--iters/--seed as the runs, or train them first`,
        );
      }
    }
    const total = runsOf(plan).length;
    console.log(
      `backend ${backend.name}; ${total} runs, ${plan.points} points, ${plan.iterations} iterations -> ${outDir}`,
    );
    const bar = createProgress('pinn-report', total * plan.iterations);
    let inRun = 0;
    const { results } = await runReport(plan, {
      outDir,
      crossCheckBackend: crossCheck === 'none' ? undefined : crossCheck,
      reportOnly: values['report-only'],
      onRun: (_s, index) => {
        // Count the rest of the previous run (converged early or cached) as done.
        if (index > 0) bar.tick(plan.iterations - inRun);
        inRun = 0;
      },
      onProgress: ({ step }) => {
        bar.tick(step - inRun);
        inRun = step;
      },
    });
    bar.tick(plan.iterations - inRun);
    bar.done();
    // The same constraint(s) as the report's table: a plain PINN run (stored once) is read for each of them.
    const lines = results.map((r) => {
      const s = r.settings;
      const label = s.variant === 'pinn' ? `${s.case} pinn` : `${s.case} ${s.variant}/${s.constraint}`;
      const kinds = s.variant === 'pinn' ? plan.constraints : [s.constraint];
      const cons = kinds.map((k) => `cons(${k}) ${errorFor(r, k).toExponential(2)}`).join('  ');
      return `${label.padEnd(36)} relL2 ${r.relL2.toExponential(2)}  ${cons}  ${r.status}`;
    });
    console.log(lines.join('\n'));
    if (plan.quick)
      console.log(
        `quick smoke run (${plan.iterations} iterations per network): it shows every case trains and the projection holds its constraint; the networks are not trained, so L2 errors are not meaningful. Full numbers: apps/demo/README-pinn-results.md`,
      );
    console.log(`report: ${join(outDir, 'report.md')}`);
    return 0;
  },
};
