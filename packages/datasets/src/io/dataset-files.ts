import type { WriteFileAtomicResult } from '@noether/files';
import { DatasetsError } from '../errors';
import type { Trajectories } from '../generate-trajectories';
import type { PdeBatch } from '../catalog';
import type { PdeSolution } from '../pde/pde-solution';
import { expectArrays, loadNpz, saveNpz } from './files';
import type { NpyArray } from './npy';

const FORMAT = 'noether-datasets/1';

/**
 * Saves a PDE solution as .npz: arrays `x`, (`y`), `t`, `u` (shape of `sol.shape`), `weights`, one
 * `conserved_<name>` per monitored integral and one `field_<name>` per extra component; metadata holds the
 * name, scheme, status, steps and any `extra` entries.
 * @example savePdeSolution('kdv.npz', solvePinnProjPreset('kdv'), { seed: 0 });
 */
export function savePdeSolution(
  path: string,
  sol: PdeSolution,
  extra: Record<string, unknown> = {},
): WriteFileAtomicResult {
  const arrays: Record<string, NpyArray> = {
    x: { data: sol.x, shape: [sol.x.length] },
    t: { data: sol.t, shape: [sol.t.length] },
    u: { data: sol.u, shape: sol.shape },
    weights: { data: sol.weights, shape: sol.shape.slice(1) },
  };
  if (sol.y) arrays.y = { data: sol.y, shape: [sol.y.length] };
  for (const [k, v] of Object.entries(sol.conserved))
    arrays[`conserved_${k}`] = { data: v, shape: [v.length] };
  for (const [k, v] of Object.entries(sol.fields)) arrays[`field_${k}`] = { data: v, shape: sol.shape };
  return saveNpz(path, arrays, {
    format: FORMAT,
    kind: 'pde',
    name: sol.name,
    scheme: sol.scheme,
    status: sol.status,
    steps: sol.steps,
    ...extra,
  });
}

/**
 * Loads a file written by {@link savePdeSolution}.
 * @throws DatasetsError `FILE_MISMATCH` when the file is not a PDE dataset or its arrays disagree in shape.
 */
export function loadPdeSolution(path: string): PdeSolution & { metadata: Record<string, unknown> } {
  const c = loadNpz(path);
  if (c.metadata.kind !== 'pde')
    throw new DatasetsError(
      'FILE_MISMATCH',
      `loadPdeSolution(): file '${path}' is not a PDE dataset (metadata kind: ${String(c.metadata.kind)})`,
    );
  expectArrays(path, c, { x: { rank: 1 }, t: { rank: 1 }, weights: {} });
  const x = c.arrays.x!.data as Float64Array;
  const t = c.arrays.t!.data as Float64Array;
  const y = c.arrays.y?.data as Float64Array | undefined;
  expectArrays(path, c, { u: { shape: y ? [t.length, x.length, y.length] : [t.length, x.length] } });
  const pick = (prefix: string) =>
    Object.fromEntries(
      Object.entries(c.arrays)
        .filter(([k]) => k.startsWith(prefix))
        .map(([k, a]) => [k.slice(prefix.length), a.data as Float64Array]),
    );
  const u = c.arrays.u!;
  return {
    name: String(c.metadata.name),
    scheme: String(c.metadata.scheme),
    x,
    ...(y ? { y } : {}),
    t,
    u: u.data as Float64Array,
    shape: u.shape,
    weights: c.arrays.weights!.data as Float64Array,
    conserved: pick('conserved_'),
    fields: pick('field_'),
    steps: Number(c.metadata.steps),
    status: c.metadata.status === 'ok' ? 'ok' : 'non-finite',
    metadata: { ...c.metadata },
  };
}

/**
 * Saves trajectories as .npz: `x` `[count, steps + 1, dim]` (noisy if noise was requested), `clean`, `t`,
 * plus metadata (system, seed, method, substeps, energy error and `extra`).
 * @example saveTrajectories('three-body.npz', generateTrajectories(planarThreeBody(), { ... }));
 */
export function saveTrajectories(
  path: string,
  data: Trajectories,
  extra: Record<string, unknown> = {},
): WriteFileAtomicResult {
  return saveNpz(
    path,
    {
      x: { data: data.x, shape: data.shape },
      clean: { data: data.clean, shape: data.shape },
      t: { data: data.t, shape: [data.t.length] },
    },
    {
      format: FORMAT,
      kind: 'trajectories',
      system: data.system,
      seed: data.seed,
      method: data.method,
      substeps: data.substeps,
      maxEnergyError: data.maxEnergyError,
      ...(data.status === 'stopped' ? { status: 'stopped' } : {}),
      ...extra,
    },
  );
}

/**
 * Loads a file written by {@link saveTrajectories}.
 * @throws DatasetsError `FILE_MISMATCH` when arrays are missing or their shapes disagree.
 */
export function loadTrajectories(path: string): Trajectories & { metadata: Record<string, unknown> } {
  const c = loadNpz(path);
  if (c.metadata.kind !== 'trajectories')
    throw new DatasetsError(
      'FILE_MISMATCH',
      `loadTrajectories(): file '${path}' is not a trajectory dataset (metadata kind: ${String(c.metadata.kind)})`,
    );
  expectArrays(path, c, { x: { rank: 3 }, t: { rank: 1 } });
  const x = c.arrays.x!;
  expectArrays(path, c, { clean: { shape: x.shape }, t: { shape: [x.shape[1]!] } });
  return {
    status: c.metadata.status === 'stopped' ? 'stopped' : 'ok',
    x: x.data as Float64Array,
    clean: c.arrays.clean!.data as Float64Array,
    t: c.arrays.t!.data as Float64Array,
    shape: [x.shape[0]!, x.shape[1]!, x.shape[2]!],
    maxEnergyError: Number(c.metadata.maxEnergyError),
    method: String(c.metadata.method),
    substeps: Number(c.metadata.substeps),
    seed: Number(c.metadata.seed),
    system: String(c.metadata.system),
    metadata: { ...c.metadata },
  };
}

/**
 * Saves a random-initial-condition PDE batch in PDEBench naming: `tensor` `[count, nt, nx]`,
 * `x-coordinate`, `t-coordinate`, `conserved_<name>` `[count, nt]`, plus metadata.
 */
export function savePdeBatch(
  path: string,
  batch: PdeBatch,
  extra: Record<string, unknown> = {},
): WriteFileAtomicResult {
  const [count, nt] = batch.shape;
  const arrays: Record<string, NpyArray> = {
    tensor: { data: batch.tensor, shape: batch.shape },
    'x-coordinate': { data: batch.x, shape: [batch.x.length] },
    't-coordinate': { data: batch.t, shape: [batch.t.length] },
  };
  for (const [k, v] of Object.entries(batch.conserved))
    arrays[`conserved_${k}`] = { data: v, shape: [count, nt] };
  return saveNpz(path, arrays, {
    format: FORMAT,
    kind: 'pde-batch',
    name: batch.name,
    scheme: batch.scheme,
    seed: batch.seed,
    ...extra,
  });
}
