import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildDataset,
  datasetCatalog,
  loadNpy,
  loadNpz,
  readPdeBench,
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
import { numberOption, parseArgs } from '../args';
import { createProgress } from '../progress';

const dtypeOf = (a: NpyArray) => a.data.constructor.name.replace('Array', '').toLowerCase();

function stats(a: NpyArray): string {
  if (a.data instanceof BigInt64Array || a.data.length === 0) return '';
  let lo = Infinity;
  let hi = -Infinity;
  let nonFinite = 0;
  const data = a.data as ArrayLike<number>;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
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

export const dataGenerateCommand: Command = {
  name: 'data generate',
  summary: 'Generate a dataset reproducibly from a seed into .npz files (numpy.load opens them).',
  usage: [
    'noether data generate <name> [--count N] [--samples N] [--sample-dt X] [--seed N] [--noise X]',
    '                             [--split train|test|testWider|testMoved|all] [--n N] [--points N] --out DIR',
    '',
    'Writes DIR/<name>[-<split>].npz (atomically) with float64 arrays and JSON metadata (member metadata.json).',
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
      out: { type: 'string' },
    });
    const name = positionals[0];
    if (!name || positionals.length > 1)
      throw new Error(`noether ${cmd}: give exactly one dataset name (see noether data list)`);
    if (!values.out) throw new Error(`noether ${cmd}: option '--out DIR' is required`);
    const entry = datasetCatalog.find((e) => e.name === name);
    if (!entry)
      throw new Error(
        `noether ${cmd}: unknown dataset '${name}' (known: ${datasetCatalog.map((e) => e.name).join(', ')})`,
      );
    const opts: CatalogOptions = {};
    const num = (
      key: 'count' | 'samples' | 'sampleDt' | 'seed' | 'noise' | 'n' | 'points',
      integer: boolean,
      flag: string = key,
    ) => {
      const v = values[flag as keyof typeof values] as string | undefined;
      if (v !== undefined) opts[key] = numberOption(v, { command: cmd, name: flag, fallback: 0, integer });
    };
    num('count', true);
    num('samples', true);
    num('sampleDt', false, 'sample-dt');
    num('seed', true);
    num('noise', false);
    num('n', true);
    num('points', true);
    const splits =
      entry.kind !== 'trajectories'
        ? [undefined]
        : values.split === 'all'
          ? (['train', 'test', 'testWider', 'testMoved'] as const)
          : [(values.split ?? 'train') as CatalogOptions['split']];
    mkdirSync(values.out, { recursive: true });
    for (const split of splits) {
      const label = split ? `${name} (${split})` : name;
      const total = opts.count ?? entry.defaults.count ?? 1;
      const bar = createProgress(`generate ${label}`, total);
      const data = buildDataset(name, {
        ...opts,
        ...(split ? { split } : {}),
        onProgress: () => void bar.tick(),
      });
      const file = join(values.out, `${name}${split ? `-${split}` : ''}.npz`);
      const extra = {
        dataset: name,
        ...(split ? { split } : {}),
        options: opts,
        generator: '@noether/datasets',
      };
      let info: string;
      if (entry.kind === 'trajectories') {
        const d = data as Trajectories;
        saveTrajectories(file, d, extra);
        info = `x [${d.shape.join(', ')}], ${d.method}, max energy error ${d.maxEnergyError.toExponential(2)}`;
      } else if (entry.kind === 'pde') {
        const d = data as PdeSolution;
        savePdeSolution(file, d, extra);
        info = `u [${d.shape.join(', ')}], ${d.steps} steps`;
      } else {
        const d = data as PdeBatch;
        savePdeBatch(file, d, extra);
        info = `tensor [${d.shape.join(', ')}]`;
      }
      bar.done(info);
      console.log(`wrote ${file} (${statSync(file).size} bytes): ${info}`);
    }
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
    if (!file) throw new Error('noether data info: give a FILE');
    try {
      if (/\.(h5|hdf5)$/i.test(file)) {
        const d = await readPdeBench(file);
        console.log(`${file}: PDEBench HDF5`);
        console.log(`  tensor        [${d.tensor.shape.join(', ')}]${stats(d.tensor)}`);
        console.log(`  x-coordinate  [${d.x.length}]  ${d.x[0]} .. ${d.x[d.x.length - 1]}`);
        if (d.y) console.log(`  y-coordinate  [${d.y.length}]`);
        console.log(`  t-coordinate  [${d.t.length}]  ${d.t[0]} .. ${d.t[d.t.length - 1]}`);
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
    } catch (error) {
      console.error(`noether data info: ${(error as Error).message}`);
      return 1;
    }
  },
};

/** The `noether data ...` commands. */
export const dataCommands: Command[] = [dataListCommand, dataGenerateCommand, dataInfoCommand];
