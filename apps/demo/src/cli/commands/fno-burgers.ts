import { initBackend } from '@noether/autodiff';
import { numberOption, parseArgs } from '../args';
import type { Command } from '../command';
import { defaultBurgersFno, runBurgersFno } from '../../ecf/burgers-fno';

const usage = `noether fno-burgers [--minutes M] [--points N] [--train N] [--test N] [--steps N] [--width W] [--modes M] [--out DIR] [--json]

The FNO benchmark on 1D viscous Burgers (ν = 0.1, periodic [0, 1), u0 ~ N(0, 625(−Δ + 25)^−2), map u0 -> u(1)),
data from the float64 solver of @noether/datasets (cached as .npy). FNO modes 16, width 64, 4 layers, Adam
batch 20, cosine learning rate from 1e-3, relative L2 loss. Target: test relative L2 <= 1e-2 within 30 min.
Checkpoints every 100 steps; re-running the command resumes.

  --minutes M   training budget in minutes (default 30); --steps N fixes the step count instead of timing it
  --points N    grid points (default 256); --train / --test sample counts (default 1000 / 200)
  --out DIR     output directory (default out/fno-burgers)
  --json        print one JSON object`;

export const fnoBurgersCommand: Command = {
  name: 'fno-burgers',
  summary:
    'The FNO Burgers benchmark (nu = 0.1, 1000 samples): train with checkpoints, report the test relative L2.',
  usage,
  async run(args) {
    let parsed;
    let settings;
    try {
      parsed = parseArgs('fno-burgers', args, {
        minutes: { type: 'string' },
        points: { type: 'string' },
        train: { type: 'string' },
        test: { type: 'string' },
        steps: { type: 'string' },
        width: { type: 'string' },
        modes: { type: 'string' },
        out: { type: 'string', default: 'out/fno-burgers' },
        json: { type: 'boolean', default: false },
      });
      const v = parsed.values;
      const int = (value: string | undefined, name: string, [fallback, min]: [number, number]) => {
        const x = numberOption(value, { command: 'fno-burgers', name, fallback, integer: true });
        if (x < min)
          throw new Error(`noether fno-burgers: option '--${name}' must be an integer >= ${min}, got ${x}`);
        return x;
      };
      const minutes = numberOption(v.minutes, {
        command: 'fno-burgers',
        name: 'minutes',
        fallback: defaultBurgersFno.minutes,
      });
      if (!(minutes > 0))
        throw new Error(`noether fno-burgers: option '--minutes' must be positive, got ${minutes}`);
      settings = {
        ...defaultBurgersFno,
        minutes,
        points: int(v.points, 'points', [defaultBurgersFno.points, 8]),
        train: int(v.train, 'train', [defaultBurgersFno.train, 20]),
        test: int(v.test, 'test', [defaultBurgersFno.test, 1]),
        steps: int(v.steps, 'steps', [0, 0]),
        width: int(v.width, 'width', [defaultBurgersFno.width, 1]),
        modes: int(v.modes, 'modes', [defaultBurgersFno.modes, 1]),
      };
      if (settings.modes > settings.points / 2 + 1)
        throw new Error(
          `noether fno-burgers: option '--modes' must be at most points/2 + 1, got ${settings.modes}`,
        );
    } catch (error) {
      console.error((error as Error).message);
      return 2;
    }
    const backend = await initBackend({ log: () => {} });
    const json = parsed.values.json;
    const log = (line: string) => (json ? console.error(line) : console.log(line));
    log(`backend ${backend.name}`);
    const r = await runBurgersFno(parsed.values.out, settings, { backend: backend.name, log });
    if (json) {
      const { lossCurve: _l, ...rest } = r;
      console.log(JSON.stringify(rest));
    } else {
      console.log(
        `test relative L2 ${r.testRelL2.toExponential(3)} (ECF mass-wrapped ${r.testRelL2Ecf.toExponential(3)}; train ${r.trainRelL2.toExponential(3)}); target <= 1e-2: ${r.met ? 'met' : 'NOT met'}; ${r.steps} steps in ${r.trainMinutes.toFixed(1)} min (${r.status}, resumed from ${r.resumedFrom}), backend ${r.backend}`,
      );
    }
    return 0;
  },
};
