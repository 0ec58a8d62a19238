import { initBackend } from '@noether/autodiff';
import { writeFileAtomic } from '@noether/files';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { numberOption, parseArgs } from '../args';
import type { Command } from '../command';
import { createProgress } from '../progress';
import {
  defaultSettings,
  razorSystems,
  razorVariants,
  runId,
  runRazor,
  type RazorSettings,
  type RazorSystemName,
} from '../../razor/experiment';
import type { RazorVariant } from '@noether/razor';

const usage = `noether razor <${razorSystems.join('|')}> [--n N] [--variant ${razorVariants.join('|')}] [--steps N] [options]

Noether's Razor: learns which quadratic quantities a system conserves (and so its symmetry group) from one-step
transitions, with a variational Hamiltonian network symmetrised over the flows of K learnable conserved
quantities. Prints the singular values of the learned generators, their parallelness to the true ones, the
laws as formulas and test errors.

  --n N            oscillators for nho (default 2)
  --variant V      learned (default) | vanilla (plain variational HNN) | oracle (true generators)
  --steps N        training steps (default: ho 300, nho 2000, three-body 6000)
  --seed S         seed (default 0)
  --flows S        symmetry flows per step (default 16)
  --substeps N     Euler substeps (default 5; three-body 10)
  --slots K        learnable conserved quantities (default 30; ho 5)
  --batch B        transitions per step (default 100)
  --eta-init X     std of the initial η (default 0)
  --eta-lr X       learning rate of η (default 1e-2; network 1e-3)
  --lr-floor X     cosine schedule floor, a fraction of the learning rates (default 0)
  --warmup N       plain-HNN steps before η trains (default 0; three-body 1500)
  --kl-weight X    weight of the KL term (default 1: the ELBO)
  --eta-decay X    decoupled weight decay of η (AdamW; default 0)
  --antithetic     draw the flows in pairs (ε, −ε): cancels the leading Monte-Carlo noise of η's gradient
  --trace N        diagnostics every N steps (default 100)
  --json           print one JSON object (the run record) instead of the summary
  --out DIR        output directory (default out/razor): runs/<id>.json, checkpoints/<id>.ckpt.json

Checkpoints every 200 steps; running the same command again resumes from the checkpoint.`;

function fail(message: string): number {
  console.error(`noether razor: ${message}`);
  return 2;
}

