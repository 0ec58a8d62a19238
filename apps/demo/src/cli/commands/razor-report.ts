import { writeFileAtomic } from '@noether/files';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from '../args';
import type { Command } from '../command';
import { heatmap, linePlot } from '../../report/svg-plot';
import type { RazorResult } from '../../razor/experiment';

const usage = `noether razor-report [--dir DIR] [--out DIR] [--json]

Collects the runs written by \`noether razor\` (DIR/runs/*.json, default out/razor) into one table (−ELBO/N,
NLL, KL/N, train and test MSE per variant; singular values, count, gap, parallelness, laws) and plots:
singular values over training, parallelness over training, and the learned Ĥ of the single oscillator.

  --dir DIR   where the runs are (default out/razor)
  --out DIR   where report.md and the SVG plots go (default DIR/report)
  --json      print one JSON object (the table rows and written files)`;

/** One row of the report table. */
function row(r: RazorResult) {
  const s = r.settings;
  return {
    id: r.id,
    system: s.system === 'nho' ? `nho (n=${s.n})` : s.system,
    variant: r.settings.variant,
    steps: r.steps,
    negElboPerN: r.elbo.negElboPerN,
    nll: r.elbo.nll,
    klPerN: r.elbo.kl,
    trainMse: r.trainMse,
    testMse: r.testMse,
    singularValues: r.singularValues.slice(0, 12),
    count: r.count,
    countRelative: r.countRelative,
    trueDimension: r.trueDimension,
    gap: r.gap,
    parallelnessMin: r.parallelness.length ? Math.min(...r.parallelness) : null,
    laws: r.laws,
    reached: r.reached,
    seconds: r.seconds,
    trainSeconds: r.trainSeconds,
    wallSecondsPerStep: r.wallSecondsPerStep,
    cpuSecondsPerStep: r.cpuSecondsPerStep,
    backend: r.backend,
  };
}

const e = (x: number | null | undefined, d = 2) =>
  x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toExponential(d);
const f = (x: number | null | undefined, d = 3) =>
  x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d);

export const razorReportCommand: Command = {
  name: 'razor-report',
  summary: "Table and plots of the Noether's Razor runs (-ELBO, MSE, singular values, parallelness, laws).",
  usage,
  async run(args) {
    let parsed;
    try {
      parsed = parseArgs('razor-report', args, {
        dir: { type: 'string', default: 'out/razor' },
        out: { type: 'string' },
        json: { type: 'boolean', default: false },
      });
    } catch (error) {
      console.error((error as Error).message);
      return 2;
    }
    const { values } = parsed;
    const runsDir = join(values.dir, 'runs');
    if (!existsSync(runsDir)) {
      console.error(`noether razor-report: no runs in '${runsDir}' (run noether razor first)`);
      return 2;
    }
    const runs: RazorResult[] = readdirSync(runsDir)
      .filter((n) => n.endsWith('.json'))
      .sort()
      .map((n) => JSON.parse(readFileSync(join(runsDir, n), 'utf8')) as RazorResult);
    if (runs.length === 0) {
      console.error(`noether razor-report: no runs in '${runsDir}' (run noether razor first)`);
      return 2;
    }
    const outDir = values.out ?? join(values.dir, 'report');
    mkdirSync(outDir, { recursive: true });
    const rows = runs.map(row);
    const files: string[] = [];
    const write = (name: string, text: string) => {
      const path = join(outDir, name);
      writeFileAtomic(path, text);
      files.push(path);
    };
    for (const r of runs) {
      if (!r.trace.length || !r.trace[0].singularValues.length) continue;
      const k = Math.min(r.trueDimension + 4, r.trace[0].singularValues.length);
      const x = r.trace.map((t) => t.step);
      write(
        `${r.id}-singular-values.svg`,
        linePlot(
          Array.from({ length: k }, (_, i) => ({
            label: `s${i + 1}`,
            x,
            y: r.trace.map((t) => t.singularValues[i]),
          })),
          {
            title: `Singular values of the learned generators: ${r.id}`,
            xLabel: 'step',
            yLabel: 'singular value',
            logY: true,
          },
        ),
      );
      write(
        `${r.id}-parallelness.svg`,
        linePlot(
          [
            {
              label: `1 − min parallelness (top ${r.trueDimension})`,
              x,
              y: r.trace.map((t) => Math.max(1e-7, 1 - t.parallelnessMin)),
            },
            {
              label: `s${r.trueDimension + 1}/s${r.trueDimension} (1/gap)`,
              x,
              y: r.trace.map((t) => 1 / t.gap),
            },
          ],
          {
            title: `Parallelness and gap over training: ${r.id}`,
            xLabel: 'step',
            yLabel: '(log scale)',
            logY: true,
          },
        ),
      );
      if (r.hamiltonianGrid) {
        const g = Math.round(Math.sqrt(r.hamiltonianGrid.values.length));
        write(
          `${r.id}-hamiltonian.svg`,
          heatmap(r.hamiltonianGrid.values, [g, g], {
            title: `Learned Ĥ(q, p), one oscillator (${r.settings.variant})`,
            xLabel: 'q',
            yLabel: 'p',
            xRange: r.hamiltonianGrid.range,
            yRange: r.hamiltonianGrid.range,
          }),
        );
      }
    }
    const lines = [
      "# Noether's Razor runs",
      '',
      '| run | variant | steps | −ELBO/N | NLL | KL/N | train MSE | test MSE | wider | moved | count (abs / 5% s1 / true) | gap | min parallelness | s/step wall (CPU) |',
      '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|',
      ...rows.map(
        (r) =>
          `| ${r.id} | ${r.variant} | ${r.steps} | ${f(r.negElboPerN)} | ${f(r.nll)} | ${f(r.klPerN, 4)} | ${e(r.trainMse)} | ${e(r.testMse.test)} | ${e(r.testMse.testWider)} | ${e(r.testMse.testMoved)} | ${r.count} / ${r.countRelative} / ${r.trueDimension} | ${f(r.gap, 2)} | ${f(r.parallelnessMin, 5)} | ${f(r.wallSecondsPerStep)} (${f(r.cpuSecondsPerStep)}) |`,
      ),
      '',
      '## Singular values and laws',
      '',
      ...rows.flatMap((r) => [
        `### ${r.id}`,
        '',
        `- singular values: ${r.singularValues.map((s) => s.toPrecision(3)).join(', ') || '-'}`,
        `- laws: ${r.laws.map((l) => '`' + l + '`').join(', ') || '-'}`,
        `- reached at step: parallelness ≥ 0.999 ${r.reached.parallel999 ?? '-'}, gap ≥ 10 ${r.reached.gap10 ?? '-'}, exact count ${r.reached.exactCount ?? '-'}; training ${f(r.trainSeconds, 1)} s (${r.backend})`,
        '',
      ]),
    ];
    write('report.md', lines.join('\n'));
    if (values.json) {
      console.log(JSON.stringify({ runs: rows, files }));
      return 0;
    }
    console.log(lines.slice(0, 4 + rows.length).join('\n'));
    console.log(`\nwritten: ${files.join(', ')}`);
    return 0;
  },
};
