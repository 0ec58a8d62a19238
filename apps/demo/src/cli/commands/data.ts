import { mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildDataset,
  datasetCatalog,
  loadNpy,
  loadNpz,
  readPdeBench,
  writePdeBench,
  savePdeBatch,
  savePdeSolution,
  saveTrajectories,
  type CatalogOptions,
  type NpyArray,
  type PdeBatch,
  type PdeSolution,
  type Trajectories,
} from '@noether/datasets';
import type { Command } from '../command';
import { choiceOption, numberOption, parseArgs, seedOption } from '../args';
import { createProgress } from '../progress';
import { makeOutputDir } from '../output-dir';
import { UsageError } from '../usage-error';

const dtypeOf = (a: NpyArray) => a.data.constructor.name.replace('Array', '').toLowerCase();

function stats(a: NpyArray): string {
  if (a.data instanceof BigInt64Array || a.data.length === 0) return '';
  let lo = Infinity;
  let hi = -Infinity;
  let nonFinite = 0;
  const data = a.data as ArrayLike<number>;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) nonFinite++;
    else {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  return `  min ${lo.toPrecision(6)}  max ${hi.toPrecision(6)}${nonFinite ? `  NON-FINITE ${nonFinite}` : ''}`;
}

export const dataListCommand: Command = {
  name: 'data list',
  summary:
    'List the datasets `noether data generate` can make (ODE trajectories, PINN-Proj references, PDE batches).',
  usage: 'noether data list\n\nPrints each dataset name, kind, defaults and a one-line description.',
  async run(args) {
    parseArgs('data list', args, {});
    const width = Math.max(...datasetCatalog.map((e) => e.name.length));
    for (const e of datasetCatalog) {
      const d = Object.entries(e.defaults)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ');
      console.log(`${e.name.padEnd(width)}  ${e.kind.padEnd(12)}  ${e.summary}${d ? `  [${d}]` : ''}`);
    }
    return 0;
  },
};

/** Root attributes of a generated HDF5 file: strings and numbers; nested options as JSON text. */
function h5Attributes(extra: Record<string, unknown>): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(extra).map(([k, v]) => [
      k,
      typeof v === 'number' || typeof v === 'string' ? v : JSON.stringify(v),
    ]),
  );
}