export const razorCommand: Command = {
  name: 'razor',
  summary: "Noether's Razor: learn conserved quantities / symmetries of ho, nho or three-body from data.",
  usage,
  async run(args) {
    let parsed;
    try {
      parsed = parseArgs('razor', args, {
        n: { type: 'string' },
        variant: { type: 'string', default: 'learned' },
        steps: { type: 'string' },
        seed: { type: 'string' },
        flows: { type: 'string' },
        substeps: { type: 'string' },
        slots: { type: 'string' },
        batch: { type: 'string' },
        'eta-init': { type: 'string' },
        'eta-lr': { type: 'string' },
        'lr-floor': { type: 'string' },
        warmup: { type: 'string' },
        'kl-weight': { type: 'string' },
        trace: { type: 'string' },
        antithetic: { type: 'boolean', default: false },
        'eta-decay': { type: 'string' },
        json: { type: 'boolean', default: false },
        out: { type: 'string', default: 'out/razor' },
      });
    } catch (error) {
      console.error((error as Error).message);
      return 2;
    }
    const { values, positionals } = parsed;
    const system = positionals[0] as RazorSystemName | undefined;
    if (!system)
      return fail(`missing <system> (one of ${razorSystems.join(', ')}); see noether razor --help`);
    if (!razorSystems.includes(system))
      return fail(`<system> must be one of ${razorSystems.join(', ')}, got ${JSON.stringify(system)}`);
    if (!razorVariants.includes(values.variant as RazorVariant))
      return fail(
        `option '--variant' must be one of ${razorVariants.join(', ')}, got ${JSON.stringify(values.variant)}`,
      );
    let settings: RazorSettings;
    try {
      const num = (name: string, fallback: number, integer = false) =>
        numberOption(values[name as keyof typeof values] as string | undefined, {
          command: 'razor',
          name,
          fallback,
          integer,
        });
      const n = num('n', 2, true);
      if (n < 1 || n > 6) return fail(`option '--n' must be an integer in [1, 6], got ${n}`);
      const d = defaultSettings(system, n);
      settings = {
        ...d,
        variant: values.variant as RazorVariant,
        steps: num('steps', d.steps, true),
        seed: num('seed', d.seed, true),
        flowSamples: num('flows', d.flowSamples, true),
        substeps: num('substeps', d.substeps, true),
        slots: num('slots', d.slots, true),
        batchSize: num('batch', d.batchSize, true),
        etaInitStd: num('eta-init', d.etaInitStd),
        etaLr: num('eta-lr', d.etaLr),
        lrFloor: num('lr-floor', d.lrFloor),
        warmup: num('warmup', d.warmup, true),
        klWeight: num('kl-weight', d.klWeight),
        antithetic: values.antithetic,
        etaDecay: num('eta-decay', d.etaDecay),
      };
      const positive: [string, number][] = [
        ['steps', settings.steps],
        ['flows', settings.flowSamples],
        ['substeps', settings.substeps],
        ['slots', settings.slots],
        ['batch', settings.batchSize],
        ['eta-lr', settings.etaLr],
      ];
      for (const [name, v] of positive)
        if (!(v > 0)) return fail(`option '--${name}' must be positive, got ${v}`);
      if (settings.seed < 0) return fail(`option '--seed' must be >= 0, got ${settings.seed}`);
      if (!(settings.etaInitStd >= 0))
        return fail(`option '--eta-init' must be >= 0, got ${settings.etaInitStd}`);
      if (!(settings.lrFloor >= 0 && settings.lrFloor <= 1))
        return fail(`option '--lr-floor' must be in [0, 1], got ${settings.lrFloor}`);
      if (!(settings.warmup >= 0)) return fail(`option '--warmup' must be >= 0, got ${settings.warmup}`);
      if (!(settings.etaDecay >= 0))
        return fail(`option '--eta-decay' must be >= 0, got ${settings.etaDecay}`);
      if (!(settings.klWeight >= 0))
        return fail(`option '--kl-weight' must be >= 0, got ${settings.klWeight}`);
    } catch (error) {
      console.error((error as Error).message);
      return 2;
    }
    const traceEvery = numberOption(values.trace, {
      command: 'razor',
      name: 'trace',
      fallback: 100,
      integer: true,
    });
    if (traceEvery < 1) return fail(`option '--trace' must be an integer >= 1, got ${traceEvery}`);
    const backend = await initBackend({ log: () => {} });
    const id = runId(settings);
    if (!values.json) console.log(`backend ${backend.name}; run ${id}`);
    const bar = createProgress(`razor ${system} ${settings.variant}`, settings.steps);
    let first = true;
    const r = await runRazor(settings, {
      checkpointPath: join(values.out, 'checkpoints', `${id}.ckpt.json`),
      traceEvery,
      backend: backend.name,
      onProgress: (record, point) => {
        if (first) {
          // a resumed run starts the bar where the checkpoint left off
          bar.tick(record.step - 1);
          first = false;
        }
        bar.tick(
          1,
          point
            ? `nll ${point.nll.toFixed(2)} gap ${point.gap.toFixed(1)} par ${point.parallelnessMin.toFixed(4)}`
            : undefined,
        );
      },
    });
    bar.done(`${r.status}, ${r.steps} steps`);
    mkdirSync(join(values.out, 'runs'), { recursive: true });
    const path = join(values.out, 'runs', `${id}.json`);
    writeFileAtomic(path, JSON.stringify(r));
    if (values.json) {
      const { trace: _trace, hamiltonianGrid: _grid, ...rest } = r;
      console.log(JSON.stringify({ ...rest, written: path }));
      return 0;
    }
    const fmt = (xs: number[], k = 8) =>
      xs
        .slice(0, k)
        .map((x) => x.toPrecision(3))
        .join(' ');
    console.log(
      [
        `singular values        ${fmt(r.singularValues, 10)}${r.singularValues.length > 10 ? ' ...' : ''}`,
        `count (>0.05 / >5% s1)  ${r.count} / ${r.countRelative}   (true dimension ${r.trueDimension}; gap s${r.trueDimension}/s${r.trueDimension + 1} = ${r.gap.toPrecision(3)})`,
        `parallelness (top ${r.trueDimension})   ${fmt(r.parallelness, 10)}`,
        `laws (learned)         ${r.laws.join(';  ') || '-'}`,
        `laws (true span)       ${r.trueLaws.join(';  ')}`,
        `test MSE               test ${r.testMse.test.toExponential(2)}, wider ${r.testMse.testWider.toExponential(2)}, moved ${r.testMse.testMoved.toExponential(2)} (train ${r.trainMse.toExponential(2)})`,
        `-ELBO/N                ${r.elbo.negElboPerN.toFixed(3)} (NLL ${r.elbo.nll.toFixed(3)}, KL/N ${r.elbo.kl.toFixed(4)})`,
        `time                   ${r.seconds.toFixed(1)} s this run; ${r.wallSecondsPerStep.toFixed(3)} s/step wall, ${r.cpuSecondsPerStep.toFixed(3)} CPU-s/step (${r.backend})`,
        `reached at step        parallelness>=0.999: ${r.reached.parallel999 ?? '-'}, gap>=10: ${r.reached.gap10 ?? '-'}, exact count: ${r.reached.exactCount ?? '-'}`,
        `written                ${path}`,
      ].join('\n'),
    );
    return 0;
  },
};
