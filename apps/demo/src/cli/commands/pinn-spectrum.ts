import { initBackend } from '@noether/autodiff';
import { writeFileAtomic } from '@noether/files';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, numberOption } from '../args';
import type { Command } from '../command';
import { allCaseNames, getCase } from '../../pinn/cases';
import type { CaseName } from '../../pinn/cases';
import type { ConstraintKind } from '../../pinn/metrics';
import { conditioningTable, densityCurves, hessianSpectrum } from '../../pinn/spectrum';
import type { HessianSpectrum } from '../../pinn/spectrum';
import {
  constraintKinds,
  decodePrediction,
  defaultSettings,
  runCase,
  runId,
  writeJsonAtomic,
} from '../../pinn/train';
import type { RunResult, RunSettings } from '../../pinn/train';
import { linePlot } from '../../report/svg-plot';

/** The PINN-Proj paper's PyHessian numbers (top Hessian eigenvalue, PINN vs PINN-Proj), where stated. */
const paperTop: Partial<Record<CaseName, [number, number]>> = { kdv: [5122.6, 3525.5] };

const usage = `noether pinn-spectrum <case> [--constraint joint] [--iters N] [--points N] [--levels L] [--seed S] [--steps M] [--probes P] [--density-steps M] [--top K] [--seeds N] [--out DIR] [--json]

Hessian spectrum of the training loss of a trained PINN and PINN-Proj network on one case: the top K
eigenvalues (Lanczos on exact Hessian-vector products, float64 Lanczos over float32 products) and a
stochastic Lanczos quadrature spectral density (P Rademacher probes), as the authors' PyHessian analysis.
Trained runs are read from DIR/runs (the layout of noether pinn-report, so --out can point at a report
directory) or trained and cached there. Writes DIR/spectrum/<case>-<constraint>.{json,md,svg}.

  <case>           ${allCaseNames.join(' | ')}
  --constraint     ${constraintKinds.join(' | ')} (default joint)
  --iters N        L-BFGS iterations of the runs (default 150)
  --points N       collocation points (default 2000); --levels L shared time levels (default 50)
  --seed S         network, sampling and Lanczos seed (default 0)
  --steps M        Lanczos steps for the top eigenvalues (default 30)
  --probes P       SLQ probes (default 2), --density-steps M Lanczos steps per probe (default 20)
  --top K          eigenvalues reported (default 5)
  --seeds N        also the top eigenvalues (Lanczos, no density) of seeds S+1 .. S+N-1, trained or read
                   from DIR/runs: DIR/spectrum/<case>-<constraint>-seeds.{md,json}, and in how many seeds
                   PINN-Proj's lambda_1 is the lower one (the paper's "improves the conditioning")
  --out DIR        default out/pinn-report
  --json           print one JSON object`;

