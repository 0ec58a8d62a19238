import { initBackend } from '@noether/autodiff';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from '../args';
import type { Command } from '../command';
import { createProgress } from '../progress';
import { ecfCases } from '../../ecf/cases';
import { quickEcfSettings, runEcfCase } from '../../ecf/experiment';
import type { EcfResult } from '../../ecf/experiment';
import { readResults, writeEcfReport } from '../../ecf/report';
import { summary } from './ecf';

const usage = `noether ecf-report [--in DIR] [--out DIR] [--quick] [--json]

Collects the results of 'noether ecf <case>' (DIR/<case>.json) and of 'noether fno-burgers' into a markdown
report with tables, error-over-time and conservation curves and rollout heat maps (SVG), and evaluates the
issue's targets.

  --in DIR    results directory (default out/ecf)
  --out DIR   report directory (default: the results directory)
  --quick     run every case in its seconds-long form first (FNO only), then report (what 'noether demo' runs)
  --json      print one JSON object (targets and per-case metrics)`;

export const ecfReportCommand: Command = {
  name: 'ecf-report',
  summary: 'Markdown report of the ECF experiments (tables, rollout plots, error-over-time curves, targets).',
  usage,
  async run(args) {
    let parsed;
    try {
      parsed = parseArgs('ecf-report', args, {
        in: { type: 'string', default: 'out/ecf' },
        out: { type: 'string' },
        quick: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      });
    } catch (error) {
      console.error((error as Error).message);
      return 2;
    }
    const v = parsed.values;
    const inDir = v.quick && v.in === 'out/ecf' ? 'out/ecf-quick' : v.in;
    const outDir = v.out ?? inDir;
    let results: EcfResult[];
    if (v.quick) {
      const backend = await initBackend({ log: () => {} });
      results = [];
      const bar = createProgress('ecf quick (6 cases, FNO)', ecfCases.length);
      for (const c of ecfCases) {
        results.push(
          await runEcfCase(c, { ...quickEcfSettings, backbones: ['fno'] }, { backend: backend.name }),
        );
        bar.tick(1, c.name);
      }
      bar.done();
    } else {
      results = readResults(inDir);
      if (results.length === 0) {
        console.error(
          `noether ecf-report: no results in ${inDir} (run 'noether ecf <case>' first, or pass --quick)`,
        );
        return 2;
      }
    }
    const read = (file: string) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null);
    const burgers = v.quick ? null : read(join('out', 'fno-burgers', 'result.json'));
    const bench = v.quick
      ? null
      : {
          operators: read(join('out', 'bench', 'operators.json')),
          ecf: read(join('out', 'bench', 'ecf.json')),
        };
    const { targets } = writeEcfReport(results, { outDir, burgers, bench });
    if (v.json) {
      console.log(JSON.stringify({ targets, burgersFno: burgers, bench, cases: results.map(summary) }));
    } else {
      console.log(`wrote ${join(outDir, 'report.md')} (${results.length} cases)`);
      console.log(
        `ECF conservation max ${targets.ecfConservationMax.toExponential(2)} (${targets.conservationMet ? 'met' : 'not met'}: <= 1e-6 and >= 1000x below plain, min ratio ${targets.minRatioToPlain.toExponential(2)})`,
      );
      console.log(
        `rollout better than plain: FNO staged ${targets.rolloutBetterCasesFnoStaged.length}, FNO integrated ${targets.rolloutBetterCasesFnoIntegrated.length}, U-Net staged ${targets.rolloutBetterCasesUnetStaged.length}, U-Net integrated ${targets.rolloutBetterCasesUnetIntegrated.length} of ${targets.casesRun} cases (target >= 4 of 6: ${targets.rolloutTargetMet ? 'met' : 'not met'})`,
      );
    }
    return 0;
  },
};