export const dataGenerateCommand: Command = {
  name: 'data generate',
  summary: 'Generate a dataset reproducibly from a seed into .npz files (numpy.load opens them).',
  usage: [
    'noether data generate <name> [--count N] [--samples N] [--sample-dt X] [--seed N] [--noise X]',
    '                             [--split train|test|testWider|testMoved|all] [--n N] [--points N]',
    '                             [--format npz|h5] --out DIR',
    '',
    'Writes DIR/<name>[-<split>].npz (atomically) with float64 arrays and JSON metadata (member metadata.json).',
    '--format h5 (PDE sets only) writes DIR/<name>.h5 in the PDEBench layout (tensor [samples, nt, nx(, ny)],',
    "x-coordinate, t-coordinate; float64) that PDEBench's Python loaders read.",
    'Several files (--split all) are written all or none.',
    'The same seed gives byte-identical files. See `noether data list` for names and defaults.',
  ].join('\n'),
  async run(args) {
    const cmd = 'data generate';
    const { values, positionals } = parseArgs(cmd, args, {
      count: { type: 'string' },
      samples: { type: 'string' },
      'sample-dt': { type: 'string' },
      seed: { type: 'string' },
      noise: { type: 'string' },
      split: { type: 'string' },
      n: { type: 'string' },
      points: { type: 'string' },
      format: { type: 'string', default: 'npz' },
      out: { type: 'string' },
    });
    const name = positionals[0];
    if (!name || positionals.length > 1)
      throw new UsageError(`noether ${cmd}: give exactly one dataset name (see noether data list)`);
    if (!values.out) throw new UsageError(`noether ${cmd}: option '--out DIR' is required`);
    const entry = datasetCatalog.find((e) => e.name === name);
    if (!entry)
      throw new UsageError(
        `noether ${cmd}: unknown dataset '${name}' (known: ${datasetCatalog.map((e) => e.name).join(', ')})`,
      );
    if (values.format !== 'npz' && values.format !== 'h5')
      throw new UsageError(`option '--format' must be npz or h5, got ${JSON.stringify(values.format)}`);
    if (values.format === 'h5' && entry.kind === 'trajectories')
      throw new UsageError(
        `--format h5 writes the PDEBench layout, for PDE sets only; '${name}' is ${entry.kind} (use npz)`,
      );
    const ext = values.format;
    const opts: CatalogOptions = {};
    const num = (
      key: 'count' | 'samples' | 'sampleDt' | 'noise' | 'n' | 'points',
      rule: { integer?: boolean; min: number; minExclusive?: boolean },
      flag: string = key,
    ) => {
      const v = values[flag as keyof typeof values] as string | undefined;
      if (v !== undefined) opts[key] = numberOption(v, { command: cmd, name: flag, fallback: 0, ...rule });
    };
    num('count', { integer: true, min: 1 });
    num('samples', { integer: true, min: 2 });
    num('sampleDt', { min: 0, minExclusive: true }, 'sample-dt');
    num('noise', { min: 0 });
    num('n', { integer: true, min: 1 });
    num('points', { integer: true, min: 2 });
    if (values.seed !== undefined) opts.seed = seedOption(values.seed, { command: cmd, fallback: 0 });
    const split = choiceOption(values.split, {
      command: cmd,
      name: 'split',
      choices: ['train', 'test', 'testWider', 'testMoved', 'all'] as const,
      fallback: 'train',
    });
    const splits =
      entry.kind !== 'trajectories'
        ? [undefined]
        : split === 'all'
          ? (['train', 'test', 'testWider', 'testMoved'] as const)
          : [split];
    // All or nothing: generate every split in memory first (a failing split writes nothing), then save them
    // into a staging folder and move them into place together.
    const built = splits.map((split) => {
      const label = split ? `${name} (${split})` : name;
      const bar = createProgress(`generate ${label}`, opts.count ?? entry.defaults.count ?? 1);
      const data = buildDataset(name, { ...opts, ...(split ? { split } : {}), onProgress: () => bar.tick() });
      bar.done();
      return { split, data };
    });
    const out = makeOutputDir(values.out);
    const staging = mkdtempSync(join(out, '.staging-'));
    const written: { file: string; info: string }[] = [];
    try {
      const staged: { tmp: string; file: string; info: string }[] = [];
      for (const { split, data } of built) {
        const base = `${name}${split ? `-${split}` : ''}.${ext}`;
        const tmp = join(staging, base);
        const extra = {
          dataset: name,
          ...(split ? { split } : {}),
          options: opts,
          generator: '@noether/datasets',
        };
        let info: string;
        if (entry.kind === 'trajectories') {
          const d = data as Trajectories;
          saveTrajectories(tmp, d, extra);
          info = `x [${d.shape.join(', ')}], ${d.method}, max energy error ${d.maxEnergyError.toExponential(2)}`;
        } else if (entry.kind === 'pde') {
          const d = data as PdeSolution;
          if (ext === 'h5')
            await writePdeBench(
              tmp,
              { tensor: d.u, shape: [1, ...d.shape], x: d.x, t: d.t, ...(d.y ? { y: d.y } : {}) },
              h5Attributes(extra),
            );
          else savePdeSolution(tmp, d, extra);
          info = `u [${d.shape.join(', ')}], ${d.steps} steps`;
        } else {
          const d = data as PdeBatch;
          if (ext === 'h5') await writePdeBench(tmp, d, h5Attributes(extra));
          else savePdeBatch(tmp, d, extra);
          info = `tensor [${d.shape.join(', ')}]`;
        }
        staged.push({ tmp, file: join(out, base), info });
      }
      for (const { tmp, file, info } of staged) {
        renameSync(tmp, file);
        written.push({ file, info });
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    for (const { file, info } of written)
      console.log(`wrote ${file} (${statSync(file).size} bytes): ${info}`);
    return 0;
  },
};

export const dataInfoCommand: Command = {
  name: 'data info',
  summary: 'Describe a .npy, .npz or PDEBench .h5/.hdf5 file: arrays, shapes, dtypes, ranges, metadata.',
  usage:
    'noether data info FILE\n\nExits non-zero with a message naming the file and the problem when it is corrupt or truncated.',
  async run(args) {
    const { positionals } = parseArgs('data info', args, {});
    const file = positionals[0];
    if (!file) throw new UsageError('give a FILE');
    if (/\.(h5|hdf5)$/i.test(file)) {
      const d = await readPdeBench(file);
      console.log(`${file}: PDEBench HDF5`);
      console.log(`  tensor        [${d.tensor.shape.join(', ')}]${stats(d.tensor)}`);
      console.log(`  x-coordinate  [${d.x.length}]  ${d.x[0]} .. ${d.x[d.x.length - 1]}`);
      if (d.y) console.log(`  y-coordinate  [${d.y.length}]`);
      console.log(`  t-coordinate  [${d.t.length}]  ${d.t[0]} .. ${d.t[d.t.length - 1]}`);
      const width = Math.max(...d.datasets.map((e) => e.name.length));
      console.log('  datasets:');
      for (const e of d.datasets)
        console.log(`    ${e.name.padEnd(width)}  ${e.dtype.padEnd(8)} [${e.shape.join(', ')}]`);
      if (Object.keys(d.attributes).length) console.log(`  attributes: ${JSON.stringify(d.attributes)}`);
    } else if (file.endsWith('.npy')) {
      const a = loadNpy(file);
      console.log(`${file}: ${dtypeOf(a)} [${a.shape.join(', ')}]${stats(a)}`);
    } else {
      const c = loadNpz(file);
      console.log(`${file}: npz with ${Object.keys(c.arrays).length} arrays`);
      const width = Math.max(...Object.keys(c.arrays).map((k) => k.length));
      for (const [k, a] of Object.entries(c.arrays))
        console.log(`  ${k.padEnd(width)}  ${dtypeOf(a).padEnd(8)} [${a.shape.join(', ')}]${stats(a)}`);
      if (Object.keys(c.metadata).length) console.log(`  metadata: ${JSON.stringify(c.metadata)}`);
    }
    return 0;
  },
};

/** The `noether data ...` commands. */
export const dataCommands: Command[] = [dataListCommand, dataGenerateCommand, dataInfoCommand];