export const pinnSpectrumCommand: Command = {
  name: 'pinn-spectrum',
  summary: 'Hessian eigenvalues (Lanczos) and spectral density (SLQ) of PINN vs PINN-Proj on one case.',
  usage,
  async run(args) {
    const { values, positionals } = parseArgs('pinn-spectrum', args, {
      constraint: { type: 'string', default: 'joint' },
      iters: { type: 'string' },
      points: { type: 'string' },
      levels: { type: 'string' },
      seed: { type: 'string' },
      steps: { type: 'string' },
      probes: { type: 'string' },
      'density-steps': { type: 'string' },
      top: { type: 'string' },
      seeds: { type: 'string' },
      out: { type: 'string', default: 'out/pinn-report' },
      json: { type: 'boolean', default: false },
    });
    const name = positionals[0];
    if (!name || positionals.length > 1) {
      console.error(`noether pinn-spectrum: expected one <case>, got ${positionals.length}\n\n${usage}`);
      return 2;
    }
    if (!allCaseNames.includes(name as CaseName)) {
      console.error(
        `noether pinn-spectrum: unknown case '${name}', expected one of ${allCaseNames.join(', ')}`,
      );
      return 2;
    }
    const constraint = values.constraint as ConstraintKind;
    if (!constraintKinds.includes(constraint)) {
      console.error(
        `noether pinn-spectrum: option '--constraint' must be one of ${constraintKinds.join(', ')}, got ${JSON.stringify(values.constraint)}`,
      );
      return 2;
    }
    const num = (v: string | undefined, spec: { key: string; fallback: number; min: number }) => {
      const x = numberOption(v, {
        command: 'pinn-spectrum',
        name: spec.key,
        fallback: spec.fallback,
        integer: true,
      });
      if (x < spec.min)
        throw new Error(
          `noether pinn-spectrum: option '--${spec.key}' must be an integer >= ${spec.min}, got ${x}`,
        );
      return x;
    };
    const base = {
      ...defaultSettings,
      case: name as CaseName,
      constraint,
      iterations: num(values.iters, { key: 'iters', fallback: 150, min: 0 }),
      points: num(values.points, { key: 'points', fallback: 2000, min: 1 }),
      levels: num(values.levels, { key: 'levels', fallback: 50, min: 1 }),
      seed: num(values.seed, { key: 'seed', fallback: 0, min: 0 }),
    };
    const opts = {
      steps: num(values.steps, { key: 'steps', fallback: 30, min: 2 }),
      probes: num(values.probes, { key: 'probes', fallback: 2, min: 1 }),
      densitySteps: num(values['density-steps'], { key: 'density-steps', fallback: 20, min: 2 }),
      top: num(values.top, { key: 'top', fallback: 5, min: 1 }),
      seed: base.seed,
    };
    const seeds = num(values.seeds, { key: 'seeds', fallback: 1, min: 1 });
    const backend = await initBackend({ log: () => {} });
    const log = values.json ? (..._a: unknown[]) => {} : console.log;
    const outDir = values.out;
    mkdirSync(join(outDir, 'runs'), { recursive: true });
    mkdirSync(join(outDir, 'spectrum'), { recursive: true });
    /** Both runs of one seed (read or trained) and their spectra; `density: false` skips the SLQ density. */
    const spectraOf = async (seed: number, density: boolean) => {
      const out: Record<'pinn' | 'proj', { run: RunResult; spectrum: HessianSpectrum }> = {} as never;
      for (const variant of ['pinn', 'proj'] as const)
        out[variant] = await spectrumOfRun(variant, { ...base, seed }, density);
      return out;
    };
    const spectrumOfRun = async (variant: 'pinn' | 'proj', settings: typeof base, density: boolean) => {
      // plain PINN runs are stored under the 'linear' id (they do not depend on the constraint)
      const s: RunSettings = { ...settings, variant, constraint: variant === 'pinn' ? 'linear' : constraint };
      const path = join(outDir, 'runs', `${runId(s)}.json`);
      let run: RunResult;
      if (existsSync(path)) {
        run = JSON.parse(readFileSync(path, 'utf8')) as RunResult;
        log(`${runId(s)}: read from ${path}`);
      } else {
        log(`${runId(s)}: training (${s.iterations} iterations, backend ${backend.name})`);
        run = await runCase(s, { checkpointDir: join(outDir, 'checkpoints') });
        writeJsonAtomic(path, run);
      }
      if (!run.params)
        throw new Error(`noether pinn-spectrum: run ${run.id} has no stored parameters; delete ${path}`);
      const spectrum = hessianSpectrum({ ...s, constraint }, decodePrediction(run.params), {
        ...opts,
        seed: s.seed,
        ...(density ? {} : { probes: 0 }),
        onProgress: ({ step }) => {
          if (!values.json && step % 10 === 0)
            process.stderr.write(`  ${variant} seed ${s.seed}: ${step} Hessian-vector products\n`);
        },
      });
      // the PINN loss does not depend on the constraint: evaluate it with its own settings
      return { run, spectrum };
    };
    const results = await spectraOf(base.seed, true);
    const c = getCase(name);
    const paper = paperTop[c.name];
    const [p, q] = [results.pinn.spectrum, results.proj.spectrum];
    const rows = [
      `# Hessian spectrum: ${c.name} (${constraint} constraint for PINN-Proj)`,
      '',
      `Runs: ${runId({ ...base, variant: 'pinn', constraint: 'linear' })} and ${runId({ ...base, variant: 'proj' })}; backend ${backend.name}. Lanczos ${opts.steps} steps (top eigenvalues), SLQ ${opts.probes} probes x ${opts.densitySteps} steps; Hessian of the training loss at the trained parameters (${p.parameters} parameters).`,
      '',
      '| | PINN | PINN-Proj | PINN / PINN-Proj | paper PINN | paper PINN-Proj |',
      '|---|---:|---:|---:|---:|---:|',
      ...p.top.map(
        (v, i) =>
          `| lambda_${i + 1} | ${v.toPrecision(5)} | ${q.top[i]?.toPrecision(5) ?? '-'} | ${(v / (q.top[i] ?? NaN)).toFixed(2)} | ${i === 0 && paper ? paper[0] : '-'} | ${i === 0 && paper ? paper[1] : '-'} |`,
      ),
      `| smallest Ritz value | ${p.bottom.toPrecision(4)} | ${q.bottom.toPrecision(4)} | | | |`,
      `| trace (SLQ) | ${p.trace.toPrecision(4)} | ${q.trace.toPrecision(4)} | ${(p.trace / q.trace).toFixed(2)} | | |`,
      `| loss | ${p.loss.toExponential(3)} | ${q.loss.toExponential(3)} | | | |`,
      `| rel L2 of the run | ${results.pinn.run.relL2.toExponential(2)} | ${results.proj.run.relL2.toExponential(2)} | | | |`,
      `| Hessian-vector products, seconds | ${p.matvecs}, ${p.seconds.toFixed(0)} | ${q.matvecs}, ${q.seconds.toFixed(0)} | | | |`,
      '',
      `Paper's claim: the projection "improves the conditioning of the loss landscape" (lower lambda_1). Here lambda_1 PINN / PINN-Proj = ${(p.top[0] / q.top[0]).toFixed(2)} (${p.top[0] > q.top[0] ? 'lower with PINN-Proj: consistent with the claim' : 'not lower with PINN-Proj: the claim is not reproduced'} for this seed).`,
      '',
    ];
    const { grid, densities } = densityCurves([p, q]);
    const svg = linePlot(
      [
        { label: 'PINN', x: grid, y: densities[0].map((v) => Math.max(v, 1e-8)) },
        { label: 'PINN-Proj', x: grid, y: densities[1].map((v) => Math.max(v, 1e-8)) },
      ],
      {
        title: `${c.name}: Hessian spectral density (SLQ, Gaussian width 1% of the range)`,
        xLabel: 'eigenvalue',
        yLabel: 'density',
        logY: true,
      },
    );
    const stem = join(outDir, 'spectrum', `${c.name}-${constraint}`);
    writeFileAtomic(`${stem}.svg`, svg);
    writeFileAtomic(`${stem}.md`, `${rows.join('\n')}\n![density](${c.name}-${constraint}.svg)\n`);
    const summary: Record<string, unknown> = {
      case: c.name,
      constraint,
      backend: backend.name,
      settings: base,
      options: opts,
      paper: paper ? { pinn: paper[0], proj: paper[1] } : null,
      pinn: { id: results.pinn.run.id, relL2: results.pinn.run.relL2, ...p },
      proj: { id: results.proj.run.id, relL2: results.proj.run.relL2, ...q },
      files: { markdown: `${stem}.md`, plot: `${stem}.svg` },
    };
    writeJsonAtomic(`${stem}.json`, summary);
    if (seeds > 1) {
      const perSeed = [{ seed: base.seed, pinn: results.pinn, proj: results.proj }];
      for (let k = 1; k < seeds; k++) {
        log(`seed ${base.seed + k}: top eigenvalues (Lanczos ${opts.steps} steps)`);
        perSeed.push({ seed: base.seed + k, ...(await spectraOf(base.seed + k, false)) });
      }
      const table = conditioningTable(perSeed, { case: c.name, constraint, steps: opts.steps });
      writeFileAtomic(`${stem}-seeds.md`, `${table.markdown}\n`);
      summary.seeds = table.seeds;
      summary.conditioning = table.conditioning;
      writeJsonAtomic(`${stem}-seeds.json`, { case: c.name, constraint, settings: base, ...table });
      rows.push(table.markdown);
    }
    if (values.json) console.log(JSON.stringify(summary));
    else console.log(rows.join('\n'));
    return 0;
  },
};
