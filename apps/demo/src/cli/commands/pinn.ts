import { initBackend } from '@noether/autodiff';
import { checkWritableFolder, writeFileAtomic } from '@noether/files';
import { join } from 'node:path';
import { parseArgs, numberOption, seedOption } from '../args';
import type { Command } from '../command';
import { createProgress } from '../progress';
import { makeOutputDir } from '../output-dir';
import { caseNames, type CaseName } from '../../pinn/cases';
import { UsageError } from '../usage-error';
import type { ConstraintKind } from '../../pinn/metrics';
import { constraintKinds, defaultSettings, runCase, runId, variants } from '../../pinn/train';
import type { Variant } from '../../pinn/train';
import { fullPlan } from '../../pinn/report';

/** The command's defaults: the full report's per-run size (measured: 66 min for its 35 runs, about 2 min a run). */
const cliDefaults = { iterations: fullPlan.iterations, points: fullPlan.points, levels: fullPlan.levels };
/** `--paper`: the paper's size (10,000 points on 100 levels, 1000 iterations). */
const paperSize = {
  iterations: defaultSettings.iterations,
  points: defaultSettings.points,
  levels: defaultSettings.levels,
};

const usage = `noether pinn <case> [--constraint c] [--variant v] [--paper] [--iters N] [--points N] [--levels L] [--seed S] [--out DIR]

Trains one PINN-Proj reproduction run (MLP 2 -> 8 x 20 tanh -> 1, L-BFGS history 50, strong Wolfe, float32)
and measures it against the float64 reference of @noether/datasets.

Run time: the defaults (${cliDefaults.points} points on ${cliDefaults.levels} levels, ${cliDefaults.iterations} iterations) take about 2 min
on 2 cores with the wasm backend (the full pinn-report's 35 such runs took 66 min). --paper uses the paper's
size (${paperSize.points} points on ${paperSize.levels} levels, ${paperSize.iterations} iterations): about 3 hours (an ETA of 169 min was observed).

  <case>          ${caseNames.join(' | ')}
  --constraint    ${constraintKinds.join(' | ')}            (default joint)
  --variant       ${variants.join(' | ')}   (plain PINN, PINN + penalty lambda = 10, PINN-Proj; default proj)
  --paper         the paper's size instead of the defaults (hours, see above)
  --iters N       L-BFGS iteration cap (default ${cliDefaults.iterations})
  --points N      collocation points, on the shared time levels (default ${cliDefaults.points})
  --levels L      shared time levels of the training points, a subset of the 100 (default ${cliDefaults.levels})
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
      paper: { type: 'boolean', default: false },
      out: { type: 'string', default: 'out/pinn' },
    });
    const name = positionals[0];
    if (!name) {
      throw new UsageError(`missing <case>; one of ${caseNames.join(', ')}`);
    }
    if (!caseNames.includes(name as CaseName))
      throw new UsageError(`unknown case '${name}'; one of ${caseNames.join(', ')}`);
    if (!constraintKinds.includes(values.constraint as ConstraintKind)) {
      throw new UsageError(
        `option '--constraint' must be one of ${constraintKinds.join(', ')}, got ${JSON.stringify(values.constraint)}`,
      );
    }
    if (!variants.includes(values.variant as Variant)) {
      throw new UsageError(
        `option '--variant' must be one of ${variants.join(', ')}, got ${JSON.stringify(values.variant)}`,
      );
    }
    const size = values.paper ? paperSize : cliDefaults;
    const settings = {
      ...defaultSettings,
      case: name as (typeof caseNames)[number],
      constraint: values.constraint as ConstraintKind,
      variant: values.variant as Variant,
      iterations: numberOption(values.iters, {
        command: 'pinn',
        name: 'iters',
        fallback: size.iterations,
        integer: true,
        min: 1,
      }),
      points: numberOption(values.points, {
        command: 'pinn',
        name: 'points',
        fallback: size.points,
        integer: true,
        min: 1,
      }),
      levels: numberOption(values.levels, {
        command: 'pinn',
        name: 'levels',
        fallback: size.levels,
        integer: true,
        min: 1,
        max: 100,
      }),
      seed: seedOption(values.seed, { command: 'pinn', fallback: 0 }),
      lambda: numberOption(values.lambda, { command: 'pinn', name: 'lambda', fallback: 10, min: 0 }),
    };
    // The output folders must be writable before training starts, not after it.
    checkWritableFolder(join(values.out, 'runs'));
    checkWritableFolder(join(values.out, 'checkpoints'));
    const backend = await initBackend({ log: () => {} });
    console.log(`backend ${backend.name}; run ${runId(settings)}`);
    const bar = createProgress(
      `pinn ${name} ${settings.variant}/${settings.constraint}`,
      settings.iterations,
    );
    let last = 0;
    const r = await runCase(settings, {
      checkpointDir: join(values.out, 'checkpoints'),
      onProgress: ({ step, loss }) => {
        bar.tick(step - last, `loss ${loss.toExponential(3)}`);
        last = step;
      },
    });
    bar.done(r.message ? `${r.status}: ${r.message}` : r.status);
    makeOutputDir(join(values.out, 'runs'));
    const path = join(values.out, 'runs', `${r.id}.json`);
    const written = writeFileAtomic(path, JSON.stringify(r));
    console.log(
      [
        `relative L2 error       ${r.relL2.toExponential(3)}`,
        `conservation error      ${r.conservation.toExponential(3)}  (${settings.constraint}; linear ${r.linearSum.toExponential(2)}, quadratic ${r.quadraticSum.toExponential(2)}; summed over 100 levels)`,
        `L-BFGS                  ${r.iterations} iterations, ${r.evaluations} evaluations, ${r.seconds.toFixed(1)} s, loss ${r.loss.toExponential(3)}`,
        `loss terms              ${Object.entries(r.terms)
          .map(([k, v]) => `${k} ${v.toExponential(2)}`)
          .join(', ')}`,
        `${written.replaced ? 'replaced' : 'written '}                ${path}`,
      ].join('\n'),
    );
    return 0;
  },
};
