import { initBackend } from '@noether/autodiff';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, numberOption } from '../args';
import type { Command } from '../command';
import { createProgress } from '../progress';
import {
  fullPlan,
  quickPlan,
  renderMarkdown,
  renderPlots,
  reportWork,
  runChargesReport,
  targets,
} from '../../charges/report';

const usage = `noether charges-report [--quick] [--json] [--out DIR] [--seed N]

Noether's theorem for training itself (@noether/param-symmetry): the exact discrete law of GD for the
network's charges (float32 and float64), charge drift vs learning rate for GD, momentum, Adam and implicit
midpoint, implicit midpoint vs RK4 gradient flow in float32, the sharpness oracle sqrt(Q0^2 + 4y^2),
teleportation vs plain GD, and the loss barrier between two MLPs before/after weight matching. Writes
DIR/report.md and DIR/drift-vs-lr.svg, DIR/teleport.svg, DIR/barrier.svg.

  --quick     the pnpm demo step: ${quickPlan.lrs.length} learning rates, ${quickPlan.flowSteps} flow steps (seconds)
  --json      print one JSON object with the measurements (discreteLawResidual, implicitMidpointDrift,
              rk4Drift, sharpnessError, ...) instead of the tables
  --seed N    seed of data and initial weights (default ${fullPlan.seed})
  --out DIR   default out/charges (or out/charges-quick)`;

/** Writes a file atomically (temp file + rename). */
function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export const chargesReportCommand: Command = {
  name: 'charges-report',
  summary:
    'Noether charges of training: discrete GD law, drift vs lr, implicit midpoint vs RK4, teleport, re-basin.',
  usage,
  async run(args) {
    let values: { quick?: boolean; json?: boolean; out?: string; seed?: string };
    let seed: number;
    try {
      ({ values } = parseArgs('charges-report', args, {
        quick: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        out: { type: 'string' },
        seed: { type: 'string' },
      }));
      seed = numberOption(values.seed, {
        command: 'charges-report',
        name: 'seed',
        fallback: fullPlan.seed,
        integer: true,
      });
      if (seed < 0)
        throw new Error(
          `noether charges-report: option '--seed' must be a non-negative integer, got ${seed}`,
        );
    } catch (error) {
      console.error((error as Error).message.replace(/\s*\n\s*/g, ' '));
      return 2;
    }
    const plan = { ...(values.quick ? quickPlan : fullPlan), seed };
    const outDir = values.out ?? (values.quick ? 'out/charges-quick' : 'out/charges');
    const backend = await initBackend({ log: () => {} });
    const bar = values.json ? undefined : createProgress('charges-report', reportWork(plan));
    if (!values.json) console.log(`backend ${backend.name} -> ${outDir}`);
    const report = runChargesReport(plan, (part) => bar?.tick(1, part));
    bar?.done();
    mkdirSync(outDir, { recursive: true });
    writeAtomic(join(outDir, 'report.md'), renderMarkdown(report));
    for (const [name, svg] of Object.entries(renderPlots(report))) writeAtomic(join(outDir, name), svg);
    const summary = {
      discreteLawResidual: report.discreteLawResidual,
      discreteLawResidual64: report.discreteLawResidual64,
      implicitMidpointDrift: report.implicitMidpointDrift,
      rk4Drift: report.rk4Drift,
      implicitMidpointDrift64: report.implicitMidpointDrift64,
      sharpnessError: report.sharpnessError,
      adamBreak: report.adamBreak,
      lrs: report.lrs,
      driftTable: report.driftTable,
      teleport: {
        teleports: report.teleport.teleports,
        maxLossChangeAtTeleport: report.teleport.maxLossChangeAtTeleport,
        meanGradNormRatio: report.teleport.meanGradNormRatio,
        finalLossPlain: report.teleport.plainLoss[report.teleport.plainLoss.length - 1],
        finalLossTeleport: report.teleport.teleportLoss[report.teleport.teleportLoss.length - 1],
      },
      barrier: {
        before: report.barrier.before,
        after: report.barrier.after,
        reduction: report.barrier.reduction,
      },
      targets: targets(report),
      backend: report.backend,
      out: outDir,
    };
    if (values.json) {
      console.log(JSON.stringify(summary));
      return 0;
    }
    console.log(
      targets(report)
        .map(
          (t) =>
            `${t.name.padEnd(40)} ${t.measured.padEnd(30)} target ${t.target}${t.met ? '' : '  NOT MET'}`,
        )
        .join('\n'),
    );
    console.log(`wrote ${join(outDir, 'report.md')} and 3 SVG plots`);
    return 0;
  },
};
