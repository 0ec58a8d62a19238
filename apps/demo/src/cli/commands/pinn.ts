import { initBackend } from '@noether/autodiff';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, numberOption } from '../args';
import type { Command } from '../command';
import { createProgress } from '../progress';
import { allCaseNames as caseNames, getCase } from '../../pinn/cases';
import type { ConstraintKind } from '../../pinn/metrics';
import {
  constraintKinds,
  defaultSettings,
  runCase,
  runId,
  variants,
  writeJsonAtomic,
} from '../../pinn/train';
import type { Variant } from '../../pinn/train';

const usage = `noether pinn <case> --constraint <c> --variant <v> [--iters N] [--points N] [--levels L] [--seed S] [--out DIR]

Trains one PINN-Proj reproduction run (MLP 2 -> 8 x 20 tanh -> 1, L-BFGS history 50, strong Wolfe, float32)
and measures it against the float64 reference of @noether/datasets.

  <case>          ${caseNames.join(' | ')}
  --constraint    ${constraintKinds.join(' | ')}            (default joint)
  --variant       ${variants.join(' | ')}   (plain PINN, PINN + penalty lambda = 10, PINN-Proj; default proj)
  --iters N       L-BFGS iteration cap (default ${defaultSettings.iterations})
  --points N      collocation points, on the 100 shared time levels (default ${defaultSettings.points})
  --levels L      shared time levels of the training points, a subset of the 100 (default 100)
  --seed S        network and sampling seed (default 0)
  --lambda L      penalty weight (default 10)
  --out DIR       output directory (default out/pinn): runs/<id>.json, checkpoints/<id>.ckpt.json

Checkpoints every 25 iterations; running the same command again resumes from the checkpoint.`;

export const pinnCommand: Command = {
  name: 'pinn',
  summary: 'Train one PINN / penalty / PINN-Proj run on a PINN-Proj case and report its errors.',
  usage,
  async run(args) {
    const { values, positionals } = parseArgs('pinn', args, {
      constraint: { type: 'string', default: 'joint' },
      variant: { type: 'string', default: 'proj' },
      iters: { type: 'string' },
      points: { type: 'string' },
      levels: { type: 'string' },
      seed: { type: 'string' },
      lambda: { type: 'string' },
      out: { type: 'string', default: 'out/pinn' },
    });
    const name = positionals[0];
    if (!name) {
      console.error(`noether pinn: missing <case>\n\n${usage}`);
      return 2;
    }
    getCase(name);
    if (!constraintKinds.includes(values.constraint as ConstraintKind)) {
      console.error(
        `noether pinn: option '--constraint' must be one of ${constraintKinds.join(', ')}, got ${JSON.stringify(values.constraint)}`,
      );
      return 2;
    }
    if (!variants.includes(values.variant as Variant)) {
      console.error(
        `noether pinn: option '--variant' must be one of ${variants.join(', ')}, got ${JSON.stringify(values.variant)}`,
      );
      return 2;
    }
    const settings = {
      ...defaultSettings,
      case: name as (typeof caseNames)[number],
      constraint: values.constraint as ConstraintKind,
      variant: values.variant as Variant,
      iterations: numberOption(values.iters, {
        command: 'pinn',
        name: 'iters',
        fallback: defaultSettings.iterations,
        integer: true,
      }),
      points: numberOption(values.points, {
        command: 'pinn',
        name: 'points',
        fallback: defaultSettings.points,
        integer: true,
      }),
      levels: numberOption(values.levels, {
        command: 'pinn',
        name: 'levels',
        fallback: defaultSettings.levels,
        integer: true,
      }),
      seed: numberOption(values.seed, { command: 'pinn', name: 'seed', fallback: 0, integer: true }),
      lambda: numberOption(values.lambda, { command: 'pinn', name: 'lambda', fallback: 10 }),
    };
    const backend = await initBackend({ log: () => {} });
    console.log(`backend ${backend.name}; run ${runId(settings)}`);
    const bar = createProgress(
      `pinn ${name} ${settings.variant}/${settings.constraint}`,
      settings.iterations,
    );
    let last = 0;
    const r = await runCase(settings, {
      checkpointDir: join(values.out, 'checkpoints'),
      onIteration: ({ iteration, loss }) => {
        bar.tick(iteration - last, `loss ${loss.toExponential(3)}`);
        last = iteration;
      },
    });
    bar.done(r.message ? `${r.status}: ${r.message}` : r.status);
    mkdirSync(join(values.out, 'runs'), { recursive: true });
    const path = join(values.out, 'runs', `${r.id}.json`);
    writeJsonAtomic(path, r);
    console.log(
      [
        `relative L2 error       ${r.relL2.toExponential(3)}`,
        `conservation error      ${r.conservation.toExponential(3)}  (${settings.constraint}; linear ${r.linearSum.toExponential(2)}, quadratic ${r.quadraticSum.toExponential(2)}; summed over 100 levels)`,
        `L-BFGS                  ${r.iterations} iterations, ${r.evaluations} evaluations, ${r.seconds.toFixed(1)} s, loss ${r.loss.toExponential(3)}`,
        `loss terms              ${Object.entries(r.terms)
          .map(([k, v]) => `${k} ${v.toExponential(2)}`)
          .join(', ')}`,
        `written                 ${path}`,
      ].join('\n'),
    );
    return 0;
  },
};
