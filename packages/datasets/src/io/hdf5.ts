import { closeSync, existsSync, openSync, readSync } from 'node:fs';
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
}

/**
 * Reads a PDEBench-layout HDF5 file (datasets `tensor`, `x-coordinate`, `t-coordinate`, optionally
 * `y-coordinate`) with h5wasm (WebAssembly HDF5, works offline in Node). Values are converted to float64.
 * @throws DatasetsError `IO` when the file is missing; `FORMAT` when HDF5 cannot open it;
 *   `FILE_MISMATCH` when a required dataset is absent or its length disagrees with the tensor's shape.
 * @example const { tensor, x, t } = await readPdeBench('1D_Advection_Sols_beta0.1.hdf5');
 * @see M. Takamoto et al., "PDEBench: An Extensive Benchmark for Scientific Machine Learning", NeurIPS 2022.
 */
export async function readPdeBench(path: string): Promise<PdeBenchData> {
  const fn = 'readPdeBench';
  if (!existsSync(path)) throw new DatasetsError('IO', `${fn}(): file '${path}' does not exist`);
  if (!hasHdf5Signature(path))
    throw new DatasetsError(
      'FORMAT',
      `${fn}(): file '${path}' is not a readable HDF5 file (no HDF5 signature)`,
    );
  const h5wasm = await import('h5wasm/node');
  await h5wasm.ready;
  let file: InstanceType<typeof h5wasm.File>;
  try {
    file = new h5wasm.File(path, 'r');
  } catch (error) {
    throw new DatasetsError(
      'FORMAT',
      `${fn}(): file '${path}' is not a readable HDF5 file: ${(error as Error).message}`,
      { cause: error },
    );
  }
  try {
    const keys = file.keys();
    type Dataset = { shape: number[]; data: Float64Array };
    function get(name: string, required: true): Dataset;
    function get(name: string, required: false): Dataset | undefined;
    function get(name: string, required: boolean): Dataset | undefined {
      if (!keys.includes(name)) {
        if (!required) return undefined;
        throw new DatasetsError(
          'FILE_MISMATCH',
          `${fn}(): file '${path}' has no dataset '${name}' (found: ${keys.join(', ') || 'none'})`,
        );
      }
      const d = file.get(name) as { shape: number[] | null; value: unknown } | null;
      if (!d || !d.shape)
        throw new DatasetsError('FILE_MISMATCH', `${fn}(): '${name}' in '${path}' is not a dataset`);
      const raw = d.value as ArrayLike<number | bigint>;
      return { shape: d.shape, data: Float64Array.from(raw as ArrayLike<number>, Number) };
    }
    let tensor: Dataset, x: Dataset, t: Dataset, y: Dataset | undefined;
    try {
      tensor = get('tensor', true);
      x = get('x-coordinate', true);
      t = get('t-coordinate', true);
      y = get('y-coordinate', false);
    } catch (error) {
      if (error instanceof DatasetsError) throw error;
      throw new DatasetsError('FORMAT', `${fn}(): file '${path}' could not be read: ${String(error)}`, {
        cause: error,
      });
    }
    const s = tensor.shape;
    if (s.length < 3)
      throw new DatasetsError(
        'FILE_MISMATCH',
        `${fn}(): 'tensor' in '${path}' has shape [${s.join(', ')}], expected [samples, nt, nx, ...]`,
      );
    // PDEBench stores nt + 1 or nt coordinates depending on the set; accept either.
    if (t.data.length !== s[1] && t.data.length !== s[1] + 1)
      throw new DatasetsError(
        'FILE_MISMATCH',
        `${fn}(): 't-coordinate' in '${path}' has ${t.data.length} values but 'tensor' has ${s[1]} time levels`,
      );
    if (x.data.length !== s[2])
      throw new DatasetsError(
        'FILE_MISMATCH',
        `${fn}(): 'x-coordinate' in '${path}' has ${x.data.length} values but 'tensor' has ${s[2]} x points`,
      );
    return {
      tensor: { data: tensor.data, shape: s },
      x: x.data,
      ...(y ? { y: y.data } : {}),
      t: t.data,
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
