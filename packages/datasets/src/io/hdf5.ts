import { closeSync, existsSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DatasetsError } from '../errors';
import type { NpyArray } from './npy';

/** A PDEBench-layout HDF5 file: the solution `tensor` and its coordinates. */
export interface PdeBenchData {
  /** `tensor`: PDEBench layout `[samples, nt, nx(, ny), (channels)]`, as float64. */
  readonly tensor: NpyArray;
  /** `x-coordinate` (and `y-coordinate` in 2D). */
  readonly x: Float64Array;
  readonly y?: Float64Array;
  /** `t-coordinate`. */
  readonly t: Float64Array;
  /** Every dataset at the root as stored: name, element type (`float32`, `float64`, `int64`, ...), shape. */
  readonly datasets: readonly {
    readonly name: string;
    readonly dtype: string;
    readonly shape: readonly number[];
  }[];
  /** Attributes of the root group (scalars, strings and small arrays, as JSON-compatible values). */
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** The element type of an h5wasm dataset or attribute as a numpy-style name. */
function dtypeName(metadata: { type?: number; size?: number; signed?: boolean } | undefined): string {
  if (!metadata) return 'unknown';
  const bits = 8 * (metadata.size ?? 0);
  // HDF5 type classes: 0 integer, 1 float, 3 string.
  if (metadata.type === 1) return `float${bits}`;
  if (metadata.type === 0) return `${metadata.signed === false ? 'uint' : 'int'}${bits}`;
  if (metadata.type === 3) return 'string';
  return `class ${metadata.type ?? '?'}`;
}

/**
 * Reads a PDEBench-layout HDF5 file (datasets `tensor`, `x-coordinate`, `t-coordinate`, optionally
 * `y-coordinate`) with h5wasm (WebAssembly HDF5, works offline in Node). Values are converted to float64.
 * @throws DatasetsError `file-io` when the file is missing; `file-corrupt` when HDF5 cannot open it;
 *   `file-mismatch` when a required dataset is absent or its length disagrees with the tensor's shape.
 * @example const { tensor, x, t } = await readPdeBench('1D_Advection_Sols_beta0.1.hdf5');
 * @see M. Takamoto et al., "PDEBench: An Extensive Benchmark for Scientific Machine Learning", NeurIPS 2022.
 */
export async function readPdeBench(path: string): Promise<PdeBenchData> {
  const fn = 'readPdeBench';
  if (!existsSync(path)) throw new DatasetsError('file-io', `${fn}(): file '${path}' does not exist`);
  if (!hasHdf5Signature(path))
    throw new DatasetsError(
      'file-corrupt',
      `${fn}(): file '${path}' is not a readable HDF5 file (no HDF5 signature)`,
    );
  const h5wasm = await import('h5wasm/node');
  await h5wasm.ready;
  let file: InstanceType<typeof h5wasm.File>;
  try {
    file = new h5wasm.File(path, 'r');
  } catch (error) {
    throw new DatasetsError(
      'file-corrupt',
      `${fn}(): file '${path}' is not a readable HDF5 file: ${(error as Error).message}`,
      { cause: error },
    );
  }
  try {
    const keys = file.keys();
    const get = (name: string, required: boolean) => {
      if (!keys.includes(name)) {
        if (!required) return undefined;
        throw new DatasetsError(
          'file-mismatch',
          `${fn}(): file '${path}' has no dataset '${name}' (found: ${keys.join(', ') || 'none'})`,
        );
      }
      const d = file.get(name) as { shape: number[] | null; value: unknown } | null;
      if (!d || !d.shape)
        throw new DatasetsError('file-mismatch', `${fn}(): '${name}' in '${path}' is not a dataset`);
      const raw = d.value as ArrayLike<number | bigint>;
      return { shape: d.shape, data: Float64Array.from(raw as ArrayLike<number>, Number) };
    };
    let tensor, x, t, y;
    try {
      tensor = get('tensor', true)!;
      x = get('x-coordinate', true)!;
      t = get('t-coordinate', true)!;
      y = get('y-coordinate', false);
    } catch (error) {
      if (error instanceof DatasetsError) throw error;
      throw new DatasetsError('file-corrupt', `${fn}(): file '${path}' could not be read: ${String(error)}`, {
        cause: error,
      });
    }
    const s = tensor.shape;
    if (s.length < 3)
      throw new DatasetsError(
        'file-mismatch',
        `${fn}(): 'tensor' in '${path}' has shape [${s.join(', ')}], expected [samples, nt, nx, ...]`,
      );
    // PDEBench stores nt + 1 or nt coordinates depending on the set; accept either.
    if (t.data.length !== s[1] && t.data.length !== s[1]! + 1)
      throw new DatasetsError(
        'file-mismatch',
        `${fn}(): 't-coordinate' in '${path}' has ${t.data.length} values but 'tensor' has ${s[1]} time levels`,
      );
    if (x.data.length !== s[2])
      throw new DatasetsError(
        'file-mismatch',
        `${fn}(): 'x-coordinate' in '${path}' has ${x.data.length} values but 'tensor' has ${s[2]} x points`,
      );
    const datasets = keys.flatMap((name) => {
      const d = file.get(name) as {
        shape?: number[] | null;
        metadata?: Parameters<typeof dtypeName>[0];
      } | null;
      return d && Array.isArray(d.shape) ? [{ name, dtype: dtypeName(d.metadata), shape: d.shape }] : [];
    });
    const attributes: Record<string, unknown> = {};
    for (const [name, attr] of Object.entries(file.attrs)) attributes[name] = attr.json_value;
    return {
      tensor: { data: tensor.data, shape: s },
      x: x.data,
      ...(y ? { y: y.data } : {}),
      t: t.data,
      datasets,
      attributes,
    };
  } finally {
    file.close();
  }
}

/** HDF5 superblock signature \x89HDF\r\n\x1a\n at offset 0, 512, 1024, 2048, ... */
function hasHdf5Signature(path: string): boolean {
  const sig = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(8);
    for (let offset = 0; offset <= 1 << 20; offset = offset === 0 ? 512 : offset * 2) {
      if (readSync(fd, buf, 0, 8, offset) < 8) return false;
      if (sig.every((b, i) => buf[i] === b)) return true;
    }
    return false;
  } finally {
    closeSync(fd);
  }
}

