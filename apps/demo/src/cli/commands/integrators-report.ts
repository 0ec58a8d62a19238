import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '@noether/files';
import { join } from 'node:path';
import { parseArgs, numberOption } from '../args';
import type { Command } from '../command';
import { createProgress } from '../progress';
import { makeOutputDir } from '../output-dir';
import {
  fullPlan,
  quickPlan,
  renderMarkdown,
  renderPlot,
  renderTable,
  replaceReadmeTable,
  reportWork,
  runIntegratorsReport,
} from '../../integrators/report';
import { UsageError } from '../usage-error';

const usage = `noether integrators-report [--quick] [--out DIR] [--steps N]

Integrates the Kepler problem (e = 0.6) in float64 with the integrator catalogue and writes DIR/report.md
(method x dt -> max relative energy error over N steps, measured order) and DIR/energy-error.svg
(energy error against time for leapfrog, forestRuth, yoshida6, rk4, dormandPrince54).

  --quick     the pnpm demo step: 5 methods x 2 step sizes, ${quickPlan.steps} steps (a few seconds)
  default     ${fullPlan.methods.length} methods x ${fullPlan.dts.length} step sizes, ${fullPlan.steps} steps
  --steps N   override the number of steps
  --out DIR   default out/integrators (or out/integrators-quick)
  --update-readme FILE  also replace the table between the integrators-report markers in FILE
              (how packages/integrators/README.md's table is made: the default run with this option)`;

export const integratorsReportCommand: Command = {
  name: 'integrators-report',
  summary: 'Kepler energy error and measured order of the integrator catalogue: markdown + SVG plot.',
  usage,
  async run(args) {
    const { values } = parseArgs('integrators-report', args, {
      quick: { type: 'boolean', default: false },
      out: { type: 'string' },
      steps: { type: 'string' },
      'update-readme': { type: 'string' },
    });
    const base = values.quick ? quickPlan : fullPlan;
    const plan = {
      ...base,
      steps: numberOption(values.steps, {
        command: 'integrators-report',
        name: 'steps',
        fallback: base.steps,
        integer: true,
      }),
    };
    if (plan.steps < 100)
      throw new UsageError(
        `noether integrators-report: option '--steps' must be at least 100, got ${plan.steps}`,
      );
    const outDir = values.out ?? (values.quick ? 'out/integrators-quick' : 'out/integrators');
    console.log(
      `${plan.methods.length} methods x ${plan.dts.length} step sizes, ${plan.steps} steps each -> ${outDir}`,
    );
    const bar = createProgress('integrators-report', reportWork(plan));
    const result = runIntegratorsReport(plan, ({ label }) => void bar.tick(1, label));
    bar.done();
    makeOutputDir(outDir);
    const md = renderMarkdown(result, plan);
    writeFileAtomic(join(outDir, 'report.md'), md);
    writeFileAtomic(join(outDir, 'energy-error.svg'), renderPlot(result, plan));
    console.log(
      md
        .split('\n')
        .filter((l) => l.startsWith('|'))
        .join('\n'),
    );
    console.log(`wrote ${join(outDir, 'report.md')} and ${join(outDir, 'energy-error.svg')}`);
    const readme = values['update-readme'];
    if (readme !== undefined) {
      writeFileAtomic(readme, replaceReadmeTable(readFileSync(readme, 'utf8'), renderTable(result, plan)));
      console.log(`updated the table in ${readme}`);
    }
    return 0;
  },
};
