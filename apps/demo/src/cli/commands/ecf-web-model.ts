import { initBackend } from '@noether/autodiff';
import { numberOption, parseArgs, seedOption } from '../args';
import type { Command } from '../command';
import { makeOutputDir } from '../output-dir';
import { createProgress, type Progress } from '../progress';
import { defaultWebModel, runWebModel, webModelPde } from '../../ecf/web-model';

const d = defaultWebModel;
const usage = `noether ecf-web-model [--out DIR] [--steps N] [--train N] [--test N] [--width W] [--modes M] [--layers L] [--seed S] [--json]

Trains the small FNO that the web page's ECF panel ships: one step u_k -> u_{k+1} of viscous Burgers
(${webModelPde.equation}, periodic [0, 1), ${webModelPde.points} cells, step ${webModelPde.sampleDt}; the
\`burgers\` case of \`noether ecf\`), float64 solver data of @noether/datasets. Measures it on held-out
trajectories with and without the ECF conservation decoder (mass), then writes DIR/model.json +
DIR/weights.bin (tfjs layout, @noether/operators' saveOperator) and DIR/meta.json (settings, measurements,
the held-out initial conditions the page offers).

  --out DIR     default apps/web/public/models/burgers-fno (run from the repository root)
  --steps N     Adam steps, cosine schedule from ${d.learningRate} (default ${d.steps})
  --train N     training trajectories of ${d.samples} states (default ${d.train}); --test N held-out (default ${d.test})
  --width W     channel width (default ${d.width}); --modes M kept modes (default ${d.modes}); --layers L (default ${d.layers})
  --seed S      data and weight seed (default ${d.seed})
  --json        print one JSON object (meta.json without the initial conditions)`;

export const ecfWebModelCommand: Command = {
  name: 'ecf-web-model',
  summary: "Train and save the small Burgers FNO that the web page's ECF panel ships (tfjs format).",
  usage,
  async run(args) {
    const { values } = parseArgs('ecf-web-model', args, {
      out: { type: 'string', default: 'apps/web/public/models/burgers-fno' },
      steps: { type: 'string' },
      train: { type: 'string' },
      test: { type: 'string' },
      width: { type: 'string' },
      modes: { type: 'string' },
      layers: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    const int = (
      name: 'steps' | 'train' | 'test' | 'width' | 'modes' | 'layers',
      min: number,
      max?: number,
    ) =>
      numberOption(values[name], {
        command: 'ecf-web-model',
        name,
        fallback: d[name],
        integer: true,
        min,
        max,
      });
    const settings = {
      ...d,
      steps: int('steps', 1),
      train: int('train', 1),
      test: int('test', 1),
      width: int('width', 1),
      modes: int('modes', 1, webModelPde.points / 2 + 1),
      layers: int('layers', 1),
      seed: seedOption(values.seed, { command: 'ecf-web-model', fallback: d.seed }),
    };
    const backend = await initBackend({ log: () => {} });
    const out = makeOutputDir(values.out);
    const log = (line: string) => (values.json ? console.error(line) : console.log(line));
    log(`backend ${backend.name}; training the web FNO -> ${out}`);
    let bar: Progress | null = null;
    const r = await runWebModel(out, settings, {
      backend: backend.name,
      onProgress: (step, total, loss) => {
        bar ??= createProgress('ecf-web-model', total);
        bar.tick(1, `loss ${loss.toExponential(2)}`);
      },
    });
    (bar as Progress | null)?.done();
    if (values.json) {
      const { initialConditions: _ic, ...rest } = r;
      console.log(JSON.stringify(rest));
    } else {
      const e = (x: number) => x.toExponential(2);
      console.log(
        [
          `${r.model.parameters} parameters (${(r.model.weightBytes / 1000).toFixed(1)} kB), ${r.training.steps} steps in ${r.training.seconds.toFixed(1)} s, loss ${e(r.training.finalLoss)}`,
          `held out: one-step rel. L2 ${e(r.heldOut.oneStepRelL2)}; rollout of ${r.heldOut.rollSteps} steps: rel. L2 plain ${e(r.heldOut.plain.relL2Last)}, ECF ${e(r.heldOut.ecf.relL2Last)}; mass error plain ${e(r.heldOut.plain.conservation)}, ECF ${e(r.heldOut.ecf.conservation)}`,
          `reloaded model differs by ${e(r.reloadMaxDifference)}; wrote ${out}/model.json, weights.bin, meta.json`,
        ].join('\n'),
      );
    }
    return 0;
  },
};