/** What {@link writePdeBench} writes: a solution tensor `[samples, nt, nx(, ny)]` and its coordinates. */
export interface PdeBenchInput {
  /** Row-major values, `shape` as given. */
  readonly tensor: Float64Array;
  /** `[samples, nt, nx]` or `[samples, nt, nx, ny]`. */
  readonly shape: readonly number[];
  readonly x: Float64Array;
  readonly y?: Float64Array;
  readonly t: Float64Array;
}

/**
 * Writes a PDEBench-layout HDF5 file: datasets `tensor` `[samples, nt, nx(, ny)]`, `x-coordinate`,
 * (`y-coordinate`,) `t-coordinate`, all float64, plus root attributes (strings and numbers, e.g. the
 * generator's name and seed). PDEBench's loaders (`h5py.File(path)['tensor']`) read it as they read the
 * PDEBench sets; {@link readPdeBench} reads it back. Written atomically: a temporary file in the same folder,
 * renamed over `path` once complete.
 * @throws DatasetsError `invalid-argument` when the shape and the arrays disagree; `file-io` when the file
 *   cannot be written.
 * @example await writePdeBench('burgers.h5', batch, { pde: 'burgers', seed: 0 });
 * @see M. Takamoto et al., "PDEBench: An Extensive Benchmark for Scientific Machine Learning", NeurIPS 2022.
 */
export async function writePdeBench(
  path: string,
  data: PdeBenchInput,
  attributes: Readonly<Record<string, string | number>> = {},
): Promise<void> {
  const fn = 'writePdeBench';
  const s = data.shape;
  const n = s.reduce((a, b) => a * b, 1);
  const bad = (what: string) => new DatasetsError('invalid-argument', `${fn}(): ${what}`);
  if (s.length !== 3 && s.length !== 4)
    throw bad(`argument 'shape' must be [samples, nt, nx(, ny)], got [${s.join(', ')}]`);
  if (data.tensor.length !== n)
    throw bad(
      `argument 'tensor' must hold ${n} values for shape [${s.join(', ')}], got ${data.tensor.length}`,
    );
  if (data.t.length !== s[1]) throw bad(`argument 't' must hold ${s[1]} values (nt), got ${data.t.length}`);
  if (data.x.length !== s[2]) throw bad(`argument 'x' must hold ${s[2]} values (nx), got ${data.x.length}`);
  if (s.length === 4 && data.y?.length !== s[3])
    throw bad(`argument 'y' must hold ${s[3]} values (ny), got ${data.y?.length ?? 'none'}`);
  const h5wasm = await import('h5wasm/node');
  await h5wasm.ready;
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  try {
    const file = new h5wasm.File(tmp, 'w');
    try {
      file.create_dataset({ name: 'tensor', data: data.tensor, shape: [...s], dtype: '<d' });
      file.create_dataset({ name: 'x-coordinate', data: data.x, dtype: '<d' });
      if (data.y) file.create_dataset({ name: 'y-coordinate', data: data.y, dtype: '<d' });
      file.create_dataset({ name: 't-coordinate', data: data.t, dtype: '<d' });
      for (const [k, v] of Object.entries(attributes)) file.create_attribute(k, v);
    } finally {
      file.close();
    }
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    if (error instanceof DatasetsError) throw error;
    throw new DatasetsError('file-io', `${fn}(): cannot write '${path}': ${(error as Error).message}`, {
      cause: error,
    });
  }
}
