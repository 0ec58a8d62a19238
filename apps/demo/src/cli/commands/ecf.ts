import { initBackend } from '@noether/autodiff';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { numberOption, parseArgs } from '../args';
import type { Command } from '../command';
import { createProgress } from '../progress';
import type { Progress } from '../progress';
import { ecfCaseNames, findEcfCase } from '../../ecf/cases';
import { backbones, defaultEcfSettings, quickEcfSettings, runEcfCase } from '../../ecf/experiment';
import type { Backbone, EcfResult } from '../../ecf/experiment';
import { writeJsonAtomic } from '../../pinn/train';

const usage = `noether ecf <case> [--quick] [--steps N] [--train N] [--test N] [--samples N] [--backbone fno|unet|both] [--seed S] [--out DIR] [--json]

Trains FNO and U-Net one-step operators on float64 solver data of @noether/datasets and compares plain,
ECF staged (wrapped after training) and ECF integrated (trained wrapped) rows; cases that conserve ∫u² add
the rows with the quadratic constraint (+q). Metrics: one-step relative L2, rollout relative L2 after 20 and
after the last step, conservation error over the rollout (targets from the initial condition).

  <case>        ${ecfCaseNames.join(' | ')}
  --quick       a seconds-long smoke run (3 + 2 trajectories, 21 states, 20 Adam steps)
  --steps N     Adam steps per training (default ${defaultEcfSettings.steps})
  --train N     training trajectories (default ${defaultEcfSettings.trainTrajectories}); --test N test trajectories (default ${defaultEcfSettings.testTrajectories})
  --samples N   saved states per trajectory (default ${defaultEcfSettings.samples}: rollouts of ${defaultEcfSettings.samples - 1} steps)
  --backbone    fno | unet | both (default both)
  --seed S      data and weight seed (default 0)
  --out DIR     output directory (default out/ecf): <case>.json (read by noether ecf-report)
  --json        print one JSON object with the metrics instead of the table`;

function fmt(v: number | null): string {
  return v === null ? '–' : v.toExponential(2);
}

/** The metrics table of one case, as text lines. */
function formatRows(r: EcfResult): string[] {
  const lines = [
    `${'backbone'.padEnd(8)} ${'mode'.padEnd(13)} ${'1-step'.padStart(9)} ${'roll@20'.padStart(9)} ${`roll@${r.rollSteps}`.padStart(9)} ${'cons lin'.padStart(9)} ${'cons quad'.padStart(9)} ${'train s'.padStart(8)}`,
  ];
  for (const row of r.rows)
    lines.push(
      `${row.backbone.padEnd(8)} ${row.mode.padEnd(13)} ${fmt(row.oneStep).padStart(9)} ${fmt(row.rollout20).padStart(9)} ${fmt(row.rolloutLast).padStart(9)} ${fmt(row.conservationLinear).padStart(9)} ${fmt(row.conservationQuadratic).padStart(9)} ${row.trainSeconds.toFixed(1).padStart(8)}`,
    );
  return lines;
}

/** The JSON summary of a result (the metrics without the curves and trajectories). */
export function summary(r: EcfResult) {
  return {
    case: r.case,
    backend: r.backend,
    settings: r.settings,
    dataDrift: r.dataDrift,
    rollSteps: r.rollSteps,
    seconds: r.seconds,
    rows: r.rows.map(({ errorCurve: _e, conservationCurve: _c, ...row }) => row),
  };
}

export const ecfCommand: Command = {
  name: 'ecf',
  summary:
    'Train plain / ECF-staged / ECF-integrated FNO and U-Net operators on one PDE case; report errors and conservation.',
  usage,
  async run(args) {
    let parsed;
    let settings;
    let name: string | undefined;
    let backboneList: readonly Backbone[];
    try {
      parsed = parseArgs('ecf', args, {
        quick: { type: 'boolean', default: false },
        steps: { type: 'string' },
        train: { type: 'string' },
        test: { type: 'string' },
        samples: { type: 'string' },
        backbone: { type: 'string', default: 'both' },
        seed: { type: 'string' },
        out: { type: 'string', default: 'out/ecf' },
        json: { type: 'boolean', default: false },
      });
      name = parsed.positionals[0];
      if (!name) throw new Error(`noether ecf: missing <case> (one of ${ecfCaseNames.join(', ')})`);
      if (!findEcfCase(name))
        throw new Error(`noether ecf: unknown case '${name}' (one of ${ecfCaseNames.join(', ')})`);
      const b = parsed.values.backbone;
      if (b !== 'both' && !backbones.includes(b as Backbone))
        throw new Error(
          `noether ecf: option '--backbone' must be fno, unet or both, got ${JSON.stringify(b)}`,
        );
      backboneList = b === 'both' ? backbones : [b as Backbone];
      const base = parsed.values.quick ? quickEcfSettings : defaultEcfSettings;
      const values = parsed.values;
      const opt = (key: string, fallback: number, min: number) => {
        const v = numberOption(values[key as 'steps'] as string | undefined, {
          command: 'ecf',
          name: key,
          fallback,
          integer: true,
        });
        if (v < min) throw new Error(`noether ecf: option '--${key}' must be an integer >= ${min}, got ${v}`);
        return v;
      };
      settings = {
        ...base,
        steps: opt('steps', base.steps, 0),
        trainTrajectories: opt('train', base.trainTrajectories, 1),
        testTrajectories: opt('test', base.testTrajectories, 1),
        samples: opt('samples', base.samples, 3),
        seed: opt('seed', base.seed, 0),
        backbones: backboneList,
      };
    } catch (error) {
      console.error((error as Error).message);
      return 2;
    }
    const c = findEcfCase(name);
    if (!c) throw new Error(`noether ecf: unknown case '${name}'`);
    const backend = await initBackend({ log: () => {} });
    const json = parsed.values.json;
    if (!json) console.log(`backend ${backend.name}; case ${c.name}: ${c.setting}`);
    let bar: Progress | null = null;
    let label = '';
    const r = await runEcfCase(c, settings, {
      backend: backend.name,
      onProgress: (p) => {
        if (p.label !== label) {
          bar?.done();
          label = p.label;
          bar = createProgress(`ecf ${c.name} ${p.label}`, p.total);
        }
        bar?.tick(1, `loss ${p.loss.toExponential(2)}`);
      },
    });
    (bar as Progress | null)?.done();
    mkdirSync(parsed.values.out, { recursive: true });
    writeJsonAtomic(join(parsed.values.out, `${c.name}.json`), r);
    if (json) console.log(JSON.stringify(summary(r)));
    else {
      console.log(formatRows(r).join('\n'));
      console.log(
        `data drift of the conserved sums (float64): linear ${r.dataDrift.linear.toExponential(2)}, quadratic ${r.dataDrift.quadratic.toExponential(2)}; ${r.seconds.toFixed(1)} s; wrote ${join(parsed.values.out, `${c.name}.json`)}`,
      );
    }
    return 0;
  },
};
